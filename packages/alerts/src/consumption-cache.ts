// Forecasts per poll at the cost of the new readings: one ConsumptionTracker per pool, kept
// between polls and fed only what it has not seen.
import { ConsumptionTracker } from './consumption-tracker.js';
import {
  type ConsumptionAnalysis,
  estimateFrom,
  FORECAST_DEFAULTS,
  type ForecastOptions,
  firstAtOrAfter,
  type HistoryPoint,
  inTimeOrder,
} from './forecast.js';

/**
 * Per-pool consumption state between polls, for append-only histories (as the bot records them).
 * `analyse(pool, points)` gives exactly what `analyseConsumption(points)` gives, but feeds only the
 * readings after the last one it saw: it finds that reading in `points` by time (binary search),
 * and starts over when it is missing or its count differs (the history was rewritten). Readings
 * that are all newer (only what arrived since the last poll) are taken as the continuation.
 *
 * @example
 * ```ts
 * const cache = new ConsumptionCache()
 * // every poll:
 * const analysis = cache.analyse(product.productId, history, { at: now, available: product.available })
 * ```
 */
export class ConsumptionCache {
  private readonly pools = new Map<string, ConsumptionTracker>();
  private readonly settings: typeof FORECAST_DEFAULTS;

  constructor(options: ForecastOptions = {}) {
    this.settings = { ...FORECAST_DEFAULTS, ...options };
  }

  /** The pool's analysis after `points` (time order) and then `latest`, when given. */
  analyse(poolId: string, points: readonly HistoryPoint[], latest?: HistoryPoint): ConsumptionAnalysis {
    const tracker = this.trackerFor(poolId, points);
    if (latest) tracker.feed([latest]);
    return estimateFrom(tracker.window(this.settings.recentMs), this.settings);
  }

  /** Forgets every pool not in `poolIds` (products gone from the catalogue); their rings go back for reuse. */
  retain(poolIds: ReadonlySet<string>): void {
    for (const [id, tracker] of this.pools) {
      if (poolIds.has(id)) continue;
      tracker.release();
      this.pools.delete(id);
    }
  }

  /** Pools held. */
  get size(): number {
    return this.pools.size;
  }

  private trackerFor(poolId: string, points: readonly HistoryPoint[]): ConsumptionTracker {
    const known = this.pools.get(poolId);
    if (known) {
      const from = resumeIndex(known, points);
      if (from !== undefined) {
        known.feed(points, from);
        return known;
      }
    }
    // A history rewritten starts over in the same tracker, its ring kept (no allocation).
    const tracker = known?.reset() ?? new ConsumptionTracker(this.settings.windowMs);
    if (!tracker.feed(points)) tracker.reset().feed(inTimeOrder(points));
    this.pools.set(poolId, tracker);
    return tracker;
  }
}

/** Where to go on feeding `points` into a tracker; undefined when they do not continue what it saw. */
function resumeIndex(tracker: ConsumptionTracker, points: readonly HistoryPoint[]): number | undefined {
  if (points.length === 0) return 0;
  const at = firstAtOrAfter(points, tracker.lastAt);
  for (let i = Math.max(1, at); i < points.length; i += 1)
    if ((points[i] as HistoryPoint).at < (points[i - 1] as HistoryPoint).at) return undefined; // not in time order
  const found = points[at];
  if (found && found.at === tracker.lastAt) return found.available === tracker.lastAvailable ? at + 1 : undefined;
  // Only newer readings continue it; anything else (the last one missing or changed) starts over.
  return at === 0 && found && found.at > tracker.lastAt ? 0 : undefined;
}
