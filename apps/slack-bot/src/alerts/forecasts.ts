import {
  analyseConsumption,
  type ConsumptionEstimate,
  dailySeries,
  type Forecast,
  forecastFrom,
  type HistoryPoint,
  type RuleResolver,
} from '@licensewatch/alerts';
import type { ProductProfile } from '@licensewatch/schema';

/** History read per poll: the forecast's 14-day window. */
export const FORECAST_WINDOW_MS = 14 * 86_400_000;

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
 * Each product's burn rate, forecast and daily trend from its history plus this poll's reading.
 *
 * @example
 * ```ts
 * const trends = poolTrends(products, await store.history.since(at - FORECAST_WINDOW_MS), ruleFor, at)
 * ```
 */
export function poolTrends(
  products: readonly ProductProfile[],
  history: ReadonlyMap<string, readonly HistoryPoint[]>,
  ruleFor: RuleResolver,
  at: number,
): PoolTrends {
  const trends: PoolTrends = { forecasts: new Map(), estimates: new Map(), daily: new Map() };
  for (const product of products) {
    const points = [...(history.get(product.productId) ?? []), { at, available: product.available }];
    trends.daily.set(product.productId, dailySeries(points, TREND_DAYS, at));
    const analysis = analyseConsumption(points);
    if (analysis.status !== 'estimate') continue;
    trends.estimates.set(product.productId, analysis);
    const forecast = forecastFrom(analysis, ruleFor(product).critical);
    if (forecast) trends.forecasts.set(product.productId, forecast);
  }
  return trends;
}
