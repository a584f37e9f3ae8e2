const UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Parses a duration such as `500ms`, `30s`, `5m`, `1h`, `1d`; a bare number means seconds.
 * Returns milliseconds, or `undefined` when the text is not a duration.
 *
 * @example
 * ```ts
 * parseDuration('5m') // 300000
 * ```
 */
export function parseDuration(text: string): number | undefined {
  const found = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/i.exec(text);
  if (!found) return undefined;
  const value = Number(found[1]) * (UNITS[(found[2] ?? 's').toLowerCase()] ?? 1_000);
  return Number.isFinite(value) ? Math.round(value) : undefined;
}
