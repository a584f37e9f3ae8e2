// The poll works in slices and hands the event loop back between them, so `/licenses` (answered on
// the same event loop) never waits behind a whole poll of a large catalogue.
import type { AlertEvent, HistoryPoint, RuleResolver } from '@licensewatch/alerts';
import type { ProductProfile } from '@licensewatch/schema';
import { type PoolTrends, poolTrends } from './forecasts.js';

/** Products analysed between two yields: a few milliseconds of work. */
export const PRODUCTS_PER_SLICE = 500;

/**
 * Crossings per poll whose transaction report is asked for (who drained the pool). A first poll
 * of a large catalogue can cross thousands of pools at once; those beyond the cap go out without
 * attribution instead of sending LMPI one report request each (23,395 on one first poll).
 */
export const MAX_ATTRIBUTIONS_PER_POLL = 50;

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

/**
 * The events whose crossings may ask for a transaction report this poll: every event, but only the
 * first `max` Low/Critical crossings (the rest are left out of attribution, not out of the alerts).
 *
 * @example
 * ```ts
 * await attributions.forEvents(withinAttributionCap(events))
 * ```
 */
export function withinAttributionCap(events: readonly AlertEvent[], max = MAX_ATTRIBUTIONS_PER_POLL): AlertEvent[] {
  let crossings = 0;
  return events.filter((event) => {
    if (event.kind !== 'alert' || event.level === 'ok' || event.episode === undefined) return true;
    crossings += 1;
    return crossings <= max;
  });
}
