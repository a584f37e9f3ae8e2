import type { ThresholdLevels } from '@licensewatch/alerts';
import { fromJson, toJson } from './json.js';
import type { SqlClient } from './sql.js';

/** Who changed what, when, from what to what. */
export interface AuditEntry {
  at: number;
  actor: string;
  action: string;
  target: string;
  oldValue: unknown;
  newValue: unknown;
}

/** Threshold levels set at run time (e.g. `/licenses threshold`), by product code or id. */
export type ThresholdOverride = Pick<ThresholdLevels, 'low' | 'critical'> & {
  match: string;
  updatedBy: string;
  updatedAt: number;
};

/** Threshold overrides and the audit log of every change made by people. */
export class RulesStore {
  /** @internal Built by {@link openStore}. */
  constructor(private readonly db: SqlClient) {}

  /**
   * Every override, by `match` (upper case).
   *
   * @example
   * ```ts
   * const ruleFor = ruleResolver(config, new Map((await store.rules.overrides()).map((o) => [o.match, o])))
   * ```
   */
  async overrides(): Promise<ThresholdOverride[]> {
    const rows = await this.db.all<{
      match: string;
      low: number;
      critical: number;
      updated_by: string;
      updated_at: number;
    }>('SELECT match, low, critical, updated_by, updated_at FROM threshold_override ORDER BY match');
    return rows.map((r) => ({
      match: r.match,
      low: r.low,
      critical: r.critical,
      updatedBy: r.updated_by,
      updatedAt: Number(r.updated_at),
    }));
  }

  /**
   * Sets (or with `null` removes) an override; its audit entry (old and new values) is written in
   * the same transaction.
   *
   * @example
   * ```ts
   * await store.rules.setOverride('NNZBXXE1X', { low: 300, critical: 50 }, 'U0123', Date.now())
   * ```
   */
  async setOverride(
    match: string,
    levels: { low: number; critical: number } | null,
    actor: string,
    at: number,
  ): Promise<void> {
    const key = match.toUpperCase();
    await this.db.transaction(async (tx) => {
      const old = await tx.all<{ low: number; critical: number }>(
        'SELECT low, critical FROM threshold_override WHERE match = ?',
        [key],
      );
      if (levels) {
        await tx.run(
          'INSERT INTO threshold_override (match, low, critical, updated_by, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (match) DO UPDATE SET low = excluded.low, critical = excluded.critical, updated_by = excluded.updated_by, updated_at = excluded.updated_at',
          [key, levels.low, levels.critical, actor, at],
        );
      } else {
        await tx.run('DELETE FROM threshold_override WHERE match = ?', [key]);
      }
      await new RulesStore(tx).audit({
        at,
        actor,
        action: levels ? 'threshold.set' : 'threshold.clear',
        target: key,
        oldValue: old[0] ?? null,
        newValue: levels,
      });
    });
  }

  /**
   * Appends an audit entry (join a transaction with `store.transaction` to audit atomically).
   *
   * @example
   * ```ts
   * await tx.rules.audit({ at, actor: 'U0123', action: 'acknowledge', target: 'NNZBXXE1X', oldValue: null, newValue: true })
   * ```
   */
  async audit(entry: AuditEntry): Promise<void> {
    await this.db.run(
      'INSERT INTO audit_log (at, actor, action, target, old_value, new_value) VALUES (?, ?, ?, ?, ?, ?)',
      [entry.at, entry.actor, entry.action, entry.target, toJson(entry.oldValue), toJson(entry.newValue)],
    );
  }

  /**
   * The latest `limit` audit entries, newest first.
   *
   * @example
   * ```ts
   * const changes = await store.rules.recentAudit(5)
   * ```
   */
  async recentAudit(limit: number): Promise<AuditEntry[]> {
    const rows = await this.db.all<{
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
      oldValue: fromJson(r.old_value),
      newValue: fromJson(r.new_value),
    }));
  }
}
