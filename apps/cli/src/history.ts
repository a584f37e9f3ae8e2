import {
  type ConsumptionEstimate,
  type Forecast,
  forecastPools,
  type HistoryPoint,
  type RuleResolver,
  type RunwayBasis,
} from '@licensewatch/alerts';
import type { ProductProfile } from '@licensewatch/schema';
import { readBotStore } from './overrides.js';

const DAY = 86_400_000;

/** The bot's recorded `available` history (30 days by default), by product id, read-only. */
export async function readHistory(databaseUrl: string, now: number, days = 30): Promise<Map<string, HistoryPoint[]>> {
  return readBotStore(databaseUrl, 'history', (store) => store.history.since(now - days * DAY));
}

/** What the CLI shows about burn rates: forecasts (runways) and the estimates behind them. */
export interface CliForecasts {
  forecasts: Map<string, Forecast>;
  estimates: Map<string, ConsumptionEstimate>;
}

/**
 * Each product's burn rate and depletion forecast from the bot's history plus the reading just
 * fetched, with the bot's own function (`forecastPools`), so the CLI rates by runway exactly as
 * `/licenses` and the alerts do.
 *
 * @example
 * ```ts
 * const { forecasts } = forecastsFrom(products, await readHistory(url, Date.now()), ruleFor, Date.now())
 * ```
 */
export function forecastsFrom(
  products: readonly ProductProfile[],
  history: ReadonlyMap<string, readonly HistoryPoint[]>,
  ruleFor: RuleResolver,
  now: number,
  basis?: RunwayBasis,
): CliForecasts {
  return forecastPools(products, history, ruleFor, now, { basis });
}

/** Said once (on stderr) when there is no history to rate runways on. */
export const NO_HISTORY_NOTE =
  'licensewatch: no runways or burn rates: DATABASE_URL is not set, so there is no history (levels are by count only; set DATABASE_URL to the bot database)';
