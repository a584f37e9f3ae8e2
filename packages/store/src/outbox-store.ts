import { fromJson, toJson } from './json.js';
import {
  bodyColumn,
  type ClaimedRow,
  type Destination,
  destinationColumn,
  type OutboxEntry,
  type OutboxRow,
  type OutboxStatus,
  parseOutboxRow,
  type StoredRow,
} from './outbox-rows.js';
import type { SqlClient } from './sql.js';

/** What a notifier delivered for a group of rows, kept to update it or reply to it later. */
export interface PostedGroup {
  destination: Destination;
  group: string;
  /** The notifier's own reference (e.g. a Slack channel and `ts`), opaque to the store. */
  ref: string;
  /** What was delivered, as the caller's neutral JSON (absent for groups from before version 2). */
  content: unknown;
}

/** One notifier's share of the outbox (see {@link OutboxStore.byNotifier}). */
export interface NotifierOutbox {
  /** Rows per status, e.g. `{ posted: 3, dead: 1 }`. */
  counts: Partial<Record<OutboxStatus, number>>;
  /** When its oldest row still waiting for delivery was recorded (epoch ms); undefined when none waits. */
  oldestWaitingAt: number | undefined;
}

const ROW_COLUMNS = 'key, kind, destination, grp, body, created_at';

/** Keys per claiming UPDATE: well under SQLite's and PostgreSQL's limits on bound parameters. */
const CLAIM_BATCH = 500;

/**
 * The rows a claim may take (parameters: now, now − stale time, now): pending and due, or sending
 * under a claim gone stale; never one queued behind a row to the same destination that waits for its
 * retry. That last check runs per candidate row, on the `outbox_waiting` index (migration 6).
 * Exported for the query-plan test, not from the package.
 */
export const CLAIMABLE_ROWS = `SELECT ${ROW_COLUMNS}, status, attempts FROM outbox
         WHERE ((status = 'pending' AND next_attempt_at <= ?) OR (status = 'sending' AND claimed_at < ?))
           AND NOT EXISTS (SELECT 1 FROM outbox earlier WHERE earlier.destination = outbox.destination
             AND earlier.status = 'pending' AND earlier.next_attempt_at > ?
             AND (earlier.created_at < outbox.created_at OR (earlier.created_at = outbox.created_at AND earlier.grp <> outbox.grp AND earlier.key < outbox.key)))
         ORDER BY created_at, key`;

/**
 * The alert outbox: rows to deliver, each claimed by one process, retried with a backoff chosen by
 * the caller, and the references of what was delivered (for later updates and thread replies).
 */
export class OutboxStore {
  /** @internal Built by {@link openStore}. */
  constructor(private readonly db: SqlClient) {}

  /**
   * Adds rows to deliver. Keys are unique: enqueueing the same row twice records it once.
   *
   * @example
   * ```ts
   * await tx.outbox.enqueue([{ kind: 'product-alerts', event, key, group, destination, createdAt }])
   * ```
   */
  async enqueue(rows: readonly OutboxRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db.transaction(async (tx) => {
      for (const row of rows) {
        await tx.run(`INSERT INTO outbox (${ROW_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`, [
          row.key,
          row.kind,
          destinationColumn(row.destination),
          row.group,
          bodyColumn(row),
          row.createdAt,
        ]);
      }
    });
  }

