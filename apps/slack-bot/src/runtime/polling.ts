import type { ThresholdConfig } from '@licensewatch/alerts';
import type { Store } from '@licensewatch/store';
import type { Logger } from 'pino';
import { ConsumerAttributions } from '../alerts/attribution.js';
import { AlertPoller, type PollerDeps, type PollingSettings } from '../alerts/poller.js';
import type { DeliveryDispatcher } from '../delivery/dispatcher.js';
import type { LmpiAccess } from './lmpi-access.js';

/** The polling side's slice of the configuration. */
export interface PollingSlice extends PollingSettings {
  /** How long an alert waits for who drained the pool (tests set it). */
  attributionBudgetMs?: number | undefined;
}

/** What the poller needs from the rest of the bot. */
export interface PollingDeps {
  store: Store;
  lmpi: Pick<LmpiAccess, 'cache' | 'client' | 'responses'>;
  dispatcher: DeliveryDispatcher;
  thresholds: ThresholdConfig;
  /** Whether PagerDuty is paged too. */
  pagerduty: boolean;
  logger: Logger;
  holder: string;
  now: () => number;
  onPoll: PollerDeps['onPoll'];
  ensureSchema: PollerDeps['ensureSchema'];
}

/**
 * Builds the polling side: the alert poller (one replica polls at a time, through a lease) and
 * the attribution lookups its alerts carry, straight from LMPI.
 *
 * @example
 * ```ts
 * const poller = buildPoller({ pollIntervalMs, alertChannel, historyRetentionMs }, deps)
 * poller.start()
 * ```
 */
export function buildPoller(slice: PollingSlice, deps: PollingDeps): AlertPoller {
  const { lmpi, logger } = deps;
  return new AlertPoller({
    store: deps.store,
    cache: lmpi.cache,
    dispatcher: deps.dispatcher,
    settings: slice,
    pagerduty: deps.pagerduty,
    thresholds: deps.thresholds,
    logger,
    holder: deps.holder,
    now: deps.now,
    ...(deps.onPoll ? { onPoll: deps.onPoll } : {}),
    ...(deps.ensureSchema ? { ensureSchema: deps.ensureSchema } : {}),
    attributions: new ConsumerAttributions({
      // Straight from LMPI, not the /licenses cache: an episode's first crossing wants this minute's data.
      transactions: async (query) => {
        const result = await lmpi.client.reportTransactions(query, { malformed: 'set-aside' });
        lmpi.responses.observe('transaction report', result);
        return result;
      },
      logger,
      ...(slice.attributionBudgetMs !== undefined ? { budgetMs: slice.attributionBudgetMs } : {}),
    }),
  });
}
