import type { DriftWarning } from './drift.js';
import { SchemaViolationError } from './errors.js';
import { describeValue, isPlainObject, type ParseLog } from './fields.js';
import { rejectIfMostlyMalformed, type SetAsideRecord, setAsideIfMalformed } from './set-aside.js';

/**
 * Reads the top level of a report response, `{ "<key>": [ ...rows ] }`, and hands each row to
 * `readRow`. An empty array is a valid, empty report. `null` is read as empty with a warning (an
 * empty list serialised as null); a missing key or any other value rejects the response, so that an
 * error can never look like an empty report. With `setAside`, a row with an unusable field we depend
 * on is set aside there instead of rejecting the response (unless more than half of them are);
 * `label` names it.
 */
export function readReportRows<T>(
  json: unknown,
  key: string,
  what: string,
  readRow: (raw: unknown, index: number, log: ParseLog) => T | undefined,
  setAside?: { records: SetAsideRecord[]; label: (raw: unknown, index: number) => string },
): { rows: T[]; warnings: DriftWarning[] } {
  if (!isPlainObject(json)) {
    throw new SchemaViolationError(what, [
      { path: '$', message: `expected a JSON object with "${key}", got ${describeValue(json)}` },
    ]);
  }
  const log: ParseLog = { warnings: [], issues: [] };
  const list = json[key];
  if (list === null) {
    log.warnings.push({
      kind: 'normalised',
      path: `$.${key}`,
      field: key,
      message: `field "${key}" is null; read as an empty report`,
    });
  } else if (!Array.isArray(list)) {
    throw new SchemaViolationError(what, [
      { path: `$.${key}`, field: key, message: `field "${key}" should be an array, got ${describeValue(list)}` },
    ]);
  }
  const rows: T[] = [];
  (list ?? []).forEach((raw: unknown, index: number) => {
    const issuesBefore = log.issues.length;
    const row = readRow(raw, index, log);
    const at = { path: `$.${key}[${index}]`, record: setAside?.label(raw, index) ?? `${key}[${index}]` };
    if (setAsideIfMalformed(raw, at, log, issuesBefore, setAside?.records)) return;
    if (row !== undefined && log.issues.length === issuesBefore) rows.push(row);
  });
  rejectIfMostlyMalformed(setAside?.records, (list ?? []).length, log);
  for (const field of Object.keys(json)) {
    if (field !== key) {
      log.warnings.push({
        kind: 'unknown-field',
        path: `$.${field}`,
        field,
        message: `undocumented field "${field}" ignored`,
      });
    }
  }
  if (log.issues.length > 0) throw new SchemaViolationError(what, log.issues);
  return { rows, warnings: log.warnings };
}

/**
 * Labels a report row for messages: its position, plus the customer and product when known, e.g.
 * `transaction[3] (Acme Corp / Apex One)`.
 */
export function reportRowLabel(list: string, customerKey: string) {
  return (raw: unknown, index: number): string => {
    if (!isPlainObject(raw)) return `${list}[${index}]`;
    const parts = [raw[customerKey], raw.product_name].filter((v): v is string => typeof v === 'string' && v !== '');
    return parts.length > 0 ? `${list}[${index}] (${parts.join(' / ')})` : `${list}[${index}]`;
  };
}

/** A text field's value, or null when it is absent, not text, or blank. */
export function textOrNull(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}
