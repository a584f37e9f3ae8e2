const UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * Parses `500ms`, `30s`, `5m`, `1h`, `2d`, `1w`; a bare number is seconds. `undefined` if not a duration.
 *
 * @example
 * ```ts
 * parseDuration('1d') // 86400000
 * ```
 */
export function parseDuration(text: string): number | undefined {
  const found = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)?\s*$/i.exec(text);
  if (!found) return undefined;
  const value = Number(found[1]) * (UNITS[(found[2] ?? 's').toLowerCase()] ?? 1_000);
  return Number.isFinite(value) ? Math.round(value) : undefined;
}

/**
 * Short human form: `90 s`, `5 min`, `3 h`, `2 days`.
 *
 * @example
 * ```ts
 * formatDuration(3_600_000) // '1 h'
 * ```
 */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 120) return `${m} min`;
  const h = Math.round(m / 60);
  if (h < 48) return `${h} h`;
  const d = Math.round(h / 24);
  return `${d} day${d === 1 ? '' : 's'}`;
}
