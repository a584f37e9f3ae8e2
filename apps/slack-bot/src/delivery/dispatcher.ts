import { backoffDelay } from '@licensewatch/client/retry';
import type { ClaimedRow, Store, StoreAggregates } from '@licensewatch/store';
import type { Logger } from 'pino';
import {
  ClaimLostError,
  type Delivered,
  type Delivery,
  type DeliveryAttempt,
  isClaimLost,
  isDeliveryError,
  type Notifier,
} from './notifier.js';
import {
  alertGroupContent,
  lmpiNoticeView,
  parseAlertGroup,
  productAlertView,
  resolutionView,
  withConsumers,
  withHandling,
  withNote,
} from './views.js';

/** Products per alert group: Slack's 50-block limit allows about 20 products with buttons. */
export const ALERTS_PER_GROUP = 20;

export interface DispatcherDeps {
  store: Store;
  /** By name, as in outbox destinations. */
  notifiers: ReadonlyMap<string, Notifier>;
  logger: Logger;
  /** Identifies this process in outbox claims. */
  holder: string;
  now?: () => number;
  /** A claim older than this is taken over (its process died mid-delivery). */
  staleClaimMs?: number;
  /** First retry delay after a retryable failure; doubles per attempt up to `retryMaxMs`. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Attempts before a row that keeps failing becomes a dead letter. Default 8. */
  maxAttempts?: number;
  /** Jitter source (tests fix it). */
  random?: () => number;
}

/** Attempts before a row that keeps failing is given up on, by default. */
export const DEFAULT_MAX_ATTEMPTS = 8;

/**
 * The wait before the next attempt: the shared retry policy's backoff (`@licensewatch/client/retry`,
 * exponential from `baseMs`, capped at `maxMs`, plus up to half again as jitter so replicas that
 * failed together do not retry together), and never shorter than the destination's Retry-After.
 *
 * @example
 * ```ts
 * retryDelay(3, { baseMs: 1_000, maxMs: 300_000, retryAfterMs: 2_000, random: Math.random }) // 4_000–6_000
 * ```
 */
export function retryDelay(
  attempts: number,
  options: { baseMs: number; maxMs: number; retryAfterMs: number | undefined; random: () => number },
): number {
  const policy = { baseDelayMs: options.baseMs, maxDelayMs: options.maxMs, jitter: 'above' as const };
  return Math.max(backoffDelay(policy, attempts - 1, options.random), options.retryAfterMs ?? 0);
}

/** One unit of delivery and the outbox rows it settles. */
interface Unit {
  rows: ClaimedRow[];
  delivery: Delivery;
  /** What to remember once delivered (alert groups; updated originals), in the marking transaction. */
  settle: (delivered: Delivered, outbox: StoreAggregates['outbox']) => Promise<void>;
}

/**
 * The shared delivery pipeline: claims outbox rows, groups them, turns them into deliveries for
 * their notifier, asks the notifier whether a recovered row already arrived (dedup after a crash),
 * delivers, and records the outcome: delivered, retried later with exponential backoff and jitter
 * (never before the destination's Retry-After), or a dead letter when the notifier says retrying
 * cannot help or the row ran out of attempts. A destination gets its rows in order: once one
 * fails, the rest of its rows wait for that retry.
 * Notifiers run side by side, so a slow or failing destination never holds another up.
 */
export class DeliveryDispatcher {
  /** The claims this process holds now: row key → fencing token (the claim's time, renewed). */
  private readonly claims = new Map<string, number>();
  /** Renewals one at a time: a heartbeat and a send must not race on one row's token. */
  private renewals: Promise<unknown> = Promise.resolve();
  private running: Promise<number> | undefined;
  private again = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDueAt = 0;
  private stopped = false;

  constructor(private readonly deps: DispatcherDeps) {}

  /**
   * Delivers everything due. A call during a run makes that run go round once more (rows recorded
   * meanwhile are not left waiting); callers share the run. Resolves with deliveries made.
   */
  flush(): Promise<number> {
    this.again = true;
    this.running ??= (async () => {
      let delivered = 0;
      while (this.again) {
        this.again = false;
        delivered += await this.run();
      }
      return delivered;
    })().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Cancels a scheduled retry and waits for a run in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.running?.catch(() => undefined);
  }

  private get now(): number {
    return (this.deps.now ?? Date.now)();
  }

