// The one place the bot and the CLI turn readings into forecasts, so `/licenses`, alerts and the
// CLI's `products`/`check` agree.
import type { ProductProfile } from '@licensewatch/schema';
import type { ConsumptionCache } from './consumption-cache.js';
import {
  analyseConsumption,
  type ConsumptionEstimate,
  type Forecast,
  forecastFrom,
  type HistoryPoint,
} from './forecast.js';
import type { RuleResolver } from './rules.js';
import type { RunwayBasis } from './runway-interval.js';

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
      : analyseConsumption(withReading(points, at, product.available));
    if (analysis.status !== 'estimate') continue;
    out.estimates.set(product.productId, analysis);
    const forecast = forecastFrom(analysis, ruleFor(product).critical, basis);
    if (forecast) out.forecasts.set(product.productId, forecast);
  }
  cache?.retain(new Set(products.map((product) => product.productId)));
  return out;
}

/** The history with this poll's reading at the end (not twice when already recorded). */
export function withReading(
  points: readonly HistoryPoint[] | undefined,
  at: number,
  available: number,
): readonly HistoryPoint[] {
  const last = points?.[points.length - 1];
  if (!points || points.length === 0) return [{ at, available }];
  if (last && last.at === at && last.available === available) return points;
  return [...points, { at, available }];
}
