import type { SchemaIssue } from './errors.js';
import { isPlainObject, type ParseLog } from './fields.js';

/**
 * What a lenient parse does with a record whose field we depend on is missing or unusable (e.g. a
 * product with `available: -5`):
 * - `reject` (default): the whole response is rejected ({@link SchemaViolationError}), as a
 *   record silently dropped would look like a record that vanished.
 * - `set-aside`: the record is left out of the data and reported in `setAside`, naming it, so the
 *   caller can use the rest and keep what it knew about that record. When more than half of the
 *   records are unusable, the response is still rejected: that is a changed contract, not a bad record.
 */
export type MalformedRecords = 'reject' | 'set-aside';

/** Options of the lenient parsers that read lists of records. */
export interface LenientParseOptions {
  /** Default `reject`. */
  malformed?: MalformedRecords;
}

/** A record a lenient parse could not use and set aside, with what was wrong with it. */
export interface SetAsideRecord {
  /** JSON path of the record, e.g. `$.products[3]`. */
  path: string;
  /** Human label, e.g. `product NNZBXXE1X (1b6c…)`. */
  record: string;
  /** Its product id, code and name, when they could be read (as text), to tell which product it is. */
  productId?: string;
  productCode?: string;
  productName?: string;
  /** Every unusable field of the record. */
  issues: SchemaIssue[];
}

const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value : undefined);

/**
 * Moves the issues a record added to `log` (from `issuesBefore` on) into a set-aside entry. Returns
 * false, leaving the issues in place, when nothing was wrong with the record or when records are
 * not set aside.
 */
export function setAsideIfMalformed(
  raw: unknown,
  at: { path: string; record: string },
  log: ParseLog,
  issuesBefore: number,
  setAside: SetAsideRecord[] | undefined,
): boolean {
  if (!setAside || log.issues.length === issuesBefore) return false;
  const issues = log.issues.splice(issuesBefore);
  const fields = isPlainObject(raw) ? raw : {};
  const identity = {
    productId: text(fields.product_id),
    productCode: text(fields.product_code),
    productName: text(fields.product_name),
  };
  setAside.push({
    path: at.path,
    record: at.record,
    ...Object.fromEntries(Object.entries(identity).filter(([, value]) => value !== undefined)),
    issues,
  });
  return true;
}

/**
 * After a list is read: when more than half of its `total` records were set aside, their issues go
 * back into `log` (and the response is rejected, as without set-aside).
 */
export function rejectIfMostlyMalformed(setAside: SetAsideRecord[] | undefined, total: number, log: ParseLog): void {
  if (!setAside || setAside.length === 0 || setAside.length * 2 <= total) return;
  for (const entry of setAside.splice(0)) log.issues.push(...entry.issues);
}
