import { z } from 'zod';
import type { LenientResult } from './drift.js';
import { SchemaViolationError } from './errors.js';
import { isDocumentedProductProfile, isGuid } from './fast-path.js';
import { describeValue, isPlainObject, type Leniency, type ParseLog, readRecord } from './fields.js';
import { toSchemaIssues } from './issues.js';
import {
  type LenientParseOptions,
  rejectIfMostlyMalformed,
  type SetAsideRecord,
  setAsideIfMalformed,
} from './set-aside.js';
import {
  canonicalSpelling,
  LICENSE_VERSIONS,
  type LicenseVersion,
  PRODUCT_TYPES,
  type ProductType,
} from './vocabulary.js';

/**
 * A service plan as listed inside a product profile (`products[].service_plans[]`).
 *
 * @example
 * ```ts
 * servicePlanRefWireSchema.parse({ name: 'WFBS-SVC Full 12M', id: '2f1e…' })
 * ```
 */
export const servicePlanRefWireSchema = z.strictObject({
  name: z.string().min(1).max(150),
  id: z.guid(),
});

/**
 * One product profile exactly as documented for `GET /LMPI/v2/partners/product`.
 * `used` is optional (MSP callers do not get it) and meaningless (the backend always sends 0).
 *
 * @example
 * ```ts
 * productProfileWireSchema.safeParse(response.products[0]).success
 * ```
 */
export const productProfileWireSchema = z.strictObject({
  product_id: z.guid(),
  product_code: z.string().length(9),
  product_name: z.string().min(1).max(150),
  type: z.enum(PRODUCT_TYPES),
  version: z.enum(LICENSE_VERSIONS),
  available: z.number().int().nonnegative(),
  used: z.number().int().nonnegative().optional(),
  service_plans: z.array(servicePlanRefWireSchema),
});

/**
 * The documented Partners :: Product :: List response body. Strict: any deviation fails.
 *
 * @example
 * ```ts
 * const body: ProductListResponse = productListResponseSchema.parse(json)
 * ```
 */
export const productListResponseSchema = z.strictObject({
  partner_id: z.guid(),
  products: z.array(productProfileWireSchema),
});

/** The wire shape of the product list response (snake_case, as LMPI sends it). */
export type ProductListResponse = z.infer<typeof productListResponseSchema>;
/** The wire shape of one product profile. */
export type ProductProfileWire = z.infer<typeof productProfileWireSchema>;

/** A service plan offered for a product. */
export interface ServicePlanRef {
  id: string;
  name: string;
}

/** A product the partner may provision, normalised from the wire shape. */
export interface ProductProfile {
  /** GUID used by reports and Product :: Assign. */
  productId: string;
  /** 9-character product code, e.g. `NNZBXXE1X`. */
  productCode: string;
  productName: string;
  /** Documented spelling when recognised, the raw value when not, `null` when absent. */
  type: ProductType | null;
  /** `Trial` / `Full` when recognised, the raw value when not, `null` when absent. */
  version: LicenseVersion | null;
  /** Licenses that can still be assigned. */
  available: number;
  /** Always 0 on the real backend and absent for MSP callers: never use it for usage. */
  used?: number;
  servicePlans: ServicePlanRef[];
}

/** The partner's whole product catalogue. */
export interface ProductCatalogue {
  /** The caller's partner GUID; `null` only when a lenient parse found none. */
  partnerId: string | null;
  products: ProductProfile[];
}

const servicePlanRefLeniency: Leniency = {
  name: { loose: z.string(), critical: true, expected: 'a name of 1-150 characters' },
  id: { loose: z.string().min(1), critical: true, expected: 'a GUID' },
};

