import {
  type ConsumptionCache,
  type ConsumptionEstimate,
  dailySeries,
  FORECAST_DEFAULTS,
  type Forecast,
  forecastPools,
  type HistoryPoint,
  type RuleResolver,
  type RunwayBasis,
} from '@licensewatch/alerts';
import type { ProductProfile } from '@licensewatch/schema';

/** The forecast's window (28 days): sparkline values older than it are not shown. A cold poll reads `FORECAST_HISTORY_MS`. */
export const FORECAST_WINDOW_MS = FORECAST_DEFAULTS.windowMs;

/** Days in the `/licenses` and App Home sparklines. */
export const TREND_DAYS = 14;

/** What one poll derives from the history: per product id. */
export interface PoolTrends {
  /** Days to the critical level (and to zero), for the engine's runway levels and forecast alerts. */
  forecasts: Map<string, Forecast>;
  /** The burn-rate estimate behind each forecast (also for products that are not consumed). */
  estimates: Map<string, ConsumptionEstimate>;
  /** One value per day for the last {@link TREND_DAYS} days (sparklines). */
  daily: Map<string, (number | undefined)[]>;
}

/**
 * Each product's burn rate, forecast and daily trend from its history plus this poll's reading;
 * the forecasts come from `forecastPools`, the same function the CLI uses. With a `cache` the
 * history may hold only the readings new to it, and then `dailyFor` gives the daily values.
 *
 * @example
 * ```ts
 * const trends = poolTrends(products, await store.history.since(at - FORECAST_HISTORY_MS), ruleFor, at)
 * ```
 */
export function poolTrends(
  products: readonly ProductProfile[],
  history: ReadonlyMap<string, readonly HistoryPoint[]>,
  ruleFor: RuleResolver,
  at: number,
  basis?: RunwayBasis,
  cache?: ConsumptionCache,
  dailyFor?: (productId: string) => (number | undefined)[],
): PoolTrends {
  const { forecasts, estimates } = forecastPools(products, history, ruleFor, at, { basis, cache });
  const daily = new Map<string, (number | undefined)[]>();
  for (const product of products) {
    // This poll's reading is the last day's last reading: set it rather than copy the history.
    const series = dailyFor
      ? dailyFor(product.productId)
      : dailySeries(history.get(product.productId) ?? [], TREND_DAYS, at);
    series[TREND_DAYS - 1] = product.available;
    daily.set(product.productId, series);
  }
  return { forecasts, estimates, daily };
}
