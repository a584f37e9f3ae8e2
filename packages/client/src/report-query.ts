import { type KnownTransactionType, TRANSACTION_TYPES } from '@licensewatch/schema';
import { LmpiConfigError } from './errors.js';

/** Report :: Customer :: Transactions path (v2; the v3 page documents the same report). */
export const TRANSACTION_REPORT_PATH = '/LMPI/v2/reports/transactions';
/** Report :: Customer :: Summary path. */
export const CUSTOMER_SUMMARY_PATH = '/LMPI/v2/reports/summary';

/** LMPI keeps report data for two years. */
export const REPORT_RETENTION_MONTHS = 24;

/** Which month's transactions to report, and optional filters. */
export interface TransactionReportQuery {
  /** Report cycle year, e.g. 2025. */
  year: number;
  /** Report cycle month, 1-12. */
  month: number;
  /** Only this product (GUID from `listProducts()`); rows name products by name only. */
  productId?: string;
  /** Only this documented type; omitted = all types (undocumented ones included). */
  type?: KnownTransactionType;
  /** e.g. `en-US` (LMPI's default). */
  languageCode?: string;
  /** A Windows time-zone name, e.g. `Tokyo Standard Time` (LMPI's default: `UTC`). */
  timeZone?: string;
}

/** Which month's customer summary to report, and optional filters. */
export interface CustomerSummaryQuery {
  year: number;
  month: number;
  /** Only this product (GUID). */
  productId?: string;
  /** Only this partner under the caller (GUID); omitted = all of them. */
  partnerId?: string;
  languageCode?: string;
}

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const LANGUAGE_CODE = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
const HOUR = 3_600_000;

const pad = (month: number) => String(month).padStart(2, '0');
const cycleName = (index: number) => `${Math.floor(index / 12)}-${pad((index % 12) + 1)}`;

function utcCycle(ms: number): number {
  const date = new Date(ms);
  return date.getUTCFullYear() * 12 + date.getUTCMonth();
}

/**
 * Checks the report month: a whole month 1-12, not in the future and not older than LMPI keeps
 * reports. "Now" is the client's clock; a month that has begun or not yet ended anywhere on Earth
 * (UTC-12 to UTC+14) counts as current, since the caller's and LMPI's time zones are not known.
 */
function checkCycle(year: number, month: number, nowMs: number): void {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) {
    throw new LmpiConfigError(`report year must be a four-digit whole number, got ${String(year)}`, 'year');
  }
  if (!Number.isInteger(month) || month < 1 || month > 12) {
    throw new LmpiConfigError(`report month must be a whole number from 1 to 12, got ${String(month)}`, 'month');
  }
  const cycle = year * 12 + (month - 1);
  const latest = utcCycle(nowMs + 14 * HOUR);
  const earliest = utcCycle(nowMs - 12 * HOUR) - REPORT_RETENTION_MONTHS;
  const field = year * 12 > latest || year * 12 + 11 < earliest ? 'year' : 'month';
  if (cycle > latest) {
    throw new LmpiConfigError(
      `report month ${cycleName(cycle)} is in the future (the latest is ${cycleName(latest)})`,
      field,
    );
  }
  if (cycle < earliest) {
    throw new LmpiConfigError(
      `report month ${cycleName(cycle)} is older than the 2 years LMPI keeps reports (the earliest is ${cycleName(earliest)})`,
      field,
    );
  }
}

function checkGuid(value: string | undefined, field: string): void {
  if (value !== undefined && !GUID.test(value)) {
    throw new LmpiConfigError(`${field} must be a GUID (8-4-4-4-12 hex digits), got ${JSON.stringify(value)}`, field);
  }
}

function checkLanguageCode(value: string | undefined): void {
  if (value !== undefined && !LANGUAGE_CODE.test(value)) {
    throw new LmpiConfigError(`languageCode must look like en-US, got ${JSON.stringify(value)}`, 'languageCode');
  }
}

function checkTimeZone(value: string | undefined): void {
  if (value === undefined) return;
  if (value.trim() === '' || value.length > 100) {
    throw new LmpiConfigError('timeZone must be a Windows time-zone name of 1-100 characters', 'timeZone');
  }
  if (value.includes('/')) {
    throw new LmpiConfigError(
      `timeZone must be a Windows time-zone name (e.g. "Tokyo Standard Time"), not an IANA name like ${JSON.stringify(value)}`,
      'timeZone',
    );
  }
}

function checkType(value: string | undefined): void {
  if (value !== undefined && !(TRANSACTION_TYPES as readonly string[]).includes(value)) {
    throw new LmpiConfigError(
      `type must be one of ${TRANSACTION_TYPES.join(', ')} (the documented transaction types), got ${JSON.stringify(value)}`,
      'type',
    );
  }
}

/**
 * The exact JSON body of a transaction report request: all values strings, month zero-padded,
 * optional filters left out when not given, keys in documented order. Validates first.
 *
 * @throws {LmpiConfigError} naming the field at fault; nothing is sent.
 * @example
 * ```ts
 * transactionReportBody({ year: 2025, month: 7, type: 'New Purchase' }, Date.now())
 * // '{"report_cycle_year":"2025","report_cycle_month":"07","transaction_type":"New Purchase"}'
 * ```
 */
export function transactionReportBody(query: TransactionReportQuery, nowMs: number): string {
  checkCycle(query.year, query.month, nowMs);
  checkType(query.type);
  checkGuid(query.productId, 'productId');
  checkLanguageCode(query.languageCode);
  checkTimeZone(query.timeZone);
  return JSON.stringify({
    report_cycle_year: String(query.year),
    report_cycle_month: pad(query.month),
    transaction_type: query.type,
    product_id: query.productId,
    language_code: query.languageCode,
    time_zone: query.timeZone,
  });
}

/**
 * The exact JSON body of a customer summary request (same rules as {@link transactionReportBody}).
 *
 * @throws {LmpiConfigError} naming the field at fault; nothing is sent.
 * @example
 * ```ts
 * customerSummaryBody({ year: 2018, month: 7 }, Date.UTC(2019, 0))
 * // '{"report_cycle_year":"2018","report_cycle_month":"07"}'
 * ```
 */
export function customerSummaryBody(query: CustomerSummaryQuery, nowMs: number): string {
  checkCycle(query.year, query.month, nowMs);
  checkGuid(query.partnerId, 'partnerId');
  checkGuid(query.productId, 'productId');
  checkLanguageCode(query.languageCode);
  return JSON.stringify({
    report_cycle_year: String(query.year),
    report_cycle_month: pad(query.month),
    partner_id: query.partnerId,
    product_id: query.productId,
    language_code: query.languageCode,
  });
}