  private async run(): Promise<number> {
    const claimedAtWallClock = Date.now();
    const staleMs = this.deps.staleClaimMs ?? 60_000;
    const rows = await this.deps.store.outbox.claim(this.deps.holder, this.now, staleMs);
    for (const row of rows) this.claims.set(row.key, row.claimedAt);
    // Claims are renewed while they wait their turn (channel pacing, Retry-After of a unit before
    // them), so a live process keeps what it claimed and only a dead one's rows are taken over.
    const heartbeat = setInterval(() => void this.renew([...this.claims.keys()]), Math.max(50, staleMs / 3));
    heartbeat.unref();
    try {
      const byNotifier = new Map<string, ClaimedRow[]>();
      for (const row of rows) {
        const name = row.destination.notifier;
        byNotifier.set(name, [...(byNotifier.get(name) ?? []), row]);
      }
      const counts = await Promise.all(
        [...byNotifier].map(([name, claimed]) => this.runNotifier(name, claimed, claimedAtWallClock)),
      );
      return counts.reduce((a, b) => a + b, 0);
    } finally {
      clearInterval(heartbeat);
      for (const row of rows) this.claims.delete(row.key);
    }
  }

  /**
   * Renews this process's claims on `keys`; resolves with whether it still holds all of them. A
   * row whose claim was taken over is forgotten (its token is gone), so it is never sent from here.
   */
  private renew(keys: readonly string[]): Promise<boolean> {
    const renewal = this.renewals.then(async () => {
      let held = true;
      for (const key of keys) {
        const token = this.claims.get(key);
        const at = this.now;
        const ok =
          token !== undefined &&
          (await this.deps.store.outbox.renewClaim([key], this.deps.holder, token, at).catch(() => false));
        if (ok) this.claims.set(key, at);
        else {
          this.claims.delete(key);
          held = false;
        }
      }
      return held;
    });
    this.renewals = renewal.catch(() => undefined);
    return renewal;
  }

  private async runNotifier(name: string, rows: ClaimedRow[], claimedAtWallClock: number): Promise<number> {
    const notifier = this.deps.notifiers.get(name);
    if (!notifier) {
      const keys = rows.map((r) => r.key);
      this.deps.logger.error({ keys, notifier: name }, 'no such notifier is configured; alerts not delivered');
      await this.deps.store.outbox.markDead(keys, `notifier ${name} is not configured`, this.deps.holder);
      return 0;
    }
    let delivered = 0;
    // Destinations whose delivery failed this run, and when they may be tried again.
    const blocked = new Map<string, number>();
    for (const group of groupRows(rows)) {
      for (const unit of await this.units(notifier, group)) {
        const target = unit.rows[0]?.destination.target ?? '';
        const retryAt = blocked.get(target);
        if (retryAt !== undefined) {
          await this.deps.store.outbox.defer(
            unit.rows.map((r) => r.key),
            retryAt,
          );
          continue;
        }
        const outcome = await this.deliverUnit(notifier, unit, claimedAtWallClock);
        if (outcome === 'delivered') delivered += 1;
        else if (outcome !== 'dead' && outcome !== 'lost') blocked.set(target, outcome.retryAt);
      }
    }
    return delivered;
  }

  /**
   * The attempt a unit is part of: its fencing token is this holder's claim, renewed before every
   * send, so a unit whose claim expired while this process waited (channel pacing, a long Slack
   * call, a 429 on an earlier unit) is never sent by it once another replica took it over.
   */
  private attemptFor(unit: Unit, claimedAtWallClock: number): DeliveryAttempt {
    const keys = unit.rows.map((r) => r.key);
    return {
      number: Math.max(...unit.rows.map((r) => r.attempts)),
      claimedAt: claimedAtWallClock,
      beforeSend: async () => {
        if (!(await this.renew(keys))) throw new ClaimLostError(keys);
      },
    };
  }

  private async deliverUnit(
    notifier: Notifier,
    unit: Unit,
    claimedAtWallClock: number,
  ): Promise<'delivered' | 'dead' | 'lost' | { retryAt: number }> {
    const { store, logger } = this.deps;
    const keys = unit.rows.map((r) => r.key);
    const attempt = this.attemptFor(unit, claimedAtWallClock);
    try {
      let existing: string | undefined;
      // A row tried before may have arrived although the attempt failed (a crash, a lost reply,
      // a later step such as the edit after a thread reply failing, a replica whose claim this one
      // took over): look before sending again.
      if (unit.rows.some((r) => r.recovered || r.attempts > 1) && notifier.findDelivered) {
        existing = await notifier.findDelivered(unit.delivery, attempt);
        if (existing)
          logger.info(
            { id: unit.delivery.id, notifier: notifier.name },
            'already delivered before a crash; not sending again',
          );
      }
      const delivered = await notifier.deliver(unit.delivery, existing, attempt);
      // Each unit (one digest chunk) is recorded on its own and at once: a later chunk failing
      // can never send this one again. Only rows this process still holds are marked.
      await store.transaction(async (tx) => {
        await unit.settle(delivered, tx.outbox);
        await tx.outbox.markPosted(keys, delivered.ref, this.deps.holder);
      });
      return 'delivered';
    } catch (error) {
      if (isClaimLost(error)) {
        // Not ours any more: the replica that took it over delivers it (and looks first).
        logger.warn(
          { keys, notifier: notifier.name },
          'delivery claim expired and was taken over by another replica; not sending',
        );
        return 'lost';
      }
      return this.failed(notifier, unit.rows, error);
    }
  }