  /**
   * Claims rows to deliver: pending ones whose retry time has come, and ones whose claim is older
   * than `staleMs` (the claimer died mid-delivery; those come back `recovered`). Only one claimer
   * wins each row. A row waits while an earlier row to the same destination waits for its retry, so
   * a destination gets its rows in order. A row that cannot be read is marked `dead` with the
   * reason, not returned.
   *
   * @example
   * ```ts
   * const rows = await store.outbox.claim(holder, Date.now(), 60_000)
   * ```
   */
  async claim(holder: string, at: number, staleMs: number): Promise<ClaimedRow[]> {
    return this.db.transaction(async (tx) => {
      // On PostgreSQL the rows are locked as they are read, in claim order (created_at, key): a
      // second process claiming at the same time waits at the first row this one holds and then
      // finds it taken, so two claims at once behave as one after the other (as when each row was
      // updated in turn). Every claimer takes its locks in that one order, so the batched UPDATE
      // below (which touches only rows already held) cannot deadlock with another claim. No SKIP
      // LOCKED: it would split one claim's rows between two processes, each taking what the other
      // had not locked yet. SQLite has one writer.
      const lock = tx.dialect === 'postgres' ? ' FOR UPDATE OF outbox' : '';
      const rows = await tx.all<StoredRow & { status: string; attempts: number }>(CLAIMABLE_ROWS + lock, [
        at,
        at - staleMs,
        at,
      ]);
      const candidates: { row: (typeof rows)[number]; parsed: OutboxRow }[] = [];
      for (const row of rows) {
        try {
          candidates.push({ row, parsed: parseOutboxRow(row) });
        } catch (error) {
          // parseOutboxRow throws Errors; store has no @licensewatch/schema (errorMessage) dependency.
          await new OutboxStore(tx).markDead([row.key], error instanceof Error ? error.message : String(error));
        }
      }
      // One UPDATE per batch of keys, not per row: a row-at-a-time claim of the ~5,000 alerts of a
      // 20,000-product first poll was 5,000 round trips to PostgreSQL (0.7 s against 72-83 ms on a
      // quiet machine). The rows were read held (FOR UPDATE, or inside SQLite's one writer), so
      // they are still claimable: no guard to repeat, nothing to check afterwards.
      for (let from = 0; from < candidates.length; from += CLAIM_BATCH) {
        const keys = candidates.slice(from, from + CLAIM_BATCH).map(({ row }) => row.key);
        await tx.run(
          `UPDATE outbox SET status = 'sending', claimed_by = ?, claimed_at = ?, attempts = attempts + 1
           WHERE key IN (${keys.map(() => '?').join(', ')})`,
          [holder, at, ...keys],
        );
      }
      return candidates.map(({ row, parsed }) => ({
        ...parsed,
        recovered: row.status === 'sending',
        attempts: row.attempts + 1,
        claimedAt: at,
      }));
    });
  }

