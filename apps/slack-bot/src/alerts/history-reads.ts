// What the poller reads of the history each poll. The forecast's consumption cache needs only the
// readings new since the last poll, and the sparklines only the reading last before each day
// boundary: once warm, a poll reads those (the readings new since the last read, and those that
// crossed a day boundary since), not the whole 28-day window again.
import { FORECAST_HISTORY_MS, type HistoryPoint } from '@licensewatch/alerts';
import type { HistoryStore, TimeRange } from '@licensewatch/store';
import { FORECAST_WINDOW_MS, TREND_DAYS } from './forecasts.js';

const DAY = 86_400_000;

/** What one poll read: readings for the forecast, and each product's daily values. */
export interface PollHistory {
  /** Cold: the readings of the last `FORECAST_HISTORY_MS`; warm: only those at or after the last read. */
  readings: Map<string, HistoryPoint[]>;
  /** One value per day for the last {@link TREND_DAYS} days, the last one left for this poll's reading. */
  daily: (productId: string) => (number | undefined)[];
}

/**
 * The poller's history between polls: per product, the reading last before each of the day
 * boundaries behind the sparklines (as of the last read). The first read, a read after more than
 * a day, after {@link reset}, or with a product it does not know reads the whole window; the others
 * read only what changed, with the same results.
 *
 * @example
 * ```ts
 * const reads = new HistoryReads(settings.historyRetentionMs)
 * const { readings, daily } = await reads.read(store.history, products.map((p) => p.productId), at)
 * ```
 */
export class HistoryReads {
  /** `dayEnds.get(id)[j - 1]`: the last reading before `lastReadAt - j days`, j = 1..TREND_DAYS - 1. */
  private dayEnds = new Map<string, (HistoryPoint | undefined)[]>();
  private lastReadAt: number | undefined;

  /** `retentionMs`: how long readings are kept (shorter than the window: every read is whole). */
  constructor(private readonly retentionMs: number) {}

  /** Forgets everything: the next read is whole (after a poll that failed half way). */
  reset(): void {
    this.dayEnds = new Map();
    this.lastReadAt = undefined;
  }

  /** Reads for a poll at `at` of `productIds`. */
  async read(
    history: Pick<HistoryStore, 'since' | 'inRanges'>,
    productIds: readonly string[],
    at: number,
  ): Promise<PollHistory> {
    const last = this.lastReadAt;
    const warm =
      last !== undefined &&
      at > last &&
      at - last <= DAY &&
      this.retentionMs >= FORECAST_WINDOW_MS &&
      productIds.every((id) => this.dayEnds.has(id));
    const readings = warm
      ? await history.inRanges(boundaryRanges(last, at))
      : await history.since(at - FORECAST_HISTORY_MS); // the window and the readings before it, as the CLI reads
    const dayEnds = new Map<string, (HistoryPoint | undefined)[]>();
    for (const id of productIds) {
      const points = readings.get(id) ?? [];
      dayEnds.set(id, warm ? advanced(this.dayEnds.get(id) ?? [], points, last, at) : fromWindow(points, at));
    }
    this.dayEnds = dayEnds;
    this.lastReadAt = at;
    if (warm) for (const [id, points] of readings) readings.set(id, points.slice(firstAtOrAfter(points, last)));
    const oldest = at - FORECAST_WINDOW_MS;
    return {
      readings,
      daily: (productId) => {
        const ends = dayEnds.get(productId) ?? [];
        const out: (number | undefined)[] = new Array(TREND_DAYS).fill(undefined);
        for (let j = 1; j < TREND_DAYS; j += 1) {
          const point = ends[j - 1];
          if (point && point.at >= oldest) out[TREND_DAYS - 1 - j] = point.available;
        }
        return out;
      },
    };
  }
}

/** What changed between reads at `last` and `at`: new readings, and those past each day boundary. */
function boundaryRanges(last: number, at: number): TimeRange[] {
  const ranges: TimeRange[] = [{ from: last, to: Number.POSITIVE_INFINITY }];
  for (let j = 1; j < TREND_DAYS; j += 1) ranges.push({ from: last - j * DAY, to: at - j * DAY });
  return ranges;
}

/** The reading last before each day boundary, from the whole window. */
function fromWindow(points: readonly HistoryPoint[], at: number): (HistoryPoint | undefined)[] {
  const ends: (HistoryPoint | undefined)[] = [];
  for (let j = 1; j < TREND_DAYS; j += 1) ends.push(points[firstAtOrAfter(points, at - j * DAY) - 1]);
  return ends;
}

/** Each boundary moved from `last` to `at`: the last reading it passed, else the one it had. */
function advanced(
  ends: readonly (HistoryPoint | undefined)[],
  points: readonly HistoryPoint[],
  last: number,
  at: number,
): (HistoryPoint | undefined)[] {
  const out: (HistoryPoint | undefined)[] = [];
  for (let j = 1; j < TREND_DAYS; j += 1) {
    const passed = points[firstAtOrAfter(points, at - j * DAY) - 1];
    out.push(passed && passed.at >= last - j * DAY ? passed : ends[j - 1]);
  }
  return out;
}

/** Index of the first reading at or after `at` (readings in time order). */
function firstAtOrAfter(points: readonly HistoryPoint[], at: number): number {
  let low = 0;
  let high = points.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((points[mid] as HistoryPoint).at < at) low = mid + 1;
    else high = mid;
  }
  return low;
}
