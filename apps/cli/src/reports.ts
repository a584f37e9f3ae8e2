// `licensewatch transactions` and `licensewatch usage`: LMPI's transaction and customer summary
// reports as a table, JSON or CSV (for spreadsheets and PSA imports).
import { containsText, usageTotalsByProduct } from '@licensewatch/alerts';
import { explainLmpiFailure, isLmpiError, type LmpiClient } from '@licensewatch/client';
import {
  type CustomerTransaction,
  type CustomerUsageSummary,
  errorMessage,
  type KnownTransactionType,
  TRANSACTION_TYPES,
} from '@licensewatch/schema';
import type { CliIo } from './commands.js';
import { toCsv } from './csv.js';
import { EXIT, UsageError } from './exit-codes.js';
import { startSpinner } from './spinner.js';
import { renderTable } from './table.js';
import { type LmpiFlags, resolveTarget } from './target.js';

/** Output flags shared by both reports. */
export interface ReportOutput {
  json?: boolean;
  csv?: boolean;
}

export interface TransactionsOptions extends LmpiFlags, ReportOutput {
  month: string;
  product?: string;
  type?: string;
}

export interface UsageOptions extends LmpiFlags, ReportOutput {
  month: string;
  customer?: string;
}

/**
 * `--month YYYY-MM` as a report cycle.
 *
 * @throws {UsageError} for anything else (exit 64, one line).
 * @example
 * ```ts
 * parseMonth('2025-07') // { year: 2025, month: 7 }
 * ```
 */
export function parseMonth(text: string): { year: number; month: number } {
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(text.trim());
  if (!match) throw new UsageError(`--month must be a month as YYYY-MM, e.g. 2025-07, got ${JSON.stringify(text)}`);
  return { year: Number(match[1]), month: Number(match[2]) };
}

const isKnownType = (text: string): text is KnownTransactionType =>
  (TRANSACTION_TYPES as readonly string[]).includes(text);

/** Runs LMPI calls (reports, plans): a bad report query (month out of range) is a usage error, any other failure exit 3. */
export async function withLmpi<T>(
  options: LmpiFlags & ReportOutput,
  io: CliIo,
  work: (client: LmpiClient) => Promise<T>,
): Promise<{ value?: T; code: number }> {
  if (options.json && options.csv) throw new UsageError('--json and --csv cannot be used together');
  const target = await resolveTarget(options, io.env, io.err);
  const stop = startSpinner(process.stderr, 'asking LMPI…', 300, io.interactive);
  try {
    return { value: await work(target.client), code: EXIT.ok };
  } catch (error) {
    if (error instanceof UsageError) throw error;
    if (isLmpiError(error) && error.code === 'ERR_LMPI_CONFIG') throw new UsageError(error.message);
    const { kind, reason, check } = explainLmpiFailure(error);
    io.err(`licensewatch: ${reason}: ${errorMessage(error)}\n  ${check}`);
    if (options.json)
      io.out(JSON.stringify({ status: 'error', error: { kind, reason, message: errorMessage(error) } }, null, 2));
    return { code: EXIT.lmpiError };
  } finally {
    stop();
    await target.close();
  }
}

/** The product id of a product code, from `listProducts()`. */
async function productIdOf(client: LmpiClient, code: string): Promise<{ productId: string; productName: string }> {
  const { products } = await client.listProducts();
  const wanted = code.trim().toUpperCase();
  const product = products.find((p) => p.productCode.toUpperCase() === wanted);
  if (!product)
    throw new UsageError(
      `--product: LMPI lists no product with code ${JSON.stringify(code)} (licensewatch products lists them)`,
    );
  return product;
}

const cycleText = (c: { year: number; month: number }) => `${c.year}-${String(c.month).padStart(2, '0')}`;

const TRANSACTION_COLUMNS = [
  'type',
  'vendor_company_name',
  'created_by',
  'customer_company',
  'product_name',
  'version',
  'previous_units_allocated',
  'units_allocated',
  'change_units',
  'unit',
  'previous_start_charge_date',
  'new_start_charge_date',
] as const;

function transactionRecord(t: CustomerTransaction) {
  return [
    t.type,
    t.vendorCompanyName,
    t.createdBy,
    t.customerCompany,
    t.productName,
    t.version,
    t.previousUnitsAllocated,
    t.unitsAllocated,
    t.changeUnits,
    t.unit,
    t.previousStartChargeDate,
    t.newStartChargeDate,
  ];
}

