// Fencing for the delivery pipeline: the outbox claims this process holds, renewed while they
// wait their turn, and checked right before every send. A claim whose holder stops renewing it is
// taken over by another replica; from then on this process must not send that row.
import type { ClaimedRow, Store } from '@licensewatch/store';
import { ClaimLostError, type DeliveryAttempt } from './notifier.js';

/**
 * The claims one dispatcher holds: row key → fencing token (the claim's time, renewed). Renewals
 * run one at a time, so a heartbeat and a send never race on one row's token.
 *
 * @example
 * ```ts
 * const claims = new ClaimKeeper(store, 'replica-a', Date.now)
 * const stopHeartbeat = claims.hold(rows, 20_000)
 * await claims.attemptFor(rows, Date.now()).beforeSend() // throws ClaimLostError once taken over
 * ```
 */
export class ClaimKeeper {
  private readonly claims = new Map<string, number>();
  private renewals: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: Pick<Store, 'outbox'>,
    private readonly holder: string,
    private readonly now: () => number,
  ) {}

  /**
   * Starts holding freshly claimed `rows`, renewing them every `everyMs` while they wait their turn
   * (channel pacing, a Retry-After before them), so a live process keeps what it claimed and only
   * a dead one's rows are taken over. Returns the function that stops renewing and lets them go.
   */
  hold(rows: readonly ClaimedRow[], everyMs: number): () => void {
    for (const row of rows) this.claims.set(row.key, row.claimedAt);
    const heartbeat = setInterval(() => void this.renew([...this.claims.keys()]), Math.max(50, everyMs));
    heartbeat.unref();
    return () => {
      clearInterval(heartbeat);
      for (const row of rows) this.claims.delete(row.key);
    };
  }

  /**
   * The attempt `rows` are delivered under: its fencing token is this holder's claim, renewed
   * before every send, so rows whose claim expired while this process waited (channel pacing, a
   * long Slack call, a 429 on an earlier delivery) are never sent by it once another replica took
   * them over.
   */
  attemptFor(rows: readonly ClaimedRow[], claimedAtWallClock: number): DeliveryAttempt {
    const keys = rows.map((r) => r.key);
    return {
      number: Math.max(...rows.map((r) => r.attempts)),
      claimedAt: claimedAtWallClock,
      beforeSend: async () => {
        if (!(await this.renew(keys))) throw new ClaimLostError(keys);
      },
    };
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
        const at = this.now();
        const ok =
          token !== undefined && (await this.store.outbox.renewClaim([key], this.holder, token, at).catch(() => false));
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
}
