import type { SqlClient } from './sql.js';

/** Named leases: at most one holder at a time (e.g. the one replica that polls). */
export class LeaseStore {
  /** @internal Built by {@link openStore}. */
  constructor(private readonly db: SqlClient) {}

  /**
   * Takes or renews a named lease for `ttlMs`. True when `holder` holds it now: it was free, expired
   * (its holder stopped renewing, e.g. died), or already held by `holder`.
   *
   * @example
   * ```ts
   * if (await store.lease.tryTake('poller', holder, 15_000, Date.now())) await poll()
   * ```
   */
  async tryTake(name: string, holder: string, ttlMs: number, at: number): Promise<boolean> {
    return this.db.transaction(async (tx) => {
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

  /**
   * Gives a lease up at once (graceful shutdown), so another replica takes over without waiting.
   *
   * @example
   * ```ts
   * await store.lease.release('poller', holder)
   * ```
   */
  async release(name: string, holder: string): Promise<void> {
    await this.db.run('DELETE FROM lease WHERE name = ? AND holder = ?', [name, holder]);
  }
}
