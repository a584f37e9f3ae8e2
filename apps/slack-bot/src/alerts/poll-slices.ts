// The poll works in slices and hands the event loop back between them, so `/licenses` (answered on
// the same event loop) never waits behind a whole poll of a large catalogue.
import type { HistoryPoint, RuleResolver } from '@licensewatch/alerts';
import type { ProductProfile } from '@licensewatch/schema';
import { type PoolTrends, poolTrends } from './forecasts.js';

/** Products analysed between two yields: a few milliseconds of work. */
export const PRODUCTS_PER_SLICE = 500;

/**
 * Lets pending I/O (an incoming `/licenses`) run before the poll continues.
 *
 * @example
 * ```ts
 * await yieldToRequests()
 * ```
 */
export function yieldToRequests(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * {@link poolTrends} for the whole catalogue, {@link PRODUCTS_PER_SLICE} products at a time with a
 * yield between slices. Same result as one call.
 *
 * @example
 * ```ts
 * const trends = await poolTrendsInSlices(products, history, ruleFor, at)
 * ```
 */
export async function poolTrendsInSlices(
  products: readonly ProductProfile[],
  history: ReadonlyMap<string, readonly HistoryPoint[]>,
  ruleFor: RuleResolver,
  at: number,
): Promise<PoolTrends> {
  const trends: PoolTrends = { forecasts: new Map(), estimates: new Map(), daily: new Map() };
  for (let start = 0; start < products.length; start += PRODUCTS_PER_SLICE) {
    const slice = poolTrends(products.slice(start, start + PRODUCTS_PER_SLICE), history, ruleFor, at);
    for (const [id, value] of slice.forecasts) trends.forecasts.set(id, value);
    for (const [id, value] of slice.estimates) trends.estimates.set(id, value);
    for (const [id, value] of slice.daily) trends.daily.set(id, value);
    await yieldToRequests();
  }
  return trends;
}