/** `licensewatch transactions --month YYYY-MM [--product CODE] [--type TYPE]`. */
export async function transactionsCommand(options: TransactionsOptions, io: CliIo): Promise<number> {
  const cycle = parseMonth(options.month);
  if (options.type !== undefined && !isKnownType(options.type))
    throw new UsageError(`--type must be one of ${TRANSACTION_TYPES.map((t) => JSON.stringify(t)).join(', ')}`);
  const type = options.type;
  const { value, code } = await withLmpi(options, io, async (client) => {
    const product = options.product ? await productIdOf(client, options.product) : undefined;
    const report = await client.reportTransactions({
      ...cycle,
      ...(product ? { productId: product.productId } : {}),
      ...(type ? { type } : {}),
    });
    return { ...report, product };
  });
  if (!value) return code;
  for (const warning of value.warnings) io.err(`licensewatch: warning: LMPI drift: ${warning.message}`);
  const { transactions } = value;
  if (options.json) {
    io.out(
      JSON.stringify(
        {
          month: cycleText(cycle),
          productId: value.product?.productId ?? null,
          transactions,
          warnings: value.warnings,
        },
        null,
        2,
      ),
    );
  } else if (options.csv) {
    io.write(toCsv(TRANSACTION_COLUMNS, transactions.map(transactionRecord)));
  } else {
    io.out(
      renderTable(transactions, [
        { title: 'DATE', value: (t) => t.newStartChargeDate ?? '-' },
        { title: 'TYPE', value: (t) => t.type ?? '-' },
        { title: 'CUSTOMER', value: (t) => t.customerCompany ?? '(unnamed)', max: 40 },
        { title: 'PRODUCT', value: (t) => t.productName, max: 40 },
        { title: 'CHANGE', value: (t) => `${t.changeUnits > 0 ? '+' : ''}${t.changeUnits}`, align: 'right' },
        {
          title: 'UNITS',
          value: (t) => (t.unitsAllocated === undefined ? '-' : String(t.unitsAllocated)),
          align: 'right',
        },
      ]),
    );
  }
  io.err(
    `${transactions.length} transactions in ${cycleText(cycle)} (UTC)${value.product ? ` for ${value.product.productName}` : ''}`,
  );
  return EXIT.ok;
}

const USAGE_COLUMNS = [
  'customer',
  'city',
  'state',
  'owned_by_vendor',
  'created_by_vendor',
  'product_name',
  'service_plan',
  'provisioned',
  'used',
  'usage',
  'unit',
] as const;

function usageRecord(row: CustomerUsageSummary) {
  return [
    row.customer,
    row.city,
    row.state,
    row.ownedByVendor,
    row.createdByVendor,
    row.productName,
    row.servicePlan,
    row.provisioned,
    row.used,
    row.usage,
    row.unit,
  ];
}

const usedCell = (row: CustomerUsageSummary) =>
  row.usage === 'reported' && row.used !== undefined
    ? String(row.used)
    : row.usage === 'unreadable'
      ? 'unreadable'
      : 'not reported';

/** `licensewatch usage --month YYYY-MM [--customer TEXT]`: LMP's customer summary (provisioned vs used). */
export async function usageCommand(options: UsageOptions, io: CliIo): Promise<number> {
  const cycle = parseMonth(options.month);
  const { value, code } = await withLmpi(options, io, (client) => client.reportCustomerSummary(cycle));
  if (!value) return code;
  for (const warning of value.warnings) io.err(`licensewatch: warning: LMPI drift: ${warning.message}`);
  const summary = value.summary.filter((row) => !options.customer || containsText([row.customer], options.customer));
  const totals = usageTotalsByProduct(summary);
  if (options.json) {
    const rows = summary.map((row) => ({ ...row, used: row.used ?? null }));
    io.out(JSON.stringify({ month: cycleText(cycle), summary: rows, totals, warnings: value.warnings }, null, 2));
  } else if (options.csv) {
    io.write(toCsv(USAGE_COLUMNS, summary.map(usageRecord)));
  } else {
    io.out(
      renderTable(summary, [
        { title: 'CUSTOMER', value: (r) => r.customer ?? '(unnamed)', max: 40 },
        { title: 'PRODUCT', value: (r) => r.productName, max: 40 },
        { title: 'SERVICE PLAN', value: (r) => r.servicePlan ?? '-', max: 30 },
        { title: 'PROVISIONED', value: (r) => String(r.provisioned), align: 'right' },
        { title: 'USED', value: usedCell, align: 'right' },
      ]),
    );
    for (const total of totals)
      io.err(
        `total ${total.productName}: provisioned ${total.provisioned}, used ${total.used} (${total.reporting} of ${total.customers} rows report usage)`,
      );
  }
  io.err(`${summary.length} rows for ${cycleText(cycle)} (LMP's usage reports summarise a past month)`);
  return EXIT.ok;
}
