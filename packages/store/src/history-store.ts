import type { HistoryPoint } from '@licensewatch/alerts';
import type { SqlClient } from './sql.js';

/** One product's available count at a poll. */
export interface AvailabilityReading {
  productId: string;
  available: number;
}

/** Availability readings per product over time, for depletion forecasts. */
export class HistoryStore {
  /** @internal Built by {@link openStore}. */
  constructor(private readonly db: SqlClient) {}

  /**
   * Records one poll's readings at `at` and prunes readings older than `pruneBefore`.
   *
   * @example
   * ```ts
   * await store.history.record([{ productId, available: 80 }], Date.now(), Date.now() - 30 * 86_400_000)
   * ```
   */
  async record(readings: readonly AvailabilityReading[], at: number, pruneBefore: number): Promise<void> {
    if (readings.length === 0) return;
    await this.db.transaction(async (tx) => {
      for (const reading of readings) {
        await tx.run(
          'INSERT INTO availability_history (product_id, at, available) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
          [reading.productId, at, reading.available],
        );
      }
      await tx.run('DELETE FROM availability_history WHERE at < ?', [pruneBefore]);
    });
  }

  /**
   * Readings since `since`, oldest first, per product.
   *
   * @example
   * ```ts
   * const history = await store.history.since(Date.now() - 7 * 86_400_000)
   * ```
   */
  async since(since: number): Promise<Map<string, HistoryPoint[]>> {
    const rows = await this.db.all<{ product_id: string; at: number; available: number }>(
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
}
