import { type AlertEvent, type LevelsFor, rateProducts } from '@licensewatch/alerts';
import type { LmpiAttemptEvent } from '@licensewatch/client';
import type { Store } from '@licensewatch/store';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { CatalogueCache } from '../catalogue-cache.js';
import type { PollRecord } from './ops-state.js';

/** What the scrape-time gauges read: the cache as it is, the levels in force, the outbox. */
export interface MetricsSources {
  cache: CatalogueCache;
  levelsFor: () => LevelsFor;
  store: Pick<Store, 'outbox'>;
  now: () => number;
}

const OUTBOX_STATUSES = ['pending', 'sending', 'posted', 'failed', 'dead'];
const LEVELS = ['ok', 'low', 'critical'] as const;

/**
 * The LMPI endpoint of a request path, without query string and with id-like segments replaced,
 * so the label stays bounded by the client's fixed set of endpoints.
 */
export function lmpiEndpoint(path: string): string {
  const bare = path.split('?')[0] ?? path;
  return bare.replace(/\/[0-9a-f]{8}-[0-9a-f-]{27,}/gi, '/:id').replace(/\/\d+(?=\/|$)/g, '/:id');
}

/** The Slack Web API method of a request URL (`chat.postMessage`), `respond` for a response_url. */
export function slackMethod(url: string): string {
  const match = /\/api\/([a-zA-Z]+(?:\.[a-zA-Z]+)+)$/.exec(new URL(url).pathname);
  return match?.[1] ?? 'respond';
}

/**
 * licensewatch's Prometheus metrics on their own registry (with prom-client's default Node
 * metrics). Counters and histograms are fed by the parts as things happen; product, outbox and
 * level gauges are computed at scrape time from the cache and the database.
 *
 * Label sets are bounded: LMPI `endpoint` by the client's endpoints, `kind` by the client's error
 * kinds, Slack `method` by the methods the bot calls, `product_code` by the partner's catalogue
 * (one series per product LMPI lists; series of products that leave the catalogue are dropped).
 *
 * @example
 * ```ts
 * const metrics = createMetrics(sources)
 * createLmpiClient({ ...target, onAttempt: metrics.lmpiAttempt })
 * const text = await metrics.registry.metrics()
 * ```
 */
export function createMetrics(sources: MetricsSources) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const lmpiDuration = new Histogram({
    name: 'licensewatch_lmpi_request_duration_seconds',
    help: 'LMPI request attempts (each retry counts) by endpoint and outcome.',
    labelNames: ['endpoint', 'outcome'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  });
  const lmpiErrors = new Counter({
    name: 'licensewatch_lmpi_errors_total',
    help: 'LMPI product-list fetches that failed after retries, by error kind.',
    labelNames: ['kind'],
    registers,
  });
  const pollDuration = new Histogram({
    name: 'licensewatch_poll_duration_seconds',
    help: 'Alert poller ticks by outcome (ok, follower, lmpi_error, failed).',
    labelNames: ['outcome'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers,
  });
  const pollLastSuccess = new Gauge({
    name: 'licensewatch_poll_last_success_timestamp_seconds',
    help: 'When this replica last completed a successful poll tick (Unix time).',
    registers,
  });
  const transitions = new Counter({
    name: 'licensewatch_alert_transitions_total',
    help: 'Alert transitions recorded by this replica: into low or critical, and back to ok.',
    labelNames: ['level'],
    registers,
  });
  const slackCalls = new Counter({
    name: 'licensewatch_slack_api_calls_total',
    help: 'Slack Web API calls (and response_url replies as method "respond") by method and outcome.',
    labelNames: ['method', 'outcome'],
    registers,
  });
  const commandDuration = new Histogram({
    name: 'licensewatch_slash_command_duration_seconds',
    help: '/licenses handling time: signature checked and body parsed to the answer sent (ack or respond).',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });

  new Gauge({
    name: 'licensewatch_products',
    help: 'Products in the latest catalogue this replica holds, by level.',
    labelNames: ['level'],
    registers,
    collect() {
      const snapshot = sources.cache.peek().snapshot;
      const counts = { ok: 0, low: 0, critical: 0 };
      if (snapshot)
        for (const rated of rateProducts(snapshot.catalogue.products, sources.levelsFor())) counts[rated.level] += 1;
      for (const level of LEVELS) this.set({ level }, counts[level]);
    },
  });
  new Gauge({
    name: 'licensewatch_product_available',
    help: 'Licenses available per product in the latest catalogue (label bounded by the catalogue).',
    labelNames: ['product_code'],
    registers,
    collect() {
      this.reset();
      const snapshot = sources.cache.peek().snapshot;
      for (const product of snapshot?.catalogue.products ?? [])
        this.set({ product_code: product.productCode }, product.available);
    },
  });
  new Gauge({
    name: 'licensewatch_lmpi_data_age_seconds',
    help: 'Age of the product data this replica serves.',
    registers,
    collect() {
      const snapshot = sources.cache.peek().snapshot;
      if (snapshot) this.set((sources.now() - snapshot.fetchedAt) / 1000);
    },
  });
  new Gauge({
    name: 'licensewatch_outbox_rows',
    help: 'Alert outbox rows by status (failed and dead rows will not be delivered).',
    labelNames: ['status'],
    registers,
    async collect() {
      const counts: Record<string, number | undefined> = await sources.store.outbox.counts();
      for (const status of new Set([...OUTBOX_STATUSES, ...Object.keys(counts)]))
        this.set({ status }, counts[status] ?? 0);
    },
  });
  new Gauge({
    name: 'licensewatch_outbox_oldest_pending_age_seconds',
    help: 'Age of the oldest alert still waiting for delivery (0 when none waits).',
    registers,
    async collect() {
      const oldest = await sources.store.outbox.oldestWaitingAt();
      this.set(oldest === undefined ? 0 : Math.max(0, (sources.now() - oldest) / 1000));
    },
  });

  for (const level of LEVELS) transitions.labels({ level }).inc(0);

  return {
    registry,
    /** For the LMPI client's `onAttempt`. */
    lmpiAttempt(event: LmpiAttemptEvent): void {
      lmpiDuration.observe(
        { endpoint: lmpiEndpoint(event.path), outcome: event.outcome.replace('-', '_') },
        event.durationMs / 1000,
      );
    },
    lmpiError(kind: string): void {
      lmpiErrors.inc({ kind: kind.replace(/-/g, '_') });
    },
    poll(record: PollRecord, events: readonly AlertEvent[]): void {
      pollDuration.observe({ outcome: record.outcome.replace('-', '_') }, record.durationMs / 1000);
      if (record.outcome === 'ok' || record.outcome === 'follower') pollLastSuccess.set(record.at / 1000);
      for (const event of events) {
        if (event.kind === 'alert' && event.level !== 'ok') transitions.inc({ level: event.level });
        if (event.kind === 'resolved') transitions.inc({ level: 'ok' });
      }
    },
    slackCall(method: string, outcome: 'ok' | 'error' | 'http_error' | 'network_error'): void {
      slackCalls.inc({ method, outcome });
    },
    command(seconds: number): void {
      commandDuration.observe(seconds);
    },
  };
}

/** The bot's metrics, as {@link createMetrics} builds them. */
export type BotMetrics = ReturnType<typeof createMetrics>;
