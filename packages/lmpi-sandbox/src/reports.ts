import type { StoredProduct } from './catalogue.js';
import type { LedgerProduct, RecordedTransaction, TransactionLedger } from './ledger.js';
import type { LmpiErrorAnswer } from './lmpi-errors.js';

// The sandbox's own reading of the report requests (reference §3.3, §3.3b): it shares no code with
// the client, so a body the client builds wrongly (a number instead of a string, an unpadded month)
// fails here instead of passing on both sides.

/** The v2 report paths (v3: the same under `/LMPI/v3/`). */
export const TRANSACTION_REPORT_PATH = '/LMPI/v2/reports/transactions';
export const CUSTOMER_SUMMARY_PATH = '/LMPI/v2/reports/summary';

const DOCUMENTED_TYPES = ['New Purchase', 'License Change', 'License Convert'];
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** A report request as the sandbox understood it. */
export interface ReportRequest {
  year: number;
  month: number;
  transactionType?: string;
  productId?: string;
  partnerId?: string;
}

/**
 * `InvalidParameters{Field}`: LMPI appends the field name to the subject. The exact spelling is not
 * documented; the sandbox uses the field in PascalCase (`InvalidParametersReportCycleMonth`).
 */
function invalid(field: string, message: string): LmpiErrorAnswer {
  const pascal = field.replace(/(^|_)([a-z])/g, (_m, _s, letter: string) => letter.toUpperCase());
  return { status: 400, subject: `InvalidParameters${pascal}`, message };
}

function optionalString(body: Record<string, unknown>, field: string): string | LmpiErrorAnswer | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') return invalid(field, `${field} must be a non-empty string.`);
  return value;
}

/**
 * Reads and checks a report request body (the same in v2 and v3); an LMPI 400 answer when it is not
 * acceptable. `report` is the resource: `reports/transactions` or `reports/summary`.
 */
export function readReportRequest(
  report: 'reports/transactions' | 'reports/summary',
  raw: Buffer,
): ReportRequest | LmpiErrorAnswer {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    return { status: 400, subject: 'InvalidParameters', message: 'The request body is not valid JSON.' };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { status: 400, subject: 'InvalidParameters', message: 'The request body must be a JSON object.' };
  }
  const fields = body as Record<string, unknown>;
  const year = fields.report_cycle_year;
  if (typeof year !== 'string' || !/^\d{4}$/.test(year)) {
    return invalid('report_cycle_year', 'report_cycle_year is required as a "YYYY" string.');
  }
  const month = fields.report_cycle_month;
  if (typeof month !== 'string' || !/^(0[1-9]|1[0-2])$/.test(month)) {
    return invalid('report_cycle_month', 'report_cycle_month is required as an "MM" string (01-12).');
  }
  const request: ReportRequest = { year: Number(year), month: Number(month) };
  const optional =
    report === 'reports/transactions'
      ? ['transaction_type', 'product_id', 'language_code', 'time_zone']
      : ['partner_id', 'product_id', 'language_code'];
  for (const field of optional) {
    const value = optionalString(fields, field);
    if (typeof value === 'object') return value;
    if (value === undefined) continue;
    if ((field === 'product_id' || field === 'partner_id') && !GUID.test(value))
      return invalid(field, `${field} must be a GUID.`);
    if (field === 'transaction_type' && !DOCUMENTED_TYPES.includes(value)) {
      return invalid(field, `transaction_type must be one of ${DOCUMENTED_TYPES.join(', ')}.`);
    }
    if (field === 'transaction_type') request.transactionType = value;
    if (field === 'product_id') request.productId = value;
    if (field === 'partner_id') request.partnerId = value;
  }
  return request;
}

/** True when `value` is an error answer rather than a request. */
export function isErrorAnswer(value: ReportRequest | LmpiErrorAnswer): value is LmpiErrorAnswer {
  return 'subject' in value;
}

/** Start charge dates as the sandbox writes them: ISO 8601 UTC without milliseconds. */
const chargeDate = (iso: string | undefined) => (iso ? iso.replace(/\.\d{3}Z$/, 'Z') : '');

/** One wire row of the transaction report. Counts are strings, as in the documented sample. */
export function transactionRow(entry: RecordedTransaction) {
  return {
    type: entry.type,
    vendor_company_name: entry.customer.vendor.name,
    created_by: entry.customer.vendor.name,
    customer_company: entry.customer.name,
    product_name: entry.productName,
    version: entry.version,
    previous_units_allocated: String(entry.previousUnitsAllocated),
    units_allocated: String(entry.unitsAllocated),
    change_units: String(entry.changeUnits),
    unit: 'unit(s)',
    'previous_start_charge _date': chargeDate(entry.previousAt),
    new_start_charge_date: chargeDate(entry.at),
  };
}

/** The transaction report body for a request. No report field is pricing, so every role gets the same rows. */
export function transactionReportBody(ledger: TransactionLedger, request: ReportRequest) {
  const rows = ledger
    .list({ year: request.year, month: request.month, ...(request.productId ? { product: request.productId } : {}) })
    .filter((entry) => request.transactionType === undefined || entry.type === request.transactionType);
  return { transaction: rows.map(transactionRow) };
}

/** Products that report usage: SaaS and suites do; on-premises software does not (`used: null`). */
function reportsUsage(product: StoredProduct | undefined): boolean {
  return product?.type !== 'Software';
}

function servicePlanName(product: StoredProduct | undefined, fallback: LedgerProduct): string {
  const plans = Array.isArray(product?.service_plans) ? (product.service_plans as { name?: unknown }[]) : [];
  const name = plans[0]?.name;
  return typeof name === 'string' ? name : `${fallback.productName} Full`;
}

/**
 * The customer summary body: per customer and product, the units provisioned at the end of the
 * month (the sum of all allocations up to then: with no earlier history, the sum of the month's
 * transactions) and the units used, or `null` for products that report no usage.
 */
export function customerSummaryBody(ledger: TransactionLedger, request: ReportRequest, catalogue: StoredProduct[]) {
  const rows = ledger
    .holdingsAt(request.year, request.month)
    .filter((entry) => request.productId === undefined || entry.productId === request.productId)
    .filter((entry) => request.partnerId === undefined || entry.customer.vendor.partnerId === request.partnerId)
    .map((entry) => {
      const product = catalogue.find((p) => p.product_id === entry.productId);
      return {
        customer: entry.customer.name,
        city: entry.customer.city,
        state: entry.customer.state,
        owned_by_vendor: entry.customer.vendor.name,
        created_by_vendor: entry.customer.vendor.name,
        product_name: entry.productName,
        service_plan: servicePlanName(product, entry),
        provisioned: entry.unitsAllocated,
        used: reportsUsage(product) ? Math.floor(entry.unitsAllocated * entry.customer.usageShare) : null,
        unit: 'unit(s)',
      };
    });
  return { summary: rows };
}
