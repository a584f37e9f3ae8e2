/** One availability reading. */
export interface HistoryPoint {
  at: number;
  available: number;
}

/** When a pool is expected to reach a level at the recent consumption rate. */
export interface Forecast {
  /** Days from the latest reading until `level` is reached (0 if already there). */
  days: number;
  /** Licenses consumed per day (positive). */
  perDay: number;
}

const DAY = 86_400_000;

/**
 * Least-squares trend over recent readings. Only forecasts with a downward trend, at least
 * `minPoints` readings, and readings spanning at least `minSpanMs`; otherwise `undefined`.
 *
 * @example
 * ```ts
 * forecastDepletion(points, 20)?.days // 6.5
 * ```
 */
export function forecastDepletion(
  points: readonly HistoryPoint[],
  level: number,
  options: { minPoints?: number; minSpanMs?: number } = {},
): Forecast | undefined {
  const minPoints = options.minPoints ?? 4;
  const minSpanMs = options.minSpanMs ?? 30 * 60_000;
  if (points.length < minPoints) return undefined;
  const first = points[0];
  const last = points[points.length - 1];
  if (!first || !last || last.at - first.at < minSpanMs) return undefined;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (const p of points) {
    const x = (p.at - first.at) / DAY;
    sx += x;
    sy += p.available;
    sxx += x * x;
    sxy += x * p.available;
  }
  const n = points.length;
  const denominator = n * sxx - sx * sx;
  if (denominator <= 0) return undefined;
  const slope = (n * sxy - sx * sy) / denominator;
  if (!(slope < 0)) return undefined;
  const perDay = -slope;
  const days = Math.max(0, (last.available - level) / perDay);
  return { days, perDay };
}

/**
 * "runs out in ~N days" style text.
 *
 * @example
 * ```ts
 * describeForecast({ days: 6.4, perDay: 12 }, 'critical') // 'critical in ~6 days'
 * ```
 */
export function describeForecast(forecast: Forecast, what = 'runs out'): string {
  if (forecast.days < 1) return `${what} within a day`;
  const days = Math.round(forecast.days);
  return `${what} in ~${days} day${days === 1 ? '' : 's'}`;
}