  private async failed(notifier: Notifier, rows: ClaimedRow[], error: unknown): Promise<'dead' | { retryAt: number }> {
    const { store, logger } = this.deps;
    const keys = rows.map((r) => r.key);
    const message = error instanceof Error ? error.message : String(error);
    const attempts = Math.max(...rows.map((r) => r.attempts));
    const maxAttempts = this.deps.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    const refused = isDeliveryError(error) && !error.retryable;
    if (refused || attempts >= maxAttempts) {
      const why = refused ? 'refused for good' : `failed ${attempts} times`;
      logger.error(
        { keys, notifier: notifier.name, target: rows[0]?.destination.target, err: error, attempts },
        `alert delivery ${why}: now a dead letter (list with /licenses alerts, re-queue with /licenses alerts retry)`,
      );
      await store.outbox.markDead(keys, message, this.deps.holder);
      return 'dead';
    }
    const delay = retryDelay(attempts, {
      baseMs: this.deps.retryBaseMs ?? 1_000,
      maxMs: this.deps.retryMaxMs ?? 300_000,
      retryAfterMs: isDeliveryError(error) ? error.retryAfterMs : undefined,
      random: this.deps.random ?? Math.random,
    });
    logger.warn(
      { keys, notifier: notifier.name, err: error, attempts, retryInMs: delay },
      'delivery failed; will retry',
    );
    const retryAt = this.now + delay;
    // Only this unit's rows, and only those still claimed by this process and still `sending`.
    await store.outbox.release(keys, message, retryAt, this.deps.holder);
    this.scheduleRetry(delay);
    return { retryAt };
  }

