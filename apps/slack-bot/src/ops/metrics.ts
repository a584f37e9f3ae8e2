import { type AlertEvent, type LevelsFor, rateProducts } from '@licensewatch/alerts';
import type { LmpiAttemptEvent } from '@licensewatch/client';
import type { NotifierOutbox, Store } from '@licensewatch/store';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { CatalogueCache } from '../catalogue-cache.js';
import type { DeliveryOutcome } from '../delivery/dispatcher.js';
import type { PollRecord } from './ops-state.js';

/** What the scrape-time gauges read: the cache as it is, the levels in force, the outbox. */
export interface MetricsSources {
  cache: CatalogueCache;
  levelsFor: () => LevelsFor;
  store: Pick<Store, 'outbox' | 'health'>;
  now: () => number;
  /** How long a scrape waits for the database before reporting it down. Default 2 s. */
  databaseTimeoutMs?: number;
  /**
   * The notifiers configured (`slack`, `pagerduty`): their outbox series exist, at 0, before their
   * first row. Default `['slack']`.
   */
  notifiers?: readonly string[];
}

/** The outbox figures of one scrape, by notifier, read once for every gauge that shows them. */
type OutboxFigures = Record<string, NotifierOutbox>;

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`database did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * One read of the outbox per scrape (the gauges of a scrape are collected together): reused for a
 * second, so the database is asked once, and a hung database costs one time-out, not one per gauge.
 */
function outboxReader(sources: MetricsSources): () => Promise<OutboxFigures> {
  let last: { at: number; figures: Promise<OutboxFigures> } | undefined;
  return () => {
    const at = Date.now();
    if (last && at - last.at < 1_000) return last.figures;
    const figures = withTimeout(sources.store.outbox.byNotifier(), sources.databaseTimeoutMs ?? 2_000);
    figures.catch(() => undefined); // each collector handles it; none may leave it unhandled
    last = { at, figures };
    return figures;
  };
}

const OUTBOX_STATUSES = ['pending', 'sending', 'posted', 'dead'];
const DELIVERY_OUTCOMES: readonly DeliveryOutcome[] = ['delivered', 'retried', 'dead', 'claim_lost'];
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
  const scrapeErrors = new Counter({
    name: 'licensewatch_metrics_scrape_errors_total',
    help: 'Scrape-time collectors that failed (the scrape still answers; the failing gauge keeps its last value or reports down), by collector.',
    labelNames: ['collector'],
    registers,
    // The gauges of a scrape are collected side by side: wait until the database read has settled
    // and their handlers have run, so a failure shows in the scrape it happened in.
    async collect() {
      await outbox().catch(() => undefined);
      await new Promise((resolve) => setImmediate(resolve));
    },
  });
  /** A collector that fails counts itself instead of failing the whole scrape (a 503 would blind monitoring). */
  const reporting = <G>(collector: string, collect: (gauge: G) => void | Promise<void>) =>
    async function (this: G): Promise<void> {
      try {
        await collect(this);
      } catch {
        scrapeErrors.inc({ collector });
      }
    };
  const outbox = outboxReader(sources);

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
  const refusedRequests = new Counter({
    name: 'licensewatch_slack_requests_refused_total',
    help: 'Slack requests refused at the edge before any listener ran (unknown action id, malformed payload), by reason.',
    labelNames: ['reason'],
    registers,
  });
  const deliveries = new Counter({
    name: 'licensewatch_outbox_deliveries_total',
    help: 'Alert delivery attempts by this replica, by notifier and outcome (delivered, retried, dead, claim_lost).',
    labelNames: ['notifier', 'outcome'],
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
    collect: reporting<Gauge<'level'>>('products', (gauge) => {
      const snapshot = sources.cache.peek().snapshot;
      const counts = { ok: 0, low: 0, critical: 0 };
      if (snapshot)
        for (const rated of rateProducts(snapshot.catalogue.products, sources.levelsFor())) counts[rated.level] += 1;
      for (const level of LEVELS) gauge.set({ level }, counts[level]);
    }),
  });
  new Gauge({
    name: 'licensewatch_product_available',
    help: 'Licenses available per product in the latest catalogue (label bounded by the catalogue).',
    labelNames: ['product_code'],
    registers,
    collect: reporting<Gauge<'product_code'>>('product_available', (gauge) => {
      gauge.reset();
      const snapshot = sources.cache.peek().snapshot;
      for (const product of snapshot?.catalogue.products ?? [])
        gauge.set({ product_code: product.productCode }, product.available);
    }),
  });
  new Gauge({
    name: 'licensewatch_lmpi_data_age_seconds',
    help: 'Age of the product data this replica serves.',
    registers,
    collect: reporting<Gauge>('lmpi_data_age', (gauge) => {
      const snapshot = sources.cache.peek().snapshot;
      if (snapshot) gauge.set((sources.now() - snapshot.fetchedAt) / 1000);
    }),
  });
  new Gauge({
    name: 'licensewatch_lmpi_up',
    help: 'Whether LMPI answered the last product-list request this replica saw (1) or failed (0; also before the first answer).',
    registers,
    collect: reporting<Gauge>('lmpi_up', (gauge) => {
      const { snapshot, error } = sources.cache.peek();
      gauge.set(snapshot !== undefined && error === undefined ? 1 : 0);
    }),
  });
  new Gauge({
    name: 'licensewatch_database_up',
    help: 'Whether the alert database answers (1) or is unavailable, full, read-only or did not answer this scrape in time (0).',
    registers,
    collect: reporting<Gauge>('database_up', async (gauge) => {
      const answered = await outbox().then(
        () => true,
        () => false,
      );
      gauge.set(answered && sources.store.health().status === 'up' ? 1 : 0);
    }),
  });
  // By notifier: a PagerDuty outage (its rows pending or dead) must not read as a Slack one.
  const configuredNotifiers = sources.notifiers ?? ['slack'];
  const notifiersIn = (figures: OutboxFigures) => new Set([...configuredNotifiers, ...Object.keys(figures)]);
  new Gauge({
    name: 'licensewatch_outbox_rows',
    help: 'Alert outbox rows by notifier and status (dead rows will not be delivered).',
    labelNames: ['notifier', 'status'],
    registers,
    collect: reporting<Gauge<'notifier' | 'status'>>('outbox_rows', async (gauge) => {
      const figures = await outbox();
      for (const notifier of notifiersIn(figures)) {
        const counts: Record<string, number | undefined> = figures[notifier]?.counts ?? {};
        for (const status of new Set([...OUTBOX_STATUSES, ...Object.keys(counts)]))
          gauge.set({ notifier, status }, counts[status] ?? 0);
      }
    }),
  });
  new Gauge({
    name: 'licensewatch_outbox_oldest_pending_age_seconds',
    help: 'Age of the oldest alert still waiting for delivery, by notifier (0 when none waits).',
    labelNames: ['notifier'],
    registers,
    collect: reporting<Gauge<'notifier'>>('outbox_oldest_pending_age', async (gauge) => {
      const figures = await outbox();
      for (const notifier of notifiersIn(figures)) {
        const oldest = figures[notifier]?.oldestWaitingAt;
        gauge.set({ notifier }, oldest === undefined ? 0 : Math.max(0, (sources.now() - oldest) / 1000));
      }
    }),
  });

  for (const level of LEVELS) transitions.labels({ level }).inc(0);
  for (const notifier of configuredNotifiers)
    for (const outcome of DELIVERY_OUTCOMES) deliveries.labels({ notifier, outcome }).inc(0);
  for (const collector of [
    'products',
    'product_available',
    'lmpi_data_age',
    'lmpi_up',
    'database_up',
    'outbox_rows',
    'outbox_oldest_pending_age',
  ])
    scrapeErrors.labels({ collector }).inc(0);

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
    /** For the dispatcher's `onOutcome`: one delivery attempt ended. */
    delivery(notifier: string, outcome: DeliveryOutcome): void {
      deliveries.inc({ notifier, outcome });
    },
    command(seconds: number): void {
      commandDuration.observe(seconds);
    },
    /** A Slack request refused at the edge (interactions/edge.ts), by reason. */
    requestRefused(reason: string): void {
      refusedRequests.inc({ reason });
    },
  };
}

/** The bot's metrics, as {@link createMetrics} builds them. */
export type BotMetrics = ReturnType<typeof createMetrics>;
