import type { LevelsFor } from '@licensewatch/alerts';
import type { Store } from '@licensewatch/store';
import type { CatalogueCache } from '../catalogue-cache.js';
import { type HealthSources, healthReport, readiness } from '../health.js';
import { createMetrics } from './metrics.js';
import { OpsState } from './ops-state.js';
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
  };
}

/** The bot's operations side, as {@link createOps} builds it. */
export type BotOps = ReturnType<typeof createOps>;