const productProfileLeniency: Leniency = {
  product_id: { loose: z.string().min(1), critical: true, expected: 'a GUID' },
  product_code: { loose: z.string(), critical: true, expected: 'a 9-character product code' },
  product_name: { loose: z.string(), critical: true, expected: 'a name of 1-150 characters' },
  type: {
    loose: z.string().min(1),
    normalise: canonicalSpelling(PRODUCT_TYPES),
    fallback: null,
    expected: 'one of SaaS, Software, Suite',
  },
  version: {
    loose: z.string().min(1),
    normalise: canonicalSpelling(LICENSE_VERSIONS),
    fallback: null,
    expected: 'one of Trial, Full',
  },
  available: { critical: true, expected: 'a non-negative integer' },
  used: { expected: 'a non-negative integer' },
  service_plans: {
    items: { shape: servicePlanRefWireSchema.shape, leniency: servicePlanRefLeniency },
    fallback: [],
    expected: 'an array of { name, id }',
  },
};

/** Human label for a product in messages: its code and id when it has them, else its position. */
export function productLabel(raw: unknown, index: number): string {
  if (!isPlainObject(raw)) return `products[${index}]`;
  const code = typeof raw.product_code === 'string' && raw.product_code ? raw.product_code : undefined;
  const id = typeof raw.product_id === 'string' && raw.product_id ? raw.product_id : undefined;
  if (code && id) return `product ${code} (${id})`;
  if (code ?? id) return `product ${code ?? id}`;
  return `products[${index}]`;
}

/**
 * Maps usable wire values to the domain shape. `plansAreExact` says the plan objects are already
 * exactly `{ name, id }` (fast path) and can be shared instead of copied.
 */
function toProductProfile(values: Record<string, unknown>, plansAreExact = false): ProductProfile {
  const plans = (values.service_plans ?? []) as ServicePlanRef[];
  const profile: ProductProfile = {
    productId: values.product_id as string,
    productCode: values.product_code as string,
    productName: values.product_name as string,
    type: (values.type ?? null) as ProductType | null,
    version: (values.version ?? null) as LicenseVersion | null,
    available: values.available as number,
    servicePlans: plansAreExact ? plans : plans.map(({ id, name }) => ({ id, name })),
  };
  if (typeof values.used === 'number') profile.used = values.used;
  return profile;
}

/**
 * Parses a product list response against the documented contract and normalises it.
 * Any deviation (unknown field, other spelling, constraint) throws: use it in contract tests.
 *
 * @throws {SchemaViolationError} naming each product and field at fault.
 * @example
 * ```ts
 * const catalogue = parseProductCatalogueStrict(await response.json())
 * ```
 */
export function parseProductCatalogueStrict(json: unknown): ProductCatalogue {
  const result = productListResponseSchema.safeParse(json);
  if (!result.success) {
    throw new SchemaViolationError('product list response', toSchemaIssues(result.error, json, productLabel));
  }
  return {
    partnerId: result.data.partner_id,
    products: result.data.products.map((product) => toProductProfile(product)),
  };
}

/**
 * Parses a product list response for runtime use: tolerates drift (other spellings, unknown
 * types and versions, extra fields, constraint violations on fields we only display) and reports
 * each one as a warning. Fields we depend on (`product_id`, `product_code`, `product_name`,
 * `available`) must be present with the right type, or the whole response is rejected: a product
 * silently dropped would look like a product that vanished. With `{ malformed: 'set-aside' }` such a
 * product is instead left out and named in `setAside` (the caller keeps what it knew about it), unless
 * more than half of the products are unusable.
 *
 * @throws {SchemaViolationError} naming each product and field at fault.
 * @example
 * ```ts
 * const { data, warnings } = parseProductCatalogue(json)
 * for (const warning of warnings) logger.warn(warning.message)
 * const { setAside } = parseProductCatalogue(json, { malformed: 'set-aside' }) // [{ record: 'product …', issues }]
 * ```
 */
