import { z } from 'zod';
import type { LenientResult } from './drift.js';
import { SchemaViolationError } from './errors.js';
import { describeValue, isPlainObject, type Leniency, type ParseLog, readRecord } from './fields.js';
import { toSchemaIssues } from './issues.js';
import { isVisionOnePlan, type ParseOptions } from './vision-one.js';
import { canonicalSpelling, LICENSE_VERSIONS, type LicenseVersion } from './vocabulary.js';

/**
 * One service plan exactly as documented for `GET /LMPI/v2/me/serviceplans` and
 * `GET /LMPI/v3/me/serviceplans` (the two pages document the same fields and limits; only v3
 * lists Trend Vision One plans). The documentation lists `version` as `trial`/`full`; both
 * spellings of case are accepted here and normalised.
 *
 * @example
 * ```ts
 * servicePlanWireSchema.safeParse(json[0]).success
 * ```
 */
export const servicePlanWireSchema = z.strictObject({
  service_plan_id: z.guid(),
  name: z.string().min(1).max(150),
  product: z.string().min(1).max(100),
  product_code: z.string().length(9),
  version: z.enum(['trial', 'full', 'Trial', 'Full']),
  initial_license_period_month: z.number().int().min(1).max(36),
  data_center_code: z.string().min(1).max(50),
  data_center: z.string().min(1).max(100),
  auto_renewal: z.boolean(),
});

/**
 * The documented Service Plan :: List response: a top-level JSON array. Strict.
 *
 * @example
 * ```ts
 * const plans: ServicePlanListResponse = servicePlanListResponseSchema.parse(json)
 * ```
 */
export const servicePlanListResponseSchema = z.array(servicePlanWireSchema);

/** The wire shape of the service plan list. */
export type ServicePlanListResponse = z.infer<typeof servicePlanListResponseSchema>;

/** A service plan the partner can subscribe customers to, normalised. */
export interface ServicePlan {
  servicePlanId: string;
  name: string;
  /** Product display name. */
  product: string;
  productCode: string;
  version: LicenseVersion | null;
  initialLicensePeriodMonths: number | null;
  dataCenterCode: string | null;
  dataCenter: string | null;
  autoRenewal: boolean | null;
}

const toVersion = canonicalSpelling(LICENSE_VERSIONS);

const servicePlanLeniency: Leniency = {
  service_plan_id: { loose: z.string().min(1), critical: true, expected: 'a GUID' },
  name: { loose: z.string(), critical: true, expected: 'a name of 1-150 characters' },
  product: { loose: z.string(), fallback: '', expected: 'a product name of 1-100 characters' },
  product_code: { loose: z.string(), fallback: '', expected: 'a 9-character product code' },
  version: { loose: z.string().min(1), normalise: toVersion, fallback: null, expected: 'one of trial, full' },
  initial_license_period_month: { loose: z.number(), fallback: null, expected: 'a whole number of months (1-36)' },
  data_center_code: { loose: z.string(), fallback: null, expected: 'a data centre code' },
  data_center: { loose: z.string(), fallback: null, expected: 'a data centre name' },
  auto_renewal: { fallback: null, expected: 'a boolean' },
};

function planLabel(raw: unknown, index: number): string {
  if (isPlainObject(raw)) {
    const name = typeof raw.name === 'string' && raw.name ? raw.name : undefined;
    const id = typeof raw.service_plan_id === 'string' && raw.service_plan_id ? raw.service_plan_id : undefined;
    if (name ?? id) return `service plan ${JSON.stringify(name ?? id)}`;
  }
  return `service plan [${index}]`;
}

function toServicePlan(values: Record<string, unknown>): ServicePlan {
  const version = values.version as string | null | undefined;
  return {
    servicePlanId: values.service_plan_id as string,
    name: values.name as string,
    product: (values.product ?? '') as string,
    productCode: (values.product_code ?? '') as string,
    version: version == null ? null : toVersion(version),
    initialLicensePeriodMonths: (values.initial_license_period_month ?? null) as number | null,
    dataCenterCode: (values.data_center_code ?? null) as string | null,
    dataCenter: (values.data_center ?? null) as string | null,
    autoRenewal: (values.auto_renewal ?? null) as boolean | null,
  };
}

/**
 * Parses a service plan list (v2 or v3: the same documented contract) against the documented
 * contract. Any deviation throws.
 *
 * @throws {SchemaViolationError}
 * @example
 * ```ts
 * const plans = parseServicePlansStrict(json, { apiVersion: 'v3' })
 * ```
 */
export function parseServicePlansStrict(json: unknown, options: ParseOptions = {}): ServicePlan[] {
  const result = servicePlanListResponseSchema.safeParse(json);
  if (!result.success) {
    throw new SchemaViolationError(responseName(options), toSchemaIssues(result.error, json, planLabel));
  }
  return result.data.map(toServicePlan);
}

/**
 * Parses a service plan list for runtime use, tolerating drift with warnings. A plan without a
 * usable `service_plan_id` or `name` rejects the response. Version-aware: a Trend Vision One plan
 * in a v2 response (documented to leave them out) is kept, with a warning.
 *
 * @throws {SchemaViolationError}
 * @example
 * ```ts
 * const { data: plans, warnings } = parseServicePlans(json, { apiVersion: 'v3' })
 * ```
 */
export function parseServicePlans(json: unknown, options: ParseOptions = {}): LenientResult<ServicePlan[]> {
  if (!Array.isArray(json)) {
    throw new SchemaViolationError(responseName(options), [
      { path: '$', message: `expected a JSON array of service plans, got ${describeValue(json)}` },
    ]);
  }
  const log: ParseLog = { warnings: [], issues: [] };
  const plans: ServicePlan[] = [];
  json.forEach((raw, index) => {
    const fast = servicePlanWireSchema.safeParse(raw);
    const at = { path: `$[${index}]`, record: planLabel(raw, index) };
    const values = fast.success
      ? (fast.data as Record<string, unknown>)
      : readRecord(raw, servicePlanWireSchema.shape, servicePlanLeniency, at, log);
    if (!values) return;
    const plan = toServicePlan(values);
    if ((options.apiVersion ?? 'v2') === 'v2' && isVisionOnePlan(plan)) {
      log.warnings.push({
        kind: 'unexpected-value',
        path: `$[${index}].name`,
        record: at.record,
        field: 'name',
        message: `${at.record}: a Trend Vision One plan in an LMPI v2 list, which is documented to leave them out; kept`,
      });
    }
    plans.push(plan);
  });
  if (log.issues.length > 0) throw new SchemaViolationError(responseName(options), log.issues);
  return { data: plans, warnings: log.warnings };
}

function responseName(options: ParseOptions): string {
  return `LMPI ${options.apiVersion ?? 'v2'} service plan list response`;
}
