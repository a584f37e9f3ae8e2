import {
  type AlertEvent,
  ConsumptionCache,
  evaluate,
  type Forecast,
  type PollOutcome,
  type RuleResolver,
  ruleResolver,
  type ThresholdConfig,
} from '@licensewatch/alerts';
import { lmpiFailureKind } from '@licensewatch/client';
import { errorMessage } from '@licensewatch/schema';

import { type OutboxRow, outageCode, type Store } from '@licensewatch/store';
import type { Logger } from 'pino';
import type { CatalogueCache } from '../catalogue-cache.js';
import type { DeliveryDispatcher } from '../delivery/dispatcher.js';
import { type RoutingPolicy, routeEvents } from '../delivery/routing.js';
import type { AlertSettings } from '../env.js';
import type { PollRecord } from '../ops/ops-state.js';
import { type Attributed, type ConsumerAttributions, lateAttributionRows, withAttributions } from './attribution.js';
import { type PoolTrends, poolTrends } from './forecasts.js';
import { HistoryReads } from './history-reads.js';
import { yieldToRequests } from './poll-slices.js';

export interface PollerDeps {
  store: Store;
  cache: CatalogueCache;
  dispatcher: DeliveryDispatcher;
  /** The polling slice of the alert settings. */
  settings: PollingSettings;
  /** Whether PagerDuty is configured (critical alerts, and rules' `pagerduty` level, page it). */
  pagerduty: boolean;
  thresholds: ThresholdConfig;
  logger: Logger;
  /** Identifies this replica in the poller lease. */
  holder: string;
  now?: () => number;
  random?: () => number;
  /** Told of every tick (probes and metrics): its outcome, duration and the events it recorded. */
  onPoll?: (record: PollRecord, events: readonly AlertEvent[]) => void;
  /** Migrates the store if that could not be done at start (the database was unavailable). */
  ensureSchema?: () => Promise<void>;
  /** Who drained a pool, for Low/Critical crossings. Absent: alerts without attribution. */
  attributions?: ConsumerAttributions;
}

/** What the poller reads of the alert settings: its cadence, the default channel, history kept. */
export type PollingSettings = Pick<AlertSettings, 'pollIntervalMs' | 'alertChannel' | 'historyRetentionMs'>;

/** What the last poll left for `/licenses`: the rules in force and forecasts. */
export interface PollView {
  ruleFor: RuleResolver;
  forecasts: ReadonlyMap<string, Forecast>;
  /** Burn-rate estimates and daily trends (sparklines) by product id. */
  trends: Pick<PoolTrends, 'estimates' | 'daily'>;
  /** When the poll that computed them ran; undefined before the first. */
  at: number | undefined;
}

/** Outcome of one poll attempt, for logs and tests. */
export interface PollReport {
  leader: boolean;
  events: AlertEvent[];
  /** Whether LMPI answered (set when this replica polled). */
  lmpiOk?: boolean;
}

/**
 * Polls LMPI every POLL_INTERVAL (±10 % jitter, never two polls at once), only on the replica that
 * holds the poller lease; feeds the `/licenses` cache, evaluates thresholds, commits the new state
 * and the events to post in one transaction, then posts them.
 */
export class AlertPoller {
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<PollReport> | undefined;
  private stopped = false;
  private view: PollView;
  /** Each pool's consumption state between polls: a poll feeds only the readings new to it. */
  private readonly consumption = new ConsumptionCache();
  /** What the last read left: once warm, a poll reads only readings new since (and day-boundary ones). */
  private readonly historyReads: HistoryReads;

  constructor(private readonly deps: PollerDeps) {
    this.historyReads = new HistoryReads(deps.settings.historyRetentionMs);
    this.view = {
      ruleFor: ruleResolver(deps.thresholds),
      forecasts: new Map(),
      trends: { estimates: new Map(), daily: new Map() },
      at: undefined,
    };
  }

  /** Rules and forecasts as of the last poll (or rule change). */
  get latest(): PollView {
    return this.view;
  }

  /** Where alerts go under the rules in force now. */
  routingPolicy(): RoutingPolicy {
    return {
      ruleFor: this.view.ruleFor,
      alertChannel: this.deps.settings.alertChannel,
      pagerduty: this.deps.pagerduty,
    };
  }

  /** Re-reads overrides so a threshold change shows in `/licenses` at once (alerts use it next poll). */
  async reloadRules(): Promise<void> {
    const overrides = await this.deps.store.rules.overrides();
    this.view = {
      ...this.view,
      ruleFor: ruleResolver(this.deps.thresholds, new Map(overrides.map((o) => [o.match, o]))),
    };
  }

  start(): void {
    this.stopped = false;
    const schedule = (delay: number) => {
      if (this.stopped) return;
      this.timer = setTimeout(async () => {
        // Delivery is paced by Slack's rate limits; it must not slow the poll cadence down.
        this.current ??= this.run(false).finally(() => {
          this.current = undefined;
        });
        await this.current.catch((error: unknown) => this.pollFailed(error));
        const interval = this.deps.settings.pollIntervalMs;
        schedule(interval * (0.9 + 0.2 * (this.deps.random ?? Math.random)()));
      }, delay);
    };
    schedule(0);
  }

  /** A database outage is logged once by the store's health logger, not once per poll. */
  private pollFailed(error: unknown): void {
    const outage = outageCode(error) !== undefined && this.deps.store.health().status === 'down';
    const log = { err: error };
    if (outage) this.deps.logger.debug(log, 'poll not recorded: database unavailable');
    else this.deps.logger.error(log, 'poll failed');
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.current?.catch(() => undefined);
    await this.deps.dispatcher.flush().catch(() => undefined);
    await this.deps.dispatcher.stop();
    await this.deps.store.lease.release('poller', this.deps.holder).catch(() => undefined);
  }

