import { outageCode } from '@licensewatch/store';

/**
 * What to tell someone whose change (an admin command, an alert button) met a database outage:
 * nothing was changed, and why, so a full or read-only disk gets fixed. Undefined when the error is
 * not an outage (a bug: let it surface).
 *
 * @example
 * ```ts
 * databaseRefusal(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }))
 * // 'The alert database cannot take changes right now (`SQLITE_FULL`: its disk is full), so nothing was changed. …'
 * ```
 */
export function databaseRefusal(error: unknown): string | undefined {
  const code = outageCode(error);
  if (!code) return undefined;
  const why = /^SQLITE_FULL|^53/.test(code)
    ? `cannot take changes right now (\`${code}\`: its disk is full)`
    : /^SQLITE_READONLY/.test(code)
      ? `cannot take changes right now (\`${code}\`: it is read-only)`
      : 'is unavailable right now';
  return `The alert database ${why}, so nothing was changed. Try again in a few minutes; \`/licenses\` still shows availability.`;
}