  private scheduleRetry(delay: number): void {
    if (this.stopped) return;
    const dueAt = Date.now() + delay;
    if (this.retryTimer && this.retryDueAt <= dueAt) return; // an earlier retry run picks it up
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryDueAt = dueAt;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.flush().catch((error: unknown) => this.deps.logger.warn({ err: error }, 'retrying deliveries failed'));
    }, delay + 10);
    this.retryTimer.unref();
  }

  /** Turns one group of rows into deliveries (alert groups in chunks; everything else row by row). */
  private async units(notifier: Notifier, rows: ClaimedRow[]): Promise<Unit[]> {
    const units: Unit[] = [];
    const alerts: (ClaimedRow & { kind: 'product-alerts' })[] = [];
    for (const row of rows) {
      if (row.kind !== 'product-alerts') continue;
      const followUp = notifier.followsEpisodes ? await this.episodeUpdate(notifier, row) : undefined;
      if (followUp) units.push(followUp);
      else alerts.push(row);
    }
    for (let start = 0; start < alerts.length; start += ALERTS_PER_GROUP) {
      units.push(this.alertUnit(alerts.slice(start, start + ALERTS_PER_GROUP)));
    }
    for (const row of rows) {
      if (row.kind !== 'product-alerts') units.push(await this.singleUnit(notifier, row));
    }
    return units;
  }

  /**
   * A later alert of an episode whose first alert was delivered (escalation, de-escalation,
   * reminder): an update of that delivery instead of a new one. Undefined for a new episode.
   */
  private async episodeUpdate(
    notifier: Notifier,
    row: ClaimedRow & { kind: 'product-alerts' },
  ): Promise<Unit | undefined> {
    const { event } = row;
    if ((event.kind !== 'alert' && event.kind !== 'renotify') || !event.episode) return undefined;
    const productId = event.product.productId;
    const posted = await this.deps.store.outbox.postedFor(notifier.name, productId);
    const alerts = posted ? parseAlertGroup(posted.content) : undefined;
    const previous = alerts?.find((a) => a.product.productId === productId);
    if (!posted || !alerts || !previous || previous.episode?.id !== event.episode.id) return undefined;
    if (previous.note?.kind === 'recovered') return undefined;
    // Who drained it stays on the section (the episode's report is fetched once).
    const update = productAlertView(event, row.attribution ?? previous.consumers);
    const now = alerts.map((a) => (a.product.productId === productId ? update : a));
    return {
      rows: [row],
      delivery: {
        kind: 'episode-update',
        id: row.key,
        target: posted.destination.target,
        update,
        previous,
        original: { ref: posted.ref, alerts: now },
      },
      settle: (_delivered, outbox) =>
        outbox.updatePostedContent(posted.destination, posted.group, alertGroupContent(now)),
    };
  }

  private alertUnit(rows: (ClaimedRow & { kind: 'product-alerts' })[]): Unit {
    // Rows of a group share destination and group (see groupRows); the chunk has at least one.
    const first = rows[0] ?? { destination: { notifier: '', target: '' }, group: '', key: '' };
    const { destination, group } = first;
    // Named by its first row, not its position: after an earlier chunk was posted, the rows left
    // form new chunks whose ids must not collide with the posted ones (dedup would skip them).
    const id = `${group}|${destination.target}|${first.key}`;
    const alerts = rows.map((row) => productAlertView(row.event, row.attribution));
    // Products a later resolution or button click refers to (not forecasts or vanished ones).
    const productIds = rows
      .filter((row) => row.event.kind === 'alert' || row.event.kind === 'renotify')
      .map((row) => row.event.product.productId);
    return {
      rows,
      delivery: { kind: 'product-alerts', id, target: destination.target, alerts },
      settle: async ({ ref }, outbox) => {
        if (!ref) return;
        await outbox.recordPosted({ destination, group: id, ref, content: alertGroupContent(alerts) }, productIds);
      },
    };
  }

  private async singleUnit(notifier: Notifier, row: Exclude<ClaimedRow, { kind: 'product-alerts' }>): Promise<Unit> {
    const base = { id: row.key, target: row.destination.target };
    if (row.kind === 'lmpi-notice') {
      return {
        rows: [row],
        delivery: { ...base, kind: 'lmpi-notice', notice: lmpiNoticeView(row.event) },
        settle: async () => {},
      };
    }
    if (row.kind === 'attribution') return this.attributionUnit(notifier, row);
    const productId = row.kind === 'resolution' ? row.event.product.productId : row.handling.product.productId;
    // A button press updates the message it was on; anything else the product's latest alert.
    const clicked = row.kind === 'acknowledgement' ? row.handling.clicked : undefined;
    const posted =
      (clicked ? await this.deps.store.outbox.postedByRef(notifier.name, clicked) : undefined) ??
      (await this.deps.store.outbox.postedFor(notifier.name, productId));
    const alerts = posted ? parseAlertGroup(posted.content) : undefined;
    const updated = alerts
      ? row.kind === 'resolution'
        ? withNote(alerts, productId, { kind: 'recovered', available: row.event.available })
        : withHandling(alerts, row.handling)
      : undefined;
    const original = posted ? { ref: posted.ref, alerts: updated } : undefined;
    const target = posted?.destination.target ?? base.target;
    const delivery: Delivery =
      row.kind === 'resolution'
        ? { ...base, target, kind: 'resolution', resolution: resolutionView(row.event), original }
        : { ...base, target, kind: 'acknowledgement', handling: row.handling, original };
    return {
      rows: [row],
      delivery,
      settle: async (_delivered, outbox) => {
        if (posted && original?.alerts)
          await outbox.updatePostedContent(posted.destination, posted.group, alertGroupContent(original.alerts));
      },
    };
  }

  /** A late attribution: a reply to the episode's alert, which is updated to show it too. */
  private async attributionUnit(notifier: Notifier, row: ClaimedRow & { kind: 'attribution' }): Promise<Unit> {
    const { product, episode, attribution } = row;
    const posted = await this.deps.store.outbox.postedFor(notifier.name, product.productId);
    const alerts = posted ? parseAlertGroup(posted.content) : undefined;
    const updated = alerts ? withConsumers(alerts, product.productId, attribution) : undefined;
    return {
      rows: [row],
      delivery: {
        id: row.key,
        target: posted?.destination.target ?? row.destination.target,
        kind: 'attribution',
        attribution: { product, episode, consumers: attribution },
        original: posted ? { ref: posted.ref, alerts: updated } : undefined,
      },
      settle: async (_delivered, outbox) => {
        if (posted && updated)
          await outbox.updatePostedContent(posted.destination, posted.group, alertGroupContent(updated));
      },
    };
  }
}

/** Rows of one destination and group, in claim order. */
function groupRows(rows: readonly ClaimedRow[]): ClaimedRow[][] {
  const groups = new Map<string, ClaimedRow[]>();
  for (const row of rows) {
    const id = `${row.kind}|${row.destination.target}|${row.group}`;
    groups.set(id, [...(groups.get(id) ?? []), row]);
  }
  return [...groups.values()];
}
