import type { z } from 'zod';
import type { SchemaIssue } from './errors.js';

/** Names the record that a zod issue path points into, e.g. `product NNZBXXE1X (…)`. */
export type RecordLabeler = (raw: unknown, index: number) => string;

/** Formats a zod path as a JSON path: `$.products[3].available`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : `${out}.${String(key)}`), '$');
}

/**
 * Turns a zod error into issues that name the record (product, service plan) and field at fault.
 * Handles both response shapes: `{ products: [...] }` and a top-level array.
 */
export function toSchemaIssues(error: z.ZodError, json: unknown, label: RecordLabeler): SchemaIssue[] {
  return error.issues.map((issue) => {
    const { path } = issue;
    const indexAt = typeof path[0] === 'number' ? 0 : typeof path[1] === 'number' ? 1 : -1;
    const keys = issue.code === 'unrecognized_keys' ? ` (${issue.keys.join(', ')})` : '';
    if (indexAt < 0) {
      const field = path.length > 0 ? String(path[path.length - 1]) : undefined;
      return { path: formatPath(path), field, message: `${field ? `field "${field}": ` : ''}${issue.message}${keys}` };
    }
    const index = path[indexAt] as number;
    const list = indexAt === 0 ? json : (json as Record<PropertyKey, unknown>)[path[0] as PropertyKey];
    const record = label(Array.isArray(list) ? list[index] : undefined, index);
    const rest = path.slice(indexAt + 1).map(String);
    const field = rest.length > 0 ? rest.join('.') : undefined;
    return {
      path: formatPath(path),
      record,
      field,
      message: `${record}: ${field ? `field "${field}" ` : ''}${issue.message}${keys}`,
    };
  });
}
