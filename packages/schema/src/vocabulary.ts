/** Product types documented for `products[].type`. */
export const PRODUCT_TYPES = ['SaaS', 'Software', 'Suite'] as const;
/** A documented product type. */
export type KnownProductType = (typeof PRODUCT_TYPES)[number];
/**
 * A product type: one of the documented ones in their documented spelling, or an undocumented value
 * passed through as received (a lenient parse warns about it).
 */
export type ProductType = KnownProductType | (string & {});

/** License versions documented for products and service plans. */
export const LICENSE_VERSIONS = ['Trial', 'Full'] as const;
/** A documented license version. */
export type KnownLicenseVersion = (typeof LICENSE_VERSIONS)[number];
/** A license version: `Trial`/`Full`, or an undocumented value passed through as received. */
export type LicenseVersion = KnownLicenseVersion | (string & {});

/**
 * Maps any case or spacing variant of a documented value to its documented spelling
 * (`' full '` → `Full`); unknown values are returned unchanged.
 *
 * @example
 * ```ts
 * const toVersion = canonicalSpelling(LICENSE_VERSIONS)
 * toVersion('FULL') // 'Full'
 * toVersion('Beta') // 'Beta'
 * ```
 */
export function canonicalSpelling<T extends string>(known: readonly T[]): (value: string) => string {
  const byLowerCase = new Map(known.map((value) => [value.toLowerCase(), value]));
  return (value) => byLowerCase.get(value.trim().toLowerCase()) ?? value;
}

/**
 * True when `type` is one of the documented product types.
 *
 * @example
 * ```ts
 * isKnownProductType('SaaS') // true
 * ```
 */
export function isKnownProductType(type: string | null): type is KnownProductType {
  return (PRODUCT_TYPES as readonly (string | null)[]).includes(type);
}

/**
 * True when `version` is `Trial` or `Full`.
 *
 * @example
 * ```ts
 * isKnownLicenseVersion('Full') // true
 * ```
 */
export function isKnownLicenseVersion(version: string | null): version is KnownLicenseVersion {
  return (LICENSE_VERSIONS as readonly (string | null)[]).includes(version);
}

/**
 * Transaction types documented for Report :: Customer :: Transactions (`transaction_type`). The LMP
 * console also knows "Suite composition change"; reports may carry it or others, which a lenient
 * parse keeps as received (with a warning).
 */
export const TRANSACTION_TYPES = ['New Purchase', 'License Change', 'License Convert'] as const;
/** A documented transaction type. */
export type KnownTransactionType = (typeof TRANSACTION_TYPES)[number];
/** A transaction type: a documented one in its documented spelling, or an undocumented value as received. */
export type TransactionType = KnownTransactionType | (string & {});

/**
 * True when `type` is one of the three documented transaction types (exact spelling).
 *
 * @example
 * ```ts
 * isKnownTransactionType('License Change') // true
 * isKnownTransactionType('Suite composition change') // false: kept, but undocumented
 * ```
 */
export function isKnownTransactionType(type: string | null): type is KnownTransactionType {
  return (TRANSACTION_TYPES as readonly (string | null)[]).includes(type);
}
