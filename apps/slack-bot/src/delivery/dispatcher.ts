// The delivery pipeline, shaped after Alertmanager's notify pipeline: claim → plan → dedup → send →
// settle. Each step is a small module: planning.ts decides what the claimed rows become, claims.ts
// fences them (renewed while they wait, checked before each send), the notifier renders and sends,
// and retry-stage.ts judges a failure (retry with the shared policy, or a dead letter). This module
// only runs the steps in order and records their outcome in the outbox.
import type { ClaimedRow, Store } from '@licensewatch/store';
import type { Logger } from 'pino';
import { ClaimKeeper } from './claims.js';
import { isClaimLost, type Notifier } from './notifier.js';
import { groupRows, type PlannedDelivery, planDeliveries } from './planning.js';
import { DEFAULT_MAX_ATTEMPTS, judgeFailure, type OutboxRetryOptions } from './retry-stage.js';

/** What the pipeline runs on: the store, the notifiers by name, and its retry and claim settings. */
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
  /** Told how each delivery attempt ended, by notifier (metrics). */
  onOutcome?: (notifier: string, outcome: DeliveryOutcome) => void;
}

/** How one delivery attempt ended, as metrics count it. */
export type DeliveryOutcome = 'delivered' | 'retried' | 'dead' | 'claim_lost';

/** How one delivery ended: its rows are posted, dead, retried at `retryAt`, or not ours any more. */
type Outcome = 'delivered' | 'dead' | 'lost' | { retryAt: number };

const outcomeName = (outcome: Outcome): DeliveryOutcome =>
  outcome === 'lost' ? 'claim_lost' : typeof outcome === 'object' ? 'retried' : outcome;

/**
 * The shared delivery pipeline: claims outbox rows, plans their deliveries per notifier
 * (planning.ts), asks the notifier whether a recovered row already arrived (dedup after a crash),
 * delivers, and records the outcome: delivered, retried later with exponential backoff and jitter
 * (never before the destination's Retry-After), or a dead letter when the notifier says retrying
 * cannot help or the row ran out of attempts (retry-stage.ts). A destination gets its rows in
 * order: once one fails, the rest of its rows wait for that retry.
 * Notifiers run side by side, so a slow or failing destination never holds another up.
 *
 * @example
 * ```ts
 * const dispatcher = new DeliveryDispatcher({ store, notifiers, logger, holder: 'replica-a' })
 * await dispatcher.flush() // deliveries made
 * await dispatcher.stop()
 * ```
 */
export class DeliveryDispatcher {
  private readonly claims: ClaimKeeper;
  private running: Promise<number> | undefined;
  private again = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDueAt = 0;
  private stopped = false;

  constructor(private readonly deps: DispatcherDeps) {
    this.claims = new ClaimKeeper(deps.store, deps.holder, () => this.now);
  }

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

  private get retryOptions(): OutboxRetryOptions {
    return {
      baseMs: this.deps.retryBaseMs ?? 1_000,
      maxMs: this.deps.retryMaxMs ?? 300_000,
      maxAttempts: this.deps.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      random: this.deps.random ?? Math.random,
    };
  }