  /**
   * Renews a claim just before sending: succeeds only while every row is still `sending` under
   * this holder's claim taken at `claimedAt` (the fencing token), and stamps them `at`, so no other
   * process takes them over for another claim timeout. False means the claim was taken over (it
   * expired while this holder waited): the holder must not send. Rows whose claim it still held
   * are renewed anyway; they come back to whoever takes them over next, recovered.
   *
   * @example
   * ```ts
   * if (!(await store.outbox.renewClaim(keys, holder, row.claimedAt, Date.now()))) return // taken over
   * ```
   */
  async renewClaim(keys: readonly string[], holder: string, claimedAt: number, at: number): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      let held = 0;
      for (const key of keys)
        held += await tx.run(
          "UPDATE outbox SET claimed_at = ? WHERE key = ? AND status = 'sending' AND claimed_by = ? AND claimed_at = ?",
          [at, key, holder, claimedAt],
        );
      return held === keys.length;
    });
  }

  /**
   * Marks rows delivered, with what the notifier returned for them. With `claimedBy`, only rows
   * still claimed by that holder (and still `sending`) change: a claim taken over meanwhile wins.
   *
   * @example
   * ```ts
   * await store.outbox.markPosted(keys, JSON.stringify({ channel, ts }), holder)
   * ```
   */
  async markPosted(keys: readonly string[], ref: string | undefined, claimedBy?: string): Promise<void> {
    await this.setStatus(keys, 'posted', 'ref = ?', [ref ?? null], claimedBy);
  }

  /**
   * Returns rows to pending after a failure worth retrying; they are not claimed before `retryAt`.
   * With `claimedBy`, only rows still claimed by that holder and still `sending` go back: a row
   * another process took over, or one already posted, is never put back to pending.
   *
   * @example
   * ```ts
   * await store.outbox.release(keys, 'HTTP 429', Date.now() + 30_000, holder)
   * ```
   */
  async release(keys: readonly string[], error: string, retryAt = 0, claimedBy?: string): Promise<void> {
    await this.setStatus(
      keys,
      'pending',
      'claimed_by = NULL, last_error = ?, next_attempt_at = ?',
      [error.slice(0, 500), retryAt],
      claimedBy,
    );
  }

  /**
   * Gives up on rows: the destination refused them for good, or they ran out of attempts. They
   * stay as dead letters, with the reason, until {@link OutboxStore.requeueDead} re-queues them.
   * With `claimedBy`, only rows still claimed by that holder and still `sending` change.
   *
   * @example
   * ```ts
   * await store.outbox.markDead(keys, 'Slack: channel_not_found')
   * ```
   */
  async markDead(keys: readonly string[], error: string, claimedBy?: string): Promise<void> {
    await this.setStatus(keys, 'dead', 'claimed_by = NULL, last_error = ?', [error.slice(0, 500)], claimedBy);
  }

  /**
   * Hands claimed rows back untried (an earlier row to the same destination must go first): they
   * are pending again from `retryAt`, and the claim does not count as an attempt.
   *
   * @example
   * ```ts
   * await store.outbox.defer(keys, Date.now() + 2_000)
   * ```
   */
  async defer(keys: readonly string[], retryAt: number, claimedBy?: string): Promise<void> {
    await this.setStatus(
      keys,
      'pending',
      'claimed_by = NULL, next_attempt_at = ?, attempts = attempts - 1',
      [retryAt],
      claimedBy,
    );
  }

  /**
   * Re-queues dead letters (all, or those with `keys`) for delivery at once, with fresh attempts.
   * Resolves with the keys re-queued.
   *
   * @example
   * ```ts
   * const keys = await store.outbox.requeueDead()
   * ```
   */
  async requeueDead(keys?: readonly string[]): Promise<string[]> {
    return this.db.transaction(async (tx) => {
      const dead = (
        await tx.all<{ key: string }>("SELECT key FROM outbox WHERE status = 'dead' ORDER BY created_at, key")
      )
        .map((r) => r.key)
        .filter((key) => !keys || keys.includes(key));
      for (const key of dead)
        await tx.run(
          "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = 0, claimed_by = NULL WHERE key = ? AND status = 'dead'",
          [key],
        );
      return dead;
    });
  }

  private async setStatus(
    keys: readonly string[],
    status: OutboxStatus,
    set: string,
    params: unknown[],
    claimedBy: string | undefined,
  ) {
    const owned = claimedBy === undefined ? '' : " AND claimed_by = ? AND status = 'sending'";
    await this.db.transaction(async (tx) => {
      for (const key of keys)
        await tx.run(`UPDATE outbox SET status = ?, ${set} WHERE key = ?${owned}`, [
          status,
          ...params,
          key,
          ...(claimedBy === undefined ? [] : [claimedBy]),
        ]);
    });
  }

  /**
   * Rows per status, e.g. `{ posted: 3, pending: 1 }`.
   *
   * @example
   * ```ts
   * const { pending = 0 } = await store.outbox.counts()
   * ```
   */
  async counts(): Promise<Partial<Record<OutboxStatus, number>>> {
    const rows = await this.db.all<{ status: OutboxStatus; n: number }>(
      'SELECT status, COUNT(*) AS n FROM outbox GROUP BY status',
    );
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }

  /**
   * When the oldest row still waiting for delivery (`pending`, or `sending` under a claim) was
   * recorded, in epoch ms; undefined when nothing waits. For "oldest pending age" monitoring.
   *
   * @example
   * ```ts
   * const oldest = await store.outbox.oldestWaitingAt()
   * const ageSeconds = oldest === undefined ? 0 : (Date.now() - oldest) / 1000
   * ```
   */
  async oldestWaitingAt(): Promise<number | undefined> {
    const rows = await this.db.all<{ at: number | string | null }>(
      "SELECT MIN(created_at) AS at FROM outbox WHERE status IN ('pending', 'sending')",
    );
    const at = rows[0]?.at;
    return at === null || at === undefined ? undefined : Number(at);
  }

  /**
   * The outbox by notifier (the part of a row's destination before the target): rows per status
   * and when the oldest row still waiting (`pending` or `sending`) was recorded. For monitoring
   * that tells a PagerDuty outage from a Slack one; one query.
   *
   * @example
   * ```ts
   * const { pagerduty } = await store.outbox.byNotifier()
   * const deadPages = pagerduty?.counts.dead ?? 0
   * ```
   */
  async byNotifier(): Promise<Record<string, NotifierOutbox>> {
    const rows = await this.db.all<{
      destination: string;
      status: OutboxStatus;
      n: number | string;
      oldest: number | string | null;
    }>('SELECT destination, status, COUNT(*) AS n, MIN(created_at) AS oldest FROM outbox GROUP BY destination, status');
    const figures: Record<string, NotifierOutbox> = {};
    for (const row of rows) {
      const colon = row.destination.indexOf(':');
      const notifier = colon < 0 ? row.destination : row.destination.slice(0, colon);
      const entry = figures[notifier] ?? { counts: {}, oldestWaitingAt: undefined };
      figures[notifier] = entry;
      entry.counts[row.status] = (entry.counts[row.status] ?? 0) + Number(row.n);
      const waiting = row.status === 'pending' || row.status === 'sending';
      if (waiting && row.oldest !== null)
        entry.oldestWaitingAt = Math.min(entry.oldestWaitingAt ?? Number.POSITIVE_INFINITY, Number(row.oldest));
    }
    return figures;
  }

  /**
   * Every readable row, oldest first, with its status (for operators and tests).
   *
   * @example
   * ```ts
   * const dead = await store.outbox.list(['dead'])
   * ```
   */
  async list(statuses?: readonly OutboxStatus[]): Promise<OutboxEntry[]> {
    const filter = statuses ? `WHERE status IN (${statuses.map(() => '?').join(', ') || "''"})` : '';
    const rows = await this.db.all<
      StoredRow & {
        status: OutboxStatus;
        attempts: number;
        ref: string | null;
        last_error: string | null;
        next_attempt_at: number;
      }
    >(
      `SELECT ${ROW_COLUMNS}, status, attempts, ref, last_error, next_attempt_at FROM outbox ${filter} ORDER BY created_at, key`,
      [...(statuses ?? [])],
    );
    return rows.flatMap((row) => {
      try {
        return [
          {
            ...parseOutboxRow(row),
            status: row.status,
            attempts: row.attempts,
            ref: row.ref ?? undefined,
            lastError: row.last_error ?? undefined,
            nextAttemptAt: Number(row.next_attempt_at),
          },
        ];
      } catch {
        return [];
      }
    });
  }

  /**
   * Remembers a delivered group and which products it alerted about, so a later resolution or
   * acknowledgement for one of them reaches the same place.
   *
   * @example
   * ```ts
   * await store.outbox.recordPosted({ destination, group: id, ref, content: view }, ['product-id'])
   * ```
   */
  async recordPosted(posted: PostedGroup, productIds: readonly string[]): Promise<void> {
    const destination = destinationColumn(posted.destination);
    await this.db.transaction(async (tx) => {
      await tx.run(
        'INSERT INTO posted_delivery (destination, grp, ref, content) VALUES (?, ?, ?, ?) ON CONFLICT (destination, grp) DO UPDATE SET ref = excluded.ref, content = excluded.content',
        [destination, posted.group, posted.ref, toJson(posted.content)],
      );
      for (const productId of productIds) {
        await tx.run(
          'INSERT INTO posted_product (notifier, product_id, destination, grp) VALUES (?, ?, ?, ?) ON CONFLICT (notifier, product_id) DO UPDATE SET destination = excluded.destination, grp = excluded.grp',
          [posted.destination.notifier, productId, destination, posted.group],
        );
      }
    });
  }

  /**
   * The group a notifier last delivered about a product, if any.
   *
   * @example
   * ```ts
   * const original = await store.outbox.postedFor('slack', productId)
   * ```
   */
  async postedFor(notifier: string, productId: string): Promise<PostedGroup | undefined> {
    return this.postedWhere(
      `SELECT d.destination, d.grp, d.ref, d.content FROM posted_product p
       JOIN posted_delivery d ON d.destination = p.destination AND d.grp = p.grp
       WHERE p.notifier = ? AND p.product_id = ?`,
      [notifier, productId],
    );
  }

  /**
   * The group a notifier delivered as `ref` (its own reference, e.g. the Slack message a button
   * was clicked on), if any.
   *
   * @example
   * ```ts
   * const clicked = await store.outbox.postedByRef('slack', JSON.stringify({ channel, ts }))
   * ```
   */
  async postedByRef(notifier: string, ref: string): Promise<PostedGroup | undefined> {
    return this.postedWhere(
      'SELECT destination, grp, ref, content FROM posted_delivery WHERE destination LIKE ? AND ref = ?',
      [`${notifier}:%`, ref],
    );
  }

  private async postedWhere(query: string, params: unknown[]): Promise<PostedGroup | undefined> {
    const rows = await this.db.all<{ destination: string; grp: string; ref: string; content: string | null }>(
      query,
      params,
    );
    const row = rows[0];
    if (!row) return undefined;
    const colon = row.destination.indexOf(':');
    return {
      destination: { notifier: row.destination.slice(0, colon), target: row.destination.slice(colon + 1) },
      group: row.grp,
      ref: row.ref,
      content: fromJson(row.content) ?? undefined,
    };
  }

  /**
   * Replaces what is remembered as delivered for a group (after an update such as "acknowledged").
   *
   * @example
   * ```ts
   * await store.outbox.updatePostedContent(original.destination, original.group, marked)
   * ```
   */
  async updatePostedContent(destination: Destination, group: string, content: unknown): Promise<void> {
    await this.db.run('UPDATE posted_delivery SET content = ? WHERE destination = ? AND grp = ?', [
      toJson(content),
      destinationColumn(destination),
      group,
    ]);
  }
}