  /** Resolves once a poll in progress (if any) has finished; starts none. */
  async idle(): Promise<void> {
    await this.current?.catch(() => undefined);
  }

  /** One poll now (joins one already running), resolving once its alerts are delivered. */
  async poll(): Promise<PollReport> {
    this.current ??= this.run(true).finally(() => {
      this.current = undefined;
    });
    const report = await this.current;
    await this.deps.dispatcher.flush();
    return report;
  }

  private async run(awaitDelivery: boolean): Promise<PollReport> {
    const now = this.deps.now ?? Date.now;
    const started = now();
    const record = (outcome: PollRecord['outcome'], events: readonly AlertEvent[], error?: unknown) =>
      this.deps.onPoll?.(
        { at: now(), durationMs: now() - started, outcome, ...(error ? { error: errorMessage(error) } : {}) },
        events,
      );
    try {
      const report = await this.tick(awaitDelivery).catch((error: unknown) => {
        // The consumption cache may hold a reading the store did not record: read it all next time.
        this.historyReads.reset();
        throw error;
      });
      record(!report.leader ? 'follower' : report.lmpiOk ? 'ok' : 'lmpi-error', report.events);
      return report;
    } catch (error) {
      record('failed', [], error);
      throw error;
    }
  }

  private async tick(awaitDelivery: boolean): Promise<PollReport> {
    const { store, settings, logger } = this.deps;
    const now = this.deps.now ?? Date.now;
    const leaseMs = Math.max(2 * settings.pollIntervalMs + 5_000, 15_000);
    await this.deps.ensureSchema?.();
    const deliver = async () => {
      const delivery = this.deps.dispatcher.flush();
      if (awaitDelivery) await delivery;
      else delivery.catch((error: unknown) => logger.warn({ err: error }, 'alert delivery failed'));
    };
    if (!(await store.lease.tryTake('poller', this.deps.holder, leaseMs, now()))) {
      await deliver();
      return { leader: false, events: [] };
    }
    const view = await this.deps.cache.refresh();
    await yieldToRequests(); // /licenses may be waiting behind the product list's parsing
    const at = now();
    // The engine judges what LMPI answered, also a suspect (much smaller) list the cache holds back.
    const answered = view.suspect?.catalogue ?? view.snapshot?.catalogue;
    const outcome: PollOutcome =
      view.error === undefined && answered
        ? { ok: true, products: answered.products, setAside: answered.setAside }
        : { ok: false, reason: lmpiFailureKind(view.error) };
    await this.reloadRules();
    const { ruleFor } = this.view;
    const previous = await store.engine.load();
    // Forecasts once per poll: the engine uses them in alerts (runway levels), /licenses shows them.
    const read = outcome.ok
      ? await this.historyReads.read(
          store.history,
          outcome.products.map((product) => product.productId),
          at,
        )
      : undefined;
    const trends =
      outcome.ok && read
        ? poolTrends(
            outcome.products,
            read.readings,
            ruleFor,
            at,
            this.deps.thresholds.runwayBasis,
            this.consumption,
            read.daily,
          )
        : undefined;
    const forecasts = trends?.forecasts ?? this.view.forecasts;
    const { state, events } = evaluate(previous, outcome, at, {
      ruleFor,
      ...(this.deps.thresholds.renotifyMs !== undefined ? { renotifyMs: this.deps.thresholds.renotifyMs } : {}),
      ...(this.deps.thresholds.unreachableAfter !== undefined
        ? { unreachableAfter: this.deps.thresholds.unreachableAfter }
        : {}),
      ...(this.deps.thresholds.catalogueSanity ? { catalogueSanity: this.deps.thresholds.catalogueSanity } : {}),
      forecastFor: (productId) => forecasts.get(productId),
    });
    await yieldToRequests();
    const attributed = outcome.ok ? await this.deps.attributions?.forEvents(events, outcome.products) : undefined;
    const outbox = withAttributions(
      routeEvents(events, at, { ...this.routingPolicy(), ruleFor }, (event) =>
        logger.warn({ event }, 'no ALERT_CHANNEL (or rule channel): alert not posted'),
      ),
      attributed?.found ?? new Map(),
    );
    await store.commitPoll({
      previous,
      next: state,
      outbox,
      readings: outcome.ok ? outcome.products.map((p) => ({ productId: p.productId, available: p.available })) : [],
      at,
      pruneBefore: at - settings.historyRetentionMs,
    });
    this.view = trends ? { ruleFor, forecasts, trends, at } : { ...this.view, ruleFor };
    await yieldToRequests();
    if (events.length > 0) logger.info({ events: events.map((e) => e.key) }, 'alert events recorded');
    if (attributed) this.followUpLate(attributed, outbox);
    await deliver();
    return { leader: true, events, lmpiOk: outcome.ok };
  }

  /** Once a late report arrives, its attribution follows the alert as a thread reply (through the outbox). */
  private followUpLate(attributed: Attributed, outbox: OutboxRow[]): void {
    const { store, logger } = this.deps;
    for (const [episodeId, { report }] of attributed.late) {
      report
        .then(async (attribution) => {
          if (!attribution || this.stopped) return;
          const rows = lateAttributionRows(outbox, episodeId, attribution, (this.deps.now ?? Date.now)());
          if (rows.length === 0) return;
          await store.outbox.enqueue(rows);
          await this.deps.dispatcher.flush();
        })
        .catch((error: unknown) => logger.warn({ err: error, episodeId }, 'late attribution lost'));
    }
  }
}