  /** Claim: every row due, fenced for this run; then each notifier's rows side by side. */
  private async run(): Promise<number> {
    const claimedAtWallClock = Date.now();
    const staleMs = this.deps.staleClaimMs ?? 60_000;
    const rows = await this.deps.store.outbox.claim(this.deps.holder, this.now, staleMs);
    const release = this.claims.hold(rows, staleMs / 3);
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
      release();
    }
  }

  /** Plan one notifier's rows, then deliver them in order; a failed destination holds its later rows. */
  private async runNotifier(name: string, rows: ClaimedRow[], claimedAtWallClock: number): Promise<number> {
    const notifier = this.deps.notifiers.get(name);
    if (!notifier) {
      const keys = rows.map((r) => r.key);
      this.deps.logger.error({ keys, notifier: name }, 'no such notifier is configured; alerts not delivered');
      await this.deps.store.outbox.markDead(keys, `notifier ${name} is not configured`, this.deps.holder);
      this.deps.onOutcome?.(name, 'dead');
      return 0;
    }
    let delivered = 0;
    // Destinations whose delivery failed this run, and when they may be tried again.
    const blocked = new Map<string, number>();
    for (const group of groupRows(rows)) {
      for (const planned of await planDeliveries(notifier, group, this.deps.store.outbox)) {
        const target = planned.rows[0]?.destination.target ?? '';
        const retryAt = blocked.get(target);
        if (retryAt !== undefined) {
          await this.deps.store.outbox.defer(
            planned.rows.map((r) => r.key),
            retryAt,
          );
          continue;
        }
        const outcome = await this.deliver(notifier, planned, claimedAtWallClock);
        this.deps.onOutcome?.(notifier.name, outcomeName(outcome));
        if (outcome === 'delivered') delivered += 1;
        else if (outcome !== 'dead' && outcome !== 'lost') blocked.set(target, outcome.retryAt);
      }
    }
    return delivered;
  }

  /** Dedup → send → settle one planned delivery; a failure goes to the retry stage. */
  private async deliver(notifier: Notifier, planned: PlannedDelivery, claimedAtWallClock: number): Promise<Outcome> {
    const { store, logger } = this.deps;
    const keys = planned.rows.map((r) => r.key);
    const attempt = this.claims.attemptFor(planned.rows, claimedAtWallClock);
    try {
      let existing: string | undefined;
      // A row tried before may have arrived although the attempt failed (a crash, a lost reply,
      // a later step such as the edit after a thread reply failing, a replica whose claim this one
      // took over): look before sending again.
      if (planned.rows.some((r) => r.recovered || r.attempts > 1) && notifier.findDelivered) {
        existing = await notifier.findDelivered(planned.delivery, attempt);
        if (existing)
          logger.info(
            { id: planned.delivery.id, notifier: notifier.name },
            'already delivered before a crash; not sending again',
          );
      }
      const delivered = await notifier.deliver(planned.delivery, existing, attempt);
      // Each delivery (one digest chunk) is recorded on its own and at once: a later chunk failing
      // can never send this one again. Only rows this process still holds are marked.
      await store.transaction(async (tx) => {
        await planned.settle(delivered, tx.outbox);
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
      return this.failed(notifier, planned.rows, error);
    }
  }

  /** Records the retry stage's verdict: a dead letter, or the rows released until their retry. */
  private async failed(notifier: Notifier, rows: ClaimedRow[], error: unknown): Promise<'dead' | { retryAt: number }> {
    const { store, logger } = this.deps;
    const keys = rows.map((r) => r.key);
    const attempts = Math.max(...rows.map((r) => r.attempts));
    const judged = judgeFailure(error, attempts, this.retryOptions);
    if (judged.verdict === 'dead') {
      logger.error(
        { keys, notifier: notifier.name, target: rows[0]?.destination.target, error: judged.message, attempts },
        `alert delivery ${judged.why}: now a dead letter (list with /licenses alerts, re-queue with /licenses alerts retry)`,
      );
      await store.outbox.markDead(keys, judged.message, this.deps.holder);
      return 'dead';
    }
    const delay = judged.delayMs;
    logger.warn(
      { keys, notifier: notifier.name, error: judged.message, attempts, retryInMs: delay },
      'delivery failed; will retry',
    );
    const retryAt = this.now + delay;
    // Only this delivery's rows, and only those still claimed by this process and still `sending`.
    await store.outbox.release(keys, judged.message, retryAt, this.deps.holder);
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
      this.flush().catch((error: unknown) =>
        this.deps.logger.warn({ err: (error as Error).message }, 'retrying deliveries failed'),
      );
    }, delay + 10);
    this.retryTimer.unref();
  }
}
