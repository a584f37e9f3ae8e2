import { z } from 'zod';
import type { LenientResult } from './drift.js';
import { SchemaViolationError } from './errors.js';
import { isPlainObject, type Leniency, type ParseLog, readRecord } from './fields.js';
import { toSchemaIssues } from './issues.js';
import { readReportRows, reportRowLabel, textOrNull } from './report-envelope.js';
import { UNNAMED_CUSTOMER } from './transaction-report.js';
import { readUnitCount, unitCountWireSchema } from './unit-counts.js';

/**
 * One row of Report :: Customer :: Summary (`POST /LMPI/v2/reports/summary`): what one customer has
 * provisioned of one product, and how much it used. The documented table gives `provisioned` as an
 * integer; a digit string is accepted too (other reports send counts as strings). `used` and `unit`
 * are read by public clients but not in the captured table: both are optional, and `used: null`
 * means the product reports no usage (LMP then bills the provisioned amount).
 *
 * @example
 * ```ts
 * customerSummaryWireSchema.safeParse(json.summary[0]).success
 * ```
 */
export const customerSummaryWireSchema = z.strictObject({
  customer: z.string(),
  city: z.string(),
  state: z.string(),
  owned_by_vendor: z.string(),
  created_by_vendor: z.string(),
  product_name: z.string().min(1).max(150),
  service_plan: z.string(),
  provisioned: unitCountWireSchema,
  used: unitCountWireSchema.nullable().optional(),
  unit: z.string().optional(),
});

/**
 * The documented customer summary report body, `{ "summary": [...] }`. Strict.
 *
 * @example
 * ```ts
 * const body: CustomerSummaryResponse = customerSummaryResponseSchema.parse(json)
 * ```
 */
export const customerSummaryResponseSchema = z.strictObject({
  summary: z.array(customerSummaryWireSchema),
});

/** The wire shape of the customer summary report. */
export type CustomerSummaryResponse = z.infer<typeof customerSummaryResponseSchema>;
/** The wire shape of one summary row. */
export type CustomerSummaryWire = z.infer<typeof customerSummaryWireSchema>;

/**
 * Whether a row's usage can be trusted: `reported` (a number), `not-reported` (`used` null or
 * absent: the product reports no usage) or `unreadable` (LMPI sent something else; a warning says what).
 */
export type UsageStatus = 'reported' | 'not-reported' | 'unreadable';

/** What one customer provisioned of one product in the report month, normalised. */
export interface CustomerUsageSummary {
  /** The customer; `null` when LMPI names none (`---`) or sends nothing. */
  customer: string | null;
  city: string | null;
  state: string | null;
  ownedByVendor: string | null;
  createdByVendor: string | null;
  productName: string;
  servicePlan: string | null;
  /** Units provisioned to the customer. */
  provisioned: number;
  /** Units used; `undefined` unless `usage` is `reported`. Never 0 in place of "unknown". */
  used?: number;
  usage: UsageStatus;
  unit: string | null;
}

/** The customer summary report, normalised. */
export interface CustomerSummaryReport {
  summary: CustomerUsageSummary[];
}

const shape = customerSummaryWireSchema.shape as z.ZodRawShape;

// provisioned and product_name are what the report is for: without them a row cannot be counted or
// attributed, so they reject the response. An unreadable `used` leaves the row with usage
// `unreadable` (and a warning); display fields fall back to null.
const summaryLeniency: Leniency = {
  customer: { fallback: null, expected: 'a customer name' },
  city: { fallback: null, expected: 'a city' },
  state: { fallback: null, expected: 'a state' },
  owned_by_vendor: { fallback: null, expected: 'a vendor name' },
  created_by_vendor: { fallback: null, expected: 'a vendor name' },
  product_name: { loose: z.string().min(1), critical: true, expected: 'a product name of 1-150 characters' },
  service_plan: { fallback: null, expected: 'a service plan name' },
  provisioned: { critical: true, expected: 'a whole number of units (integer or string)' },
  used: { expected: 'a whole number of units, or null when usage is not reported' },
  unit: { fallback: null, expected: 'a unit label' },
};

/** Human label for a summary row: position, customer and product when known. */
export const summaryLabel = reportRowLabel('summary', 'customer');

function toSummaryRow(values: Record<string, unknown>, usedSent: boolean): CustomerUsageSummary {
  const customer = textOrNull(values.customer);
  const used = readUnitCount(values.used);
  const row: CustomerUsageSummary = {
    customer: customer === UNNAMED_CUSTOMER ? null : customer,
    city: textOrNull(values.city),
    state: textOrNull(values.state),
    ownedByVendor: textOrNull(values.owned_by_vendor),
    createdByVendor: textOrNull(values.created_by_vendor),
    productName: values.product_name as string,
    servicePlan: textOrNull(values.service_plan),
    provisioned: readUnitCount(values.provisioned) as number,
    usage: used !== undefined ? 'reported' : usedSent ? 'unreadable' : 'not-reported',
    unit: textOrNull(values.unit),
  };
  if (used !== undefined) row.used = used;
  return row;
}

function readSummaryRow(raw: unknown, index: number, log: ParseLog): CustomerUsageSummary | undefined {
  const at = { path: `$.summary[${index}]`, record: summaryLabel(raw, index) };
  const values = readRecord(raw, shape, summaryLeniency, at, log);
  if (!values || !isPlainObject(raw)) return undefined;
  const usedSent = raw.used !== undefined && raw.used !== null;
  return toSummaryRow(values, usedSent);
}

/**
 * Parses a customer summary report against the documented contract. Any deviation throws.
 *
 * @throws {SchemaViolationError} naming each row and field at fault.
 * @example
 * ```ts
 * const { summary } = parseCustomerSummaryStrict(json)
 * ```
 */
export function parseCustomerSummaryStrict(json: unknown): CustomerSummaryReport {
  const result = customerSummaryResponseSchema.safeParse(json);
  if (!result.success) {
    throw new SchemaViolationError(
      'customer summary report response',
      toSchemaIssues(result.error, json, summaryLabel),
    );
  }
  return { summary: result.data.summary.map((row) => toSummaryRow(row, row.used != null)) };
}

/**
 * Parses a customer summary report for runtime use. `provisioned` and `used` are read from integers
 * or digit strings; `used: null` (or absent) is "no usage reported", never 0; an unreadable `used`
 * is flagged `usage: 'unreadable'` with a warning; an empty report is valid. A row whose
 * `provisioned` or `product_name` is missing or unreadable rejects the response.
 *
 * @throws {SchemaViolationError} naming each row and field at fault.
 * @example
 * ```ts
 * const { data, warnings } = parseCustomerSummary(json)
 * const billedOnProvisioned = data.summary.filter((row) => row.usage === 'not-reported')
 * ```
 */
export function parseCustomerSummary(json: unknown): LenientResult<CustomerSummaryReport> {
  const { rows, warnings } = readReportRows(json, 'summary', 'customer summary report response', readSummaryRow);
  return { data: { summary: rows }, warnings };
}
