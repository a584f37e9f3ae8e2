import type { EngineState, HistoryPoint, ProductAlertState, ThresholdLevels } from '@licensewatch/alerts';
import { migrate } from './migrations.js';
import type { SqlClient } from './sql.js';

/** An event waiting to be posted. Rows of one `group` and channel become one digest message. */
export interface OutboxRow {
  key: string;
  group: string;
  channel: string;
  /** The alert event, as JSON-safe data. */
  event: Record<string, unknown>;
  createdAt: number;
}

/** A claimed outbox row; `recovered` when its earlier claim was abandoned (the claimer died). */
export interface ClaimedRow extends OutboxRow {
  recovered: boolean;
  attempts: number;
}

export interface AuditEntry {
  at: number;
  actor: string;
  action: string;
  target: string;
  oldValue: unknown;
  newValue: unknown;
}

export type ThresholdOverride = Pick<ThresholdLevels, 'warning' | 'critical'> & {
  match: string;
  updatedBy: string;
  updatedAt: number;
};

export interface PostedMessage {
  group: string;
  channel: string;
  ts: string;
  payload: Record<string, unknown>;
}

interface MetaJson {
  consecutiveFailures: number;
  unreachableOpen: boolean;
  failingSince: number | null;
}

const json = (value: unknown) => JSON.stringify(value ?? null);
const parse = <T>(text: string | null): T => (text === null ? (null as T) : (JSON.parse(text) as T));

/** Product state with `undefined` fields stored as absent and restored as `undefined`. */
function restoreProduct(text: string): ProductAlertState {
  const raw = JSON.parse(text) as ProductAlertState & { pending: ProductAlertState['pending'] | null };
  return {
    ...raw,
    pending: raw.pending ?? undefined,
    lastNotifiedAt: raw.lastNotifiedAt ?? undefined,
    mutedUntil: raw.mutedUntil ?? undefined,
  };
}

/**
 * Durable alert state on SQLite or PostgreSQL: engine state per product, availability history,
 * threshold overrides, audit log, the outbox of alerts to post, posted message references, and
 * the poller lease. A poll's new state and its events are committed in one transaction.
 */
export class AlertStore {
  constructor(readonly sql: SqlClient) {}

  /** Creates or upgrades the schema. */
  async migrate(): Promise<void> {
    await migrate(this.sql);
  }

  async loadEngineState(): Promise<EngineState> {
    const rows = await this.sql.all<{ product_id: string; state: string }>(
      'SELECT product_id, state FROM product_state',
    );
    const meta = await this.sql.all<{ state: string }>('SELECT state FROM engine_meta WHERE id = 1');
    const m = meta[0] ? parse<MetaJson>(meta[0].state) : undefined;
    return {
      products: new Map(rows.map((row) => [row.product_id, restoreProduct(row.state)])),
      consecutiveFailures: m?.consecutiveFailures ?? 0,
      unreachableOpen: m?.unreachableOpen ?? false,
      failingSince: m?.failingSince ?? undefined,
    };
  }

  /**
   * Commits one poll atomically: changed product states, removed products, engine counters,
   * history readings (pruning those older than `pruneBefore`) and the outbox rows for its events.
   * Outbox keys are unique: committing the same event twice records it once.
   */
  async commitPoll(poll: {
    previous: EngineState;
    next: EngineState;
    outbox: OutboxRow[];
    readings: { productId: string; available: number }[];
    at: number;
    pruneBefore: number;
  }): Promise<void> {
    const { previous, next, at } = poll;
    await this.sql.transaction(async (tx) => {
      for (const [productId, state] of next.products) {
        if (previous.products.get(productId) === state) continue;
        await tx.run(
          'INSERT INTO product_state (product_id, state, updated_at) VALUES (?, ?, ?) ON CONFLICT (product_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at',
          [productId, json(state), at],
        );
      }
      for (const productId of previous.products.keys()) {
        if (!next.products.has(productId)) await tx.run('DELETE FROM product_state WHERE product_id = ?', [productId]);
      }
      const meta: MetaJson = {
        consecutiveFailures: next.consecutiveFailures,
        unreachableOpen: next.unreachableOpen,
        failingSince: next.failingSince ?? null,
      };
      await tx.run(
        'INSERT INTO engine_meta (id, state) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET state = excluded.state',
        [json(meta)],
      );
      for (const reading of poll.readings) {
        await tx.run(
          'INSERT INTO availability_history (product_id, at, available) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
          [reading.productId, at, reading.available],
        );
      }
      if (poll.readings.length > 0) await tx.run('DELETE FROM availability_history WHERE at < ?', [poll.pruneBefore]);
      for (const row of poll.outbox) {
        await tx.run(
          'INSERT INTO outbox (key, grp, channel, event, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING',
          [row.key, row.group, row.channel, json(row.event), row.createdAt],
        );
      }
    });
  }

