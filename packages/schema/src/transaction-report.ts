import { z } from 'zod';
import type { LenientResult } from './drift.js';
import { SchemaViolationError } from './errors.js';
import { type Leniency, type ParseLog, readRecord } from './fields.js';
import { toSchemaIssues } from './issues.js';
import { readReportRows, reportRowLabel, textOrNull } from './report-envelope.js';
import type { LenientParseOptions, SetAsideRecord } from './set-aside.js';
import { readUnitCount, unitChangeWireSchema, unitCountWireSchema } from './unit-counts.js';
import {
  canonicalSpelling,
  LICENSE_VERSIONS,
  type LicenseVersion,
  TRANSACTION_TYPES,
  type TransactionType,
} from './vocabulary.js';

/** The documented sample spells this key with a space; the spaceless spelling is accepted too. */
const PREVIOUS_DATE_SPACED = 'previous_start_charge _date';
const PREVIOUS_DATE = 'previous_start_charge_date';
/** What LMPI sends in `customer_company` when no customer is named (the documented sample). */
export const UNNAMED_CUSTOMER = '---';

/**
 * One row of Report :: Customer :: Transactions as documented (`POST /LMPI/v2/reports/transactions`).
 * Unit counts are strings in the documented sample; integers are accepted too. The previous start
 * charge date may come as `previous_start_charge _date` (the sample's spelling, with a space) or
 * `previous_start_charge_date`.
 *
 * @example
 * ```ts
 * transactionWireSchema.safeParse(json.transaction[0]).success
 * ```
 */
export const transactionWireSchema = z.strictObject({
  type: z.enum(TRANSACTION_TYPES),
  vendor_company_name: z.string(),
  created_by: z.string(),
  customer_company: z.string(),
  product_name: z.string().min(1).max(150),
  version: z.enum(LICENSE_VERSIONS),
  previous_units_allocated: unitCountWireSchema,
  units_allocated: unitCountWireSchema,
  change_units: unitChangeWireSchema,
  unit: z.string(),
  [PREVIOUS_DATE_SPACED]: z.string().optional(),
  [PREVIOUS_DATE]: z.string().optional(),
  new_start_charge_date: z.string(),
});

/**
 * The documented transaction report body, `{ "transaction": [...] }`. Strict: any deviation fails,
 * including a transaction type outside the documented three.
 *
 * @example
 * ```ts
 * const body: TransactionReportResponse = transactionReportResponseSchema.parse(json)
 * ```
 */
export const transactionReportResponseSchema = z.strictObject({
  transaction: z.array(transactionWireSchema),
});

/** The wire shape of the transaction report (snake_case, as LMPI sends it). */
export type TransactionReportResponse = z.infer<typeof transactionReportResponseSchema>;
/** The wire shape of one transaction row. */
export type TransactionWire = z.infer<typeof transactionWireSchema>;

/** One license allocation change for a customer, normalised from the wire shape. */
export interface CustomerTransaction {
  /** `New Purchase`, `License Change`, `License Convert`, or an undocumented type as received; `null` when absent. */
  type: TransactionType | null;
  /** The partner company the customer belongs to. */
  vendorCompanyName: string | null;
  createdBy: string | null;
  /** The customer; `null` when LMPI names none (it sends `---`) or the field is absent. */
  customerCompany: string | null;
  productName: string;
  version: LicenseVersion | null;
  /** Units the customer had before; `undefined` when LMPI sent something unreadable (a warning says so). */
  previousUnitsAllocated?: number;
  /** Units the customer has after; `undefined` when unreadable (a warning says so). */
  unitsAllocated?: number;
  /** Units added to the customer (negative: taken back). Positive means fewer left in the partner's pool. */
  changeUnits: number;
  /** Unit label as LMPI sends it, e.g. `unit(s)`. */
  unit: string | null;
  /** As received (format not documented; depends on `time_zone`); `null` when empty or absent. */
  previousStartChargeDate: string | null;
  /** As received; `null` when empty or absent. */
  newStartChargeDate: string | null;
}

/** The transaction report, normalised. */
export interface TransactionReport {
  transactions: CustomerTransaction[];
}

const shape = transactionWireSchema.shape as z.ZodRawShape;

// change_units and product_name are what "who drained it" adds up: a row without them would make
// every sum silently wrong, so they reject the response. The other counts and labels are display
// fields: unreadable ones are dropped (undefined / null) with a warning, never read as 0.
const transactionLeniency: Leniency = {
  type: {
    loose: z.string().min(1),
    normalise: canonicalSpelling(TRANSACTION_TYPES),
    fallback: null,
    expected: 'one of New Purchase, License Change, License Convert',
  },
  vendor_company_name: { fallback: null, expected: 'a company name' },
  created_by: { fallback: null, expected: 'a name' },
  customer_company: { fallback: null, expected: 'a customer company name' },
  product_name: { loose: z.string().min(1), critical: true, expected: 'a product name of 1-150 characters' },
  version: {
    loose: z.string().min(1),
    normalise: canonicalSpelling(LICENSE_VERSIONS),
    fallback: null,
    expected: 'one of Trial, Full',
  },
  previous_units_allocated: { expected: 'a whole number of units (string or integer)' },
  units_allocated: { expected: 'a whole number of units (string or integer)' },
  change_units: { critical: true, expected: 'a whole, possibly negative, number of units (string or integer)' },
  unit: { fallback: null, expected: 'a unit label' },
  [PREVIOUS_DATE_SPACED]: { fallback: null, expected: 'a date' },
  [PREVIOUS_DATE]: { fallback: null, expected: 'a date' },
  new_start_charge_date: { fallback: null, expected: 'a date' },
};

