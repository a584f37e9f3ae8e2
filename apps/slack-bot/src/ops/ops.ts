import type { AlertEvent, LevelsFor } from '@licensewatch/alerts';
import type { DatabaseHealth, Store } from '@licensewatch/store';
import type { Logger } from 'pino';
import type { CatalogueCache } from '../catalogue-cache.js';
import { databaseHealthLogger, deadLetterCount, type HealthSources, healthReport, readiness } from './health.js';
import { createMetrics } from './metrics.js';
import { OpsState, type PollRecord } from './ops-state.js';
import { OutageNotices } from './outage-notices.js';
import type { OpsEndpoints } from './routes.js';

export interface OpsOptions {
  cache: CatalogueCache;
  store: Store;
  modes: HealthSources['modes'];
  pollIntervalMs: number;
  metricsToken: string | undefined;
  levelsFor: () => LevelsFor;
  now: () => number;
  /** Alert channels the Slack start-up check found unusable (shown in /healthz). */
  alertChannelProblems?: HealthSources['alertChannelProblems'];
  /** Where database outages are logged (once each). Absent: not logged. */
  logger?: Logger;
  /** The notifiers configured (`slack`, and `pagerduty` when set up), for the outbox metrics. */
  notifiers?: readonly string[];
}

/**
 * The bot's operations side in one place: the state probes read, the metrics, the endpoints, and
 * the hooks the other parts feed (LMPI attempts and errors, poll ticks, Slack calls, commands).
 *
 * @example
 * ```ts
 * const ops = createOps({ cache, store, modes, pollIntervalMs, metricsToken, levelsFor, now })
 * createSlackApp({ ...deps, ops: ops.endpoints, observe: ops.observe })
 * ```
 */
export function createOps(options: OpsOptions) {
  const state = new OpsState(options.now);
  if (options.modes.slack === 'socket') state.socketConnected = false;
  const metrics = createMetrics(options);
  const sources: HealthSources = { ...options, ops: state };
  const logHealth = options.logger ? databaseHealthLogger(options.logger) : undefined;
  let notices: OutageNotices | undefined;
  const endpoints: OpsEndpoints = {
    readiness: async () => readiness(sources),
    health: () => healthReport(sources),
    metrics: async () => ({ contentType: metrics.registry.contentType, text: await metrics.registry.metrics() }),
    metricsToken: options.metricsToken,
  };
  return {
    state,
    metrics,
    endpoints,
    /** For `createSlackApp`'s `observe`. */
    observe: {
      slackCall: metrics.slackCall,
      command: metrics.command,
      refused: metrics.requestRefused,
      socket: (up: boolean) => {
        state.socketConnected = up;
      },
    },
    /** For the catalogue cache's fetch: a failed LMPI product list of this kind. */
    lmpiFailed(kind: string, message: string): void {
      metrics.lmpiError(kind);
      state.recordError(`lmpi:${kind}`, message);
    },
    /** For the store's `onHealthChange`: logged once per transition, and a channel notice once announcing. */
    databaseHealth(health: DatabaseHealth): void {
      logHealth?.(health);
      notices?.database(health);
    },
    /**
     * For the poller's `onPoll`: probe state, metrics, and after a tick this replica polled, the
     * dead-letter notice (the replica that polls speaks for all).
     */
    polled(record: PollRecord, events: readonly AlertEvent[]): void {
      state.recordPoll(record);
      metrics.poll(record, events);
      if (record.outcome === 'ok' || record.outcome === 'lmpi-error')
        options.store.outbox.counts().then(
          (counts) => notices?.deadLetters(deadLetterCount(counts)),
          () => undefined, // the database outage has its own notice
        );
    },
    /**
     * Starts the channel notices for outages of shared dependencies (database, dead letters),
     * posted with `post` (once the alert channel is joined). Before this, outages are only logged.
     */
    announceWith(post: (text: string) => Promise<void>, logger: Logger): void {
      notices = new OutageNotices({ post, speaksForAll: () => state.polledLast, logger });
      const health = options.store.health();
      if (health.status === 'down') notices.database(health);
    },
  };
}

/** The bot's operations side, as {@link createOps} builds it. */
export type BotOps = ReturnType<typeof createOps>;
