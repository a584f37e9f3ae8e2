import type { ClaimedRow, PostedGroup, Store, StoreAggregates } from '@licensewatch/store';
import type { Logger } from 'pino';
import { type Delivered, type DeliveredAlerts, type Delivery, isDeliveryError, type Notifier } from './notifier.js';
import {
  type AlertNote,
  alertGroupContent,
  handlingNote,
  lmpiNoticeView,
  parseAlertGroup,
  productAlertView,
  resolutionView,
  withConsumers,
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
 * delivers, and records the outcome: delivered, retried later with exponential backoff (or the
 * destination's Retry-After), or failed for good when the notifier says retrying cannot help.
 * Notifiers run side by side, so a slow or failing destination never holds another up.
 */
export class DeliveryDispatcher {
  private running: Promise<number> | undefined;
  private again = false;
  private retryTimer: NodeJS.Timeout | undefined;
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
    const rows = await this.deps.store.outbox.claim(this.deps.holder, this.now, this.deps.staleClaimMs ?? 60_000);
    const byNotifier = new Map<string, ClaimedRow[]>();
    for (const row of rows) {
      const name = row.destination.notifier;
      byNotifier.set(name, [...(byNotifier.get(name) ?? []), row]);
    }
    const counts = await Promise.all([...byNotifier].map(([name, claimed]) => this.runNotifier(name, claimed)));
    return counts.reduce((a, b) => a + b, 0);
  }

  private async runNotifier(name: string, rows: ClaimedRow[]): Promise<number> {
    const notifier = this.deps.notifiers.get(name);
    if (!notifier) {
      const keys = rows.map((r) => r.key);
      this.deps.logger.error({ keys, notifier: name }, 'no such notifier is configured; alerts not delivered');
      await this.deps.store.outbox.markFailed(keys, `notifier ${name} is not configured`, this.deps.holder);
      return 0;
    }
    let delivered = 0;
    for (const group of groupRows(rows)) {
      for (const unit of await this.units(notifier, group)) {
        if (await this.deliverUnit(notifier, unit)) delivered += 1;
      }
    }
    return delivered;
  }

  private async deliverUnit(notifier: Notifier, unit: Unit): Promise<boolean> {
    const { store, logger } = this.deps;
    const keys = unit.rows.map((r) => r.key);
    try {
      let existing: string | undefined;
      // A row tried before may have arrived although the attempt failed (a crash, a lost reply,
      // a later step such as the edit after a thread reply failing): look before sending again.
      if (unit.rows.some((r) => r.recovered || r.attempts > 1) && notifier.findDelivered) {
        existing = await notifier.findDelivered(unit.delivery);
        if (existing)
          logger.info(
            { id: unit.delivery.id, notifier: notifier.name },
            'already delivered before a crash; not sending again',
          );
      }
      const delivered = await notifier.deliver(unit.delivery, existing);
      // Each unit (one digest chunk) is recorded on its own and at once: a later chunk failing
      // can never send this one again. Only rows this process still holds are marked.
      await store.transaction(async (tx) => {
        await unit.settle(delivered, tx.outbox);
        await tx.outbox.markPosted(keys, delivered.ref, this.deps.holder);
      });
      return true;
    } catch (error) {
      await this.failed(notifier, unit.rows, error);
      return false;
    }
  }

  private async failed(notifier: Notifier, rows: ClaimedRow[], error: unknown): Promise<void> {
    const { store, logger } = this.deps;
    const keys = rows.map((r) => r.key);
    const message = error instanceof Error ? error.message : String(error);
    if (isDeliveryError(error) && !error.retryable) {
      logger.error({ keys, notifier: notifier.name, error: message }, 'delivery refused; not retrying');
      await store.outbox.markFailed(keys, message, this.deps.holder);
      return;
    }
    const attempts = Math.max(...rows.map((r) => r.attempts));
    const base = this.deps.retryBaseMs ?? 1_000;
    const backoff = Math.min(this.deps.retryMaxMs ?? 300_000, base * 2 ** (attempts - 1));
    const delay = Math.max(backoff, isDeliveryError(error) ? (error.retryAfterMs ?? 0) : 0);
    logger.warn({ keys, notifier: notifier.name, error: message, retryInMs: delay }, 'delivery failed; will retry');
    // Only this unit's rows, and only those still claimed by this process and still `sending`.
    await store.outbox.release(keys, message, this.now + delay, this.deps.holder);
    this.scheduleRetry(delay);
  }

  private scheduleRetry(delay: number): void {
    if (this.stopped || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.flush().catch((error: unknown) =>
        this.deps.logger.warn({ err: (error as Error).message }, 'retrying deliveries failed'),
      );
    }, delay + 10);
    this.retryTimer.unref();
  }

  /** Turns one group of rows into deliveries (alert groups in chunks; everything else row by row). */
  private async units(notifier: Notifier, rows: ClaimedRow[]): Promise<Unit[]> {
    const alerts = rows.flatMap((row) => (row.kind === 'product-alerts' ? [row] : []));
    const units: Unit[] = [];
    for (let start = 0; start < alerts.length; start += ALERTS_PER_GROUP) {
      units.push(this.alertUnit(alerts.slice(start, start + ALERTS_PER_GROUP)));
    }
    for (const row of rows) {
      if (row.kind !== 'product-alerts') units.push(await this.singleUnit(notifier, row));
    }
    return units;
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
    const posted = await this.deps.store.outbox.postedFor(notifier.name, productId);
    const note: AlertNote =
      row.kind === 'resolution' ? { kind: 'recovered', available: row.event.available } : handlingNote(row.handling);
    const original = posted ? updatedOriginal(posted, productId, note) : undefined;
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

function updatedOriginal(posted: PostedGroup, productId: string, note: AlertNote): DeliveredAlerts {
  const alerts = parseAlertGroup(posted.content);
  return { ref: posted.ref, alerts: alerts ? withNote(alerts, productId, note) : undefined };
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