/** Human label for a transaction row: position, customer and product when known. */
export const transactionLabel = reportRowLabel('transaction', 'customer_company');

function toCustomerTransaction(values: Record<string, unknown>): CustomerTransaction {
  const customer = textOrNull(values.customer_company);
  const transaction: CustomerTransaction = {
    type: (values.type ?? null) as TransactionType | null,
    vendorCompanyName: textOrNull(values.vendor_company_name),
    createdBy: textOrNull(values.created_by),
    customerCompany: customer === UNNAMED_CUSTOMER ? null : customer,
    productName: values.product_name as string,
    version: (values.version ?? null) as LicenseVersion | null,
    changeUnits: readUnitCount(values.change_units) as number,
    unit: textOrNull(values.unit),
    previousStartChargeDate: textOrNull(values[PREVIOUS_DATE] ?? values[PREVIOUS_DATE_SPACED]),
    newStartChargeDate: textOrNull(values.new_start_charge_date),
  };
  const previous = readUnitCount(values.previous_units_allocated);
  if (previous !== undefined) transaction.previousUnitsAllocated = previous;
  const allocated = readUnitCount(values.units_allocated);
  if (allocated !== undefined) transaction.unitsAllocated = allocated;
  return transaction;
}

function readTransaction(raw: unknown, index: number, log: ParseLog): CustomerTransaction | undefined {
  const at = { path: `$.transaction[${index}]`, record: transactionLabel(raw, index) };
  const values = readRecord(raw, shape, transactionLeniency, at, log);
  if (!values) return undefined;
  const spaced = values[PREVIOUS_DATE_SPACED];
  const spaceless = values[PREVIOUS_DATE];
  if (typeof spaced === 'string' && typeof spaceless === 'string' && spaced !== spaceless) {
    log.warnings.push({
      kind: 'duplicate',
      path: `${at.path}.${PREVIOUS_DATE}`,
      record: at.record,
      field: PREVIOUS_DATE,
      message: `${at.record}: both "${PREVIOUS_DATE_SPACED}" and "${PREVIOUS_DATE}" sent and they differ; "${PREVIOUS_DATE}" used`,
    });
  }
  return toCustomerTransaction(values);
}

/**
 * Parses a transaction report against the documented contract. Any deviation throws: use it in
 * contract tests and in the sandbox's own checks.
 *
 * @throws {SchemaViolationError} naming each row and field at fault.
 * @example
 * ```ts
 * const { transactions } = parseTransactionReportStrict(json)
 * ```
 */
export function parseTransactionReportStrict(json: unknown): TransactionReport {
  const result = transactionReportResponseSchema.safeParse(json);
  if (!result.success) {
    throw new SchemaViolationError('transaction report response', toSchemaIssues(result.error, json, transactionLabel));
  }
  return { transactions: result.data.transaction.map((row) => toCustomerTransaction(row)) };
}

/**
 * Parses a transaction report for runtime use. Counts sent as strings or integers are both read;
 * unknown transaction types and versions are kept with a warning; `---` as customer reads as `null`;
 * both spellings of the previous start charge date are accepted; an empty report is valid.
 * A row whose `change_units` or `product_name` is missing or unreadable rejects the response (a
 * sum over the rows would silently be wrong); other unreadable fields become `undefined`/`null` with
 * a warning. With `{ malformed: 'set-aside' }` such a row is instead left out and named in
 * `setAside` (with its product name when readable: that product's sums are incomplete), unless more
 * than half of the rows are unusable.
 *
 * @throws {SchemaViolationError} naming each row and field at fault.
 * @example
 * ```ts
 * const { data, warnings } = parseTransactionReport(json)
 * const drained = data.transactions.reduce((sum, t) => sum + t.changeUnits, 0)
 * ```
 */
export function parseTransactionReport(
  json: unknown,
  options: LenientParseOptions = {},
): LenientResult<TransactionReport> {
  const setAside = options.malformed === 'set-aside' ? ([] as SetAsideRecord[]) : undefined;
  const { rows, warnings } = readReportRows(
    json,
    'transaction',
    'transaction report response',
    readTransaction,
    setAside ? { records: setAside, label: transactionLabel } : undefined,
  );
  return { data: { transactions: rows }, warnings, ...(setAside ? { setAside } : {}) };
}