  /** Readings since `since`, oldest first, per product (for forecasts). */
  async recentHistory(since: number): Promise<Map<string, HistoryPoint[]>> {
    const rows = await this.sql.all<{ product_id: string; at: number; available: number }>(
      'SELECT product_id, at, available FROM availability_history WHERE at >= ? ORDER BY product_id, at',
      [since],
    );
    const out = new Map<string, HistoryPoint[]>();
    for (const row of rows) {
      const list = out.get(row.product_id) ?? [];
      list.push({ at: Number(row.at), available: row.available });
      out.set(row.product_id, list);
    }
    return out;
  }

  /** Changes one product's stored state (snooze, acknowledge, mute) in a transaction. */
  async updateProduct(
    productId: string,
    change: (state: ProductAlertState) => ProductAlertState,
    at: number,
  ): Promise<ProductAlertState | undefined> {
    return this.sql.transaction(async (tx) => {
      const rows = await tx.all<{ state: string }>('SELECT state FROM product_state WHERE product_id = ?', [productId]);
      if (!rows[0]) return undefined;
      const next = change(restoreProduct(rows[0].state));
      await tx.run('UPDATE product_state SET state = ?, updated_at = ? WHERE product_id = ?', [
        json(next),
        at,
        productId,
      ]);
      return next;
    });
  }

  async overrides(): Promise<ThresholdOverride[]> {
    const rows = await this.sql.all<{
      match: string;
      warning: number;
      critical: number;
      updated_by: string;
      updated_at: number;
    }>('SELECT match, warning, critical, updated_by, updated_at FROM threshold_override ORDER BY match');
    return rows.map((r) => ({
      match: r.match,
      warning: r.warning,
      critical: r.critical,
      updatedBy: r.updated_by,
      updatedAt: Number(r.updated_at),
    }));
  }

  /** Sets (or with `null` removes) a threshold override and audits old and new values. */
  async setOverride(
    match: string,
    levels: { warning: number; critical: number } | null,
    actor: string,
    at: number,
  ): Promise<void> {
    const key = match.toUpperCase();
    await this.sql.transaction(async (tx) => {
      const old = await tx.all<{ warning: number; critical: number }>(
        'SELECT warning, critical FROM threshold_override WHERE match = ?',
        [key],
      );
      if (levels) {
        await tx.run(
          'INSERT INTO threshold_override (match, warning, critical, updated_by, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (match) DO UPDATE SET warning = excluded.warning, critical = excluded.critical, updated_by = excluded.updated_by, updated_at = excluded.updated_at',
          [key, levels.warning, levels.critical, actor, at],
        );
      } else {
        await tx.run('DELETE FROM threshold_override WHERE match = ?', [key]);
      }
      await insertAudit(tx, {
        at,
        actor,
        action: levels ? 'threshold.set' : 'threshold.clear',
        target: key,
        oldValue: old[0] ?? null,
        newValue: levels,
      });
    });
  }

  async audit(entry: AuditEntry): Promise<void> {
    await insertAudit(this.sql, entry);
  }

  async recentAudit(limit: number): Promise<AuditEntry[]> {
    const rows = await this.sql.all<{
      at: number;
      actor: string;
      action: string;
      target: string;
      old_value: string | null;
      new_value: string | null;
    }>('SELECT at, actor, action, target, old_value, new_value FROM audit_log ORDER BY id DESC LIMIT ?', [limit]);
    return rows.map((r) => ({
      at: Number(r.at),
      actor: r.actor,
      action: r.action,
      target: r.target,
      oldValue: parse(r.old_value),
      newValue: parse(r.new_value),
    }));
  }

  /**
   * Claims outbox rows to post: pending ones, and ones whose claim is older than `staleMs` (the
   * claimer died mid-post; those come back `recovered`). Only one claimer wins each row.
   */
  async claimOutbox(holder: string, at: number, staleMs: number): Promise<ClaimedRow[]> {
    return this.sql.transaction(async (tx) => {
      const rows = await tx.all<{
        key: string;
        grp: string;
        channel: string;
        event: string;
        created_at: number;
        status: string;
        attempts: number;
      }>(
        `SELECT key, grp, channel, event, created_at, status, attempts FROM outbox
         WHERE status = 'pending' OR (status = 'sending' AND claimed_at < ?) ORDER BY created_at, key`,
        [at - staleMs],
      );
      const claimed: ClaimedRow[] = [];
      for (const row of rows) {
        const changed = await tx.run(
          `UPDATE outbox SET status = 'sending', claimed_by = ?, claimed_at = ?, attempts = attempts + 1
           WHERE key = ? AND (status = 'pending' OR (status = 'sending' AND claimed_at < ?))`,
          [holder, at, row.key, at - staleMs],
        );
        if (changed === 0) continue;
        claimed.push({
          key: row.key,
          group: row.grp,
          channel: row.channel,
          event: parse(row.event),
          createdAt: Number(row.created_at),
          recovered: row.status === 'sending',
          attempts: row.attempts + 1,
        });
      }
      return claimed;
    });
  }

