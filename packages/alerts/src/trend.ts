import { firstAtOrAfter, type HistoryPoint } from './forecast.js';

const DAY = 86_400_000;
const BARS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;

/**
 * One value per day for the `days` days ending at `now`: the last reading of each day (UTC days
 * counted back from `now`), carried forward over days without a reading; `undefined` before the
 * first reading.
 *
 * @example
 * ```ts
 * dailySeries(points, 14, Date.now()) // [undefined, 880, 850, …, 120]
 * ```
 */
export function dailySeries(points: readonly HistoryPoint[], days: number, now: number): (number | undefined)[] {
  const out: (number | undefined)[] = new Array(days).fill(undefined);
  const start = now - days * DAY;
  // Readings are in time order: skip to the last one before the window (30 days of 5-minute
  // readings per pool would otherwise be walked on every poll).
  const first = firstAtOrAfter(points, start);
  let carried: number | undefined = first > 0 ? (points[first - 1] as HistoryPoint).available : undefined;
  let index = 0;
  for (let i = first; i < points.length; i += 1) {
    const point = points[i] as HistoryPoint;
    if (point.at > now) break;
    if (point.at < start) {
      carried = point.available;
      continue;
    }
    const slot = Math.min(days - 1, Math.floor((point.at - start) / DAY));
    while (index < slot) out[index++] = carried;
    carried = point.available;
    out[slot] = carried;
    index = slot;
  }
  for (let i = index; i < days; i += 1) out[i] = out[i] ?? carried;
  return out;
}

/**
 * A Unicode sparkline (`▁▂▃▄▅▆▇█`), scaled from 0 to the largest value so that a near-empty pool
 * looks near empty; a space for days without data.
 *
 * @example
 * ```ts
 * sparkline([800, 600, 400, 200, 900]) // '▇▆▄▃█'
 * ```
 */
export function sparkline(values: readonly (number | undefined)[]): string {
  const max = Math.max(0, ...values.filter((v): v is number => v !== undefined));
  return values
    .map((value) => {
      if (value === undefined) return ' ';
      if (max <= 0) return BARS[0];
      return BARS[Math.min(BARS.length - 1, Math.round((Math.max(0, value) / max) * (BARS.length - 1)))];
    })
    .join('');
}
