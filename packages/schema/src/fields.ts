import type { z } from 'zod';
import type { DriftWarning } from './drift.js';
import type { SchemaIssue } from './errors.js';

/**
 * How far a lenient parse may stray from a field's documented (strict) schema.
 * The strict schema itself lives in the wire schema's shape, so both parses share one contract.
 */
export interface FieldLeniency {
  /** Widest value we can still use. Defaults to the strict schema. */
  loose?: z.ZodType;
  /** A field we depend on: missing or unusable makes the record an error, not a warning. */
  critical?: boolean;
  /** Maps a loose value to its documented spelling (e.g. `full` → `Full`). */
  normalise?: (value: never) => unknown;
  /** Used when a non-critical field is missing or unusable; `undefined` drops the field. */
  fallback?: unknown;
  /** Nested records (array items) read with their own leniency; bad items are dropped with a warning. */
  items?: { shape: z.ZodRawShape; leniency: Leniency };
  /** What the documentation expects, for messages, e.g. `a non-negative integer`. */
  expected: string;
}

export type Leniency = Record<string, FieldLeniency>;

/** Where a record sits in the response and how to name it to a human. */
export interface RecordLocation {
  path: string;
  record: string;
}

/** Collects warnings (tolerated) and issues (fatal) while reading one response. */
export interface ParseLog {
  warnings: DriftWarning[];
  issues: SchemaIssue[];
}

/** True for a non-null, non-array object. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Short, safe description of a received value for messages (strings truncated, never dumped whole). */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') {
    const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    return `string ${JSON.stringify(shown)}`;
  }
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

/**
 * Reads one record field by field against its strict shape and leniency.
 * Returns the usable values (documented spellings, fallbacks applied) or `undefined` when the
 * record is not an object. Fatal problems go to `log.issues`, tolerated ones to `log.warnings`.
 */
export function readRecord(
  raw: unknown,
  shape: z.ZodRawShape,
  leniency: Leniency,
  at: RecordLocation,
  log: ParseLog,
): Record<string, unknown> | undefined {
  if (!isPlainObject(raw)) {
    log.issues.push({
      path: at.path,
      record: at.record,
      message: `${at.record}: expected an object, got ${describeValue(raw)}`,
    });
    return undefined;
  }
  const values: Record<string, unknown> = {};
  for (const [field, rule] of Object.entries(leniency)) {
    const strict = shape[field] as z.ZodType;
    readField(raw, field, strict, rule, at, log, values);
  }
  for (const field of Object.keys(raw)) {
    if (!(field in leniency)) {
      log.warnings.push({
        kind: 'unknown-field',
        path: `${at.path}.${field}`,
        record: at.record,
        field,
        message: `${at.record}: undocumented field "${field}" ignored`,
      });
    }
  }
  return values;
}

function readField(
  raw: Record<string, unknown>,
  field: string,
  strict: z.ZodType,
  rule: FieldLeniency,
  at: RecordLocation,
  log: ParseLog,
  values: Record<string, unknown>,
): void {
  const path = `${at.path}.${field}`;
  const where = { path, record: at.record, field };
  const value = raw[field];
  const useFallback = () => {
    if (rule.fallback !== undefined) values[field] = rule.fallback;
  };
  if (value === undefined) {
    if (strict.safeParse(undefined).success) return; // documented as optional
    if (rule.critical) {
      log.issues.push({ ...where, message: `${at.record}: field "${field}" is missing (expected ${rule.expected})` });
      return;
    }
    log.warnings.push({ ...where, kind: 'missing-field', message: `${at.record}: field "${field}" is missing` });
    useFallback();
    return;
  }
  if (rule.items) {
    values[field] = readItems(value, rule, where, at, log);
    return;
  }
  if (strict.safeParse(value).success) {
    values[field] = value;
    return;
  }
  const loose = (rule.loose ?? strict).safeParse(value);
  if (!loose.success) {
    const message = `${at.record}: field "${field}" should be ${rule.expected}, got ${describeValue(value)}`;
    if (rule.critical) {
      log.issues.push({ ...where, message });
    } else {
      log.warnings.push({ ...where, kind: 'invalid-field', message: `${message}; ignored` });
      useFallback();
    }
    return;
  }
  const usable = rule.normalise ? rule.normalise(loose.data as never) : loose.data;
  values[field] = usable;
  if (usable !== loose.data && strict.safeParse(usable).success) {
    log.warnings.push({
      ...where,
      kind: 'normalised',
      message: `${at.record}: field "${field}" value ${describeValue(value)} normalised to ${JSON.stringify(usable)}`,
    });
  } else {
    log.warnings.push({
      ...where,
      kind: 'unexpected-value',
      message: `${at.record}: field "${field}" value ${describeValue(value)} is not ${rule.expected}; kept as received`,
    });
  }
}

function readItems(
  value: unknown,
  rule: FieldLeniency,
  where: { path: string; record: string; field: string },
  at: RecordLocation,
  log: ParseLog,
): unknown[] {
  if (!Array.isArray(value) || !rule.items) {
    log.warnings.push({
      ...where,
      kind: 'invalid-field',
      message: `${at.record}: field "${where.field}" should be ${rule.expected}, got ${describeValue(value)}; treated as empty`,
    });
    return [];
  }
  const items: unknown[] = [];
  value.forEach((item, index) => {
    const itemLog: ParseLog = { warnings: log.warnings, issues: [] };
    const itemAt = { path: `${where.path}[${index}]`, record: `${at.record} ${where.field}[${index}]` };
    const read = readRecord(item, rule.items?.shape ?? {}, rule.items?.leniency ?? {}, itemAt, itemLog);
    if (read && itemLog.issues.length === 0) {
      items.push(read);
      return;
    }
    for (const issue of itemLog.issues) {
      log.warnings.push({
        kind: 'invalid-field',
        path: issue.path,
        record: at.record,
        field: where.field,
        message: `${issue.message}; item dropped`,
      });
    }
  });
  return items;
}