export function parseProductCatalogue(
  json: unknown,
  options: LenientParseOptions = {},
): LenientResult<ProductCatalogue> {
  const log: ParseLog = { warnings: [], issues: [] };
  if (!isPlainObject(json)) {
    throw new SchemaViolationError('product list response', [
      { path: '$', message: `expected a JSON object with "products", got ${describeValue(json)}` },
    ]);
  }
  const partnerId = readPartnerId(json, log);
  if (!Array.isArray(json.products)) {
    throw new SchemaViolationError('product list response', [
      {
        path: '$.products',
        field: 'products',
        message: `field "products" should be an array, got ${describeValue(json.products)}`,
      },
    ]);
  }
  const setAside = options.malformed === 'set-aside' ? ([] as SetAsideRecord[]) : undefined;
  const products = readProducts(json.products, log, setAside);
  rejectIfMostlyMalformed(setAside, json.products.length, log);
  for (const field of Object.keys(json)) {
    if (field !== 'partner_id' && field !== 'products') {
      log.warnings.push({
        kind: 'unknown-field',
        path: `$.${field}`,
        field,
        message: `undocumented field "${field}" ignored`,
      });
    }
  }
  if (log.issues.length > 0) throw new SchemaViolationError('product list response', log.issues);
  return { data: { partnerId, products }, warnings: log.warnings, ...(setAside ? { setAside } : {}) };
}

function readPartnerId(json: Record<string, unknown>, log: ParseLog): string | null {
  const value = json.partner_id;
  if (typeof value !== 'string' || value === '') {
    log.warnings.push({
      kind: value === undefined ? 'missing-field' : 'invalid-field',
      path: '$.partner_id',
      field: 'partner_id',
      message: `field "partner_id" should be a GUID, got ${describeValue(value)}; partner unknown`,
    });
    return null;
  }
  // Not z.guid() here: building that schema on every call cost ~15 µs per product list.
  if (!isGuid(value)) {
    log.warnings.push({
      kind: 'unexpected-value',
      path: '$.partner_id',
      field: 'partner_id',
      message: `field "partner_id" value ${describeValue(value)} is not a GUID; kept as received`,
    });
  }
  return value;
}

function readProducts(rawProducts: unknown[], log: ParseLog, setAside?: SetAsideRecord[]): ProductProfile[] {
  const products: ProductProfile[] = [];
  const seenIds = new Set<string>();
  let indexById: Map<string, number> | undefined; // built at the first duplicate id (rare)
  for (let index = 0; index < rawProducts.length; index += 1) {
    const raw = rawProducts[index];
    const issuesBefore = log.issues.length;
    const documented = isDocumentedProductProfile(raw);
    // A documented product (the fast path) has nothing to report: no label is built for it.
    const at = documented ? undefined : { path: `$.products[${index}]`, record: productLabel(raw, index) };
    const values = at
      ? readRecord(raw, productProfileWireSchema.shape, productProfileLeniency, at, log)
      : (raw as Record<string, unknown>);
    if (at && setAsideIfMalformed(raw, at, log, issuesBefore, setAside)) continue;
    if (!values || log.issues.length > issuesBefore) continue;
    const profile = toProductProfile(values, documented);
    // One set operation for the usual case, an id seen for the first time (the set grows).
    const known = seenIds.size;
    seenIds.add(profile.productId);
    if (seenIds.size > known) {
      indexById?.set(profile.productId, products.length);
      products.push(profile);
      continue;
    }
    // One product id twice: every consumer (alerts, /licenses, the CLI) must see one product, and
    // the same one. The entry with the most available wins (a stale zero must not raise a false
    // critical alert); on a tie the first listed stays. It keeps the first one's place in the list.
    indexById ??= new Map(products.map((product, at) => [product.productId, at]));
    const earlier = indexById.get(profile.productId) as number;
    const kept = products[earlier] as ProductProfile;
    const winner = profile.available > kept.available ? profile : kept;
    products[earlier] = winner;
    log.warnings.push({
      kind: 'duplicate',
      path: `$.products[${index}].product_id`,
      record: productLabel(raw, index),
      field: 'product_id',
      message: `product id ${profile.productId} listed more than once (available ${kept.available} and ${profile.available}); kept the entry with ${winner.available} available`,
    });
  }
  return products;
}