  /** Marks rows posted as message `ts`. */
  async markPosted(keys: readonly string[], ts: string): Promise<void> {
    await this.sql.transaction(async (tx) => {
      for (const key of keys)
        await tx.run(`UPDATE outbox SET status = 'posted', posted_ts = ? WHERE key = ?`, [ts, key]);
    });
  }

  /** Returns rows to pending after a failed post (they are retried on the next dispatch). */
  async releaseFailed(keys: readonly string[], error: string): Promise<void> {
    await this.sql.transaction(async (tx) => {
      for (const key of keys)
        await tx.run(`UPDATE outbox SET status = 'pending', claimed_by = NULL, last_error = ? WHERE key = ?`, [
          error.slice(0, 500),
          key,
        ]);
    });
  }

  async outboxCounts(): Promise<Record<string, number>> {
    const rows = await this.sql.all<{ status: string; n: number }>(
      'SELECT status, COUNT(*) AS n FROM outbox GROUP BY status',
    );
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }

  /** Remembers a posted digest and which products it alerted about (for resolutions and buttons). */
  async saveMessage(message: PostedMessage, productIds: readonly string[]): Promise<void> {
    await this.sql.transaction(async (tx) => {
      await tx.run(
        'INSERT INTO posted_message (grp, channel, ts, payload) VALUES (?, ?, ?, ?) ON CONFLICT (grp) DO UPDATE SET channel = excluded.channel, ts = excluded.ts, payload = excluded.payload',
        [message.group, message.channel, message.ts, json(message.payload)],
      );
      for (const productId of productIds) {
        await tx.run(
          'INSERT INTO alert_message (product_id, grp) VALUES (?, ?) ON CONFLICT (product_id) DO UPDATE SET grp = excluded.grp',
          [productId, message.group],
        );
      }
    });
  }

  async messageForProduct(productId: string): Promise<PostedMessage | undefined> {
    const rows = await this.sql.all<{ grp: string; channel: string; ts: string; payload: string }>(
      'SELECT m.grp, m.channel, m.ts, m.payload FROM alert_message a JOIN posted_message m ON m.grp = a.grp WHERE a.product_id = ?',
      [productId],
    );
    const row = rows[0];
    return row ? { group: row.grp, channel: row.channel, ts: row.ts, payload: parse(row.payload) } : undefined;
  }

  async updateMessagePayload(group: string, payload: Record<string, unknown>): Promise<void> {
    await this.sql.run('UPDATE posted_message SET payload = ? WHERE grp = ?', [json(payload), group]);
  }

  /**
   * Takes or renews a named lease for `ttlMs`. True when `holder` holds it now: it was free, expired
   * (its holder stopped renewing, e.g. died), or already held by `holder`.
   */
  async tryLease(name: string, holder: string, ttlMs: number, at: number): Promise<boolean> {
    return this.sql.transaction(async (tx) => {
      await tx.run(
        `INSERT INTO lease (name, holder, expires_at) VALUES (?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
         WHERE lease.holder = excluded.holder OR lease.expires_at < ?`,
        [name, holder, at + ttlMs, at],
      );
      const rows = await tx.all<{ holder: string }>('SELECT holder FROM lease WHERE name = ?', [name]);
      return rows[0]?.holder === holder;
    });
  }

  /** Gives a lease up at once (graceful shutdown), so another replica takes over without waiting. */
  async releaseLease(name: string, holder: string): Promise<void> {
    await this.sql.run('DELETE FROM lease WHERE name = ? AND holder = ?', [name, holder]);
  }

  close(): Promise<void> {
    return this.sql.close();
  }
}

async function insertAudit(sql: SqlClient, entry: AuditEntry): Promise<void> {
  await sql.run('INSERT INTO audit_log (at, actor, action, target, old_value, new_value) VALUES (?, ?, ?, ?, ?, ?)', [
    entry.at,
    entry.actor,
    entry.action,
    entry.target,
    json(entry.oldValue),
    json(entry.newValue),
  ]);
}
