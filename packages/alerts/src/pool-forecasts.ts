// The one place the bot and the CLI turn readings into forecasts, so `/licenses`, alerts and the
// CLI's `products`/`check` agree.
import type { ProductProfile } from '@licensewatch/schema';
import type { ConsumptionCache } from './consumption-cache.js';
import {
  analyseConsumption,
  type ConsumptionEstimate,
  FORECAST_DEFAULTS,
  type Forecast,
  forecastFrom,
  type HistoryPoint,
} from './forecast.js';
import type { RuleResolver } from './rules.js';
import type { RunwayBasis } from './runway-interval.js';

const DAY = 86_400_000;

/**
 * How much history to read for {@link forecastPools}: the forecast's 28-day window plus two days.
 * The step into the window is judged from the reading before it (and a glitch from the readings
 * around it), so a read of exactly the window rates a pool a little differently from the bot's
 * poller, whose consumption cache has seen the readings before the window. The bot's first poll and
 * the CLI both read this much, so they agree with the poller once it is warm.
 *
 * @example
 * ```ts
 * const history = await store.history.since(Date.now() - FORECAST_HISTORY_MS)
 * ```
 */
export const FORECAST_HISTORY_MS = FORECAST_DEFAULTS.windowMs + 2 * DAY;

/** {@link forecastPools}'s result, by product id. */
export interface PoolForecasts {
  /** Days to the critical level and to zero on the basis, for runway levels and forecast alerts. */
  forecasts: Map<string, Forecast>;
  /** The burn-rate estimate behind each forecast (also for products that are not consumed or empty). */
  estimates: Map<string, ConsumptionEstimate>;
}

/** Options of {@link forecastPools}. */
export interface PoolForecastOptions {
  /** Which end of the runway interval thresholds use; default `pessimistic`. */
  basis?: RunwayBasis | undefined;
  /**
   * Per-pool state kept between polls (the bot's poller): only readings it has not seen are fed,
   * with the same result. Pools not in `products` are forgotten.
   */
  cache?: ConsumptionCache | undefined;
}

/**
 * Each product's burn rate and depletion forecast from its recorded history plus the reading just
 * taken (`product.available` at `at`, added unless the history already ends there).
 *
 * @example
 * ```ts
 * const { forecasts } = forecastPools(products, await store.history.since(at - FORECAST_HISTORY_MS), ruleFor, at)
 * rateProducts(products, ruleFor, forecasts)
 * ```
 */
export function forecastPools(
  products: readonly ProductProfile[],
  history: ReadonlyMap<string, readonly HistoryPoint[]>,
  ruleFor: RuleResolver,
  at: number,
  options: PoolForecastOptions = {},
): PoolForecasts {
  const basis = options.basis ?? 'pessimistic';
  const out: PoolForecasts = { forecasts: new Map(), estimates: new Map() };
  const cache = options.cache;
  for (const product of products) {
    const points = history.get(product.productId);
    const analysis = cache
      ? cache.analyse(product.productId, points ?? [], { at, available: product.available })
      : analyseConsumption(withReading(points, { at, available: product.available }));
    if (analysis.status !== 'estimate') continue;
    out.estimates.set(product.productId, analysis);
    const forecast = forecastFrom(analysis, ruleFor(product).critical, basis);
    if (forecast) out.forecasts.set(product.productId, forecast);
  }
  cache?.retain(new Set(products.map((product) => product.productId)));
  return out;
}

/**
 * A pool's recorded history with the reading just taken at the end: what the forecast and the
 * chart of `/licenses <code>` and `licensewatch chart` are drawn from. The reading is added only
 * when it is newer than the history's last one: a history that already holds a reading at that
 * time or later (the poller recorded it; the bot's clock runs ahead of the CLI's) is returned as
 * it is, so the readings stay in time order and the forecast starts where the line ends, as with
 * the poller's consumption cache, which skips a reading not after the last one it saw.
 *
 * @example
 * ```ts
 * withReading([{ at: 1_000, available: 50 }], { at: 2_000, available: 48 })
 * // [{ at: 1_000, available: 50 }, { at: 2_000, available: 48 }]
 * withReading([{ at: 2_000, available: 48 }], { at: 2_000, available: 47 }) // [{ at: 2_000, available: 48 }]
 * ```
 */
export function withReading(
  points: readonly HistoryPoint[] | undefined,
  reading: HistoryPoint,
): readonly HistoryPoint[] {
  if (!points || points.length === 0) return [reading];
  const last = points[points.length - 1] as HistoryPoint;
  return last.at >= reading.at ? points : [...points, reading];
}
