import type { HistoryPoint } from '@licensewatch/alerts';

const DAY = 86_400_000;

/** A point of a chart line: days relative to now (negative: the past), licenses. */
export interface ChartPoint {
  x: number;
  y: number;
}

/**
 * Readings reduced to the last one of each `stepMs` (an hour by default), as days relative to
 * `now`: 8,640 five-minute readings become at most 720 points, and refills stay sharp.
 *
 * @example
 * ```ts
 * chartPoints(history, Date.now()) // [{ x: -29.96, y: 880 }, …, { x: 0, y: 120 }]
 * ```
 */
export function chartPoints(points: readonly HistoryPoint[], now: number, stepMs = 3_600_000): ChartPoint[] {
  const out: ChartPoint[] = [];
  let lastKey = Number.NaN;
  for (const point of points) {
    const key = Math.floor(point.at / stepMs);
    const value = { x: (point.at - now) / DAY, y: point.available };
    if (key === lastKey) out[out.length - 1] = value;
    else out.push(value);
    lastKey = key;
  }
  return out;
}
