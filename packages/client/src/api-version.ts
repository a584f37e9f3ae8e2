import { LmpiConfigError } from './errors.js';

/**
 * The LMPI API versions licensewatch speaks. Both use the same authentication and signature
 * (reference §1, §5); they differ in path (`/LMPI/v2/…` vs `/LMPI/v3/…`) and in what they list:
 * only v3 includes Trend Vision One service plans (Service Plan List, available since 27 Nov 2024).
 */
export const LMPI_API_VERSIONS = ['v2', 'v3'] as const;

/** `v2` (the default) or `v3` (needed to see Trend Vision One service plans). */
export type LmpiApiVersion = (typeof LMPI_API_VERSIONS)[number];

/** The version used when none is chosen. */
export const DEFAULT_LMPI_API_VERSION: LmpiApiVersion = 'v2';

/** The read-only endpoints licensewatch calls, each under its version's path. */
export interface LmpiPaths {
  /** Partners :: Product :: List (`GET`). */
  productList: string;
  /** Partners :: Service Plan :: List (`GET`). */
  servicePlanList: string;
  /** Report :: Customer :: Transactions (`POST`, read-only). */
  transactionReport: string;
  /** Report :: Customer :: Summary (`POST`, read-only). */
  customerSummary: string;
}

/** True for `v2` and `v3`. */
export function isLmpiApiVersion(value: unknown): value is LmpiApiVersion {
  return typeof value === 'string' && (LMPI_API_VERSIONS as readonly string[]).includes(value);
}

/**
 * Reads a configured version: blank or absent → the default (`v2`); `v2`/`v3` (any case, spaces
 * trimmed) → that version; anything else → a configuration error naming the setting and the
 * allowed values.
 *
 * @throws {LmpiConfigError} e.g. `LMPI_API_VERSION must be v2 or v3, got "3"`.
 * @example
 * ```ts
 * parseLmpiApiVersion(process.env.LMPI_API_VERSION) // 'v2' when unset
 * parseLmpiApiVersion('V3') // 'v3'
 * ```
 */
export function parseLmpiApiVersion(value: string | undefined, setting = 'LMPI_API_VERSION'): LmpiApiVersion {
  const text = value?.trim().toLowerCase();
  if (text === undefined || text === '') return DEFAULT_LMPI_API_VERSION;
  if (isLmpiApiVersion(text)) return text;
  throw new LmpiConfigError(
    `${setting} must be ${LMPI_API_VERSIONS.join(' or ')} (v3 lists Trend Vision One service plans), got ${JSON.stringify(value)}`,
    'apiVersion',
  );
}

/**
 * The endpoint paths of one API version. Every request is signed over the path it is sent to, so
 * a v3 request is signed over `/LMPI/v3/…`.
 *
 * @throws {LmpiConfigError} for a version other than `v2`/`v3`.
 * @example
 * ```ts
 * lmpiPaths('v3').productList // '/LMPI/v3/partners/product'
 * ```
 */
export function lmpiPaths(version: LmpiApiVersion): LmpiPaths {
  if (!isLmpiApiVersion(version))
    throw new LmpiConfigError(
      `apiVersion must be ${LMPI_API_VERSIONS.join(' or ')}, got ${JSON.stringify(version)}`,
      'apiVersion',
    );
  const root = `/LMPI/${version}`;
  return {
    productList: `${root}/partners/product`,
    servicePlanList: `${root}/me/serviceplans`,
    transactionReport: `${root}/reports/transactions`,
    customerSummary: `${root}/reports/summary`,
  };
}
