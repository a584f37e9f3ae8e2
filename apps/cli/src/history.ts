import { FORECAST_HISTORY_MS, type HistoryPoint } from '@licensewatch/alerts';
import { readBotStore } from './overrides.js';

const DAY = 86_400_000;

/** History the CLI reads: what the forecast reads (`FORECAST_HISTORY_MS`), and the chart's 30 days. */
const HISTORY_MS = Math.max(FORECAST_HISTORY_MS, 30 * DAY);

/**
 * The bot's recorded `available` history, by product id, read-only: enough for `forecastPools`
 * (the same span the bot's poller reads) and for the 30-day chart.
 *
 * @example
 * ```ts
 * const { forecasts } = forecastPools(products, await readHistory(url, Date.now()), ruleFor, Date.now())
 * ```
 */
export async function readHistory(databaseUrl: string, now: number): Promise<Map<string, HistoryPoint[]>> {
  return readBotStore(databaseUrl, 'history', (store) => store.history.since(now - HISTORY_MS));
}

/** Said once (on stderr) when there is no history to rate runways on. */
export const NO_HISTORY_NOTE =
  'licensewatch: no runways or burn rates: DATABASE_URL is not set, so there is no history (levels are by count only; set DATABASE_URL to the bot database)';
