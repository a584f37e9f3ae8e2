import {
  analyseConsumption,
  type Forecast,
  forecastFrom,
  type HistoryPoint,
  type RuleResolver,
} from '@licensewatch/alerts';
import type { ProductProfile } from '@licensewatch/schema';
import { readBotStore } from './overrides.js';

const DAY = 86_400_000;

/** The bot's recorded `available` history (30 days by default), by product id, read-only. */
export async function readHistory(databaseUrl: string, now: number, days = 30): Promise<Map<string, HistoryPoint[]>> {
  return readBotStore(databaseUrl, 'history', (store) => store.history.since(now - days * DAY));
}

/**
 * Each product's depletion forecast from the bot's history plus the reading just fetched, computed
 * as the bot's poller does (so the CLI rates by runway exactly as Slack does).
 *
 * @example
 * ```ts
 * const forecasts = forecastsFrom(products, await readHistory(url, Date.now()), ruleFor, Date.now())
 * ```
 */
export function forecastsFrom(
  products: readonly ProductProfile[],
  history: ReadonlyMap<string, readonly HistoryPoint[]>,
  ruleFor: RuleResolver,
  now: number,
): Map<string, Forecast> {
  const out = new Map<string, Forecast>();
  for (const product of products) {
    const analysis = analyseConsumption([
      ...(history.get(product.productId) ?? []),
      { at: now, available: product.available },
    ]);
    if (analysis.status !== 'estimate') continue;
    const forecast = forecastFrom(analysis, ruleFor(product).critical);
    if (forecast) out.set(product.productId, forecast);
  }
  return out;
}
