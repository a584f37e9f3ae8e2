import type { HistoryPoint } from '@licensewatch/alerts';
import type { SqlClient } from './sql.js';

/** One product's available count at a poll. */
export interface AvailabilityReading {
  productId: string;
  available: number;
}

/** A span of time: `from` included, `to` excluded (`Infinity` for no end). */
export interface TimeRange {
  from: number;
  to: number;
}

interface HistoryRow {
  product_id: string;
  at: number;
  available: number;
}

/** Rows (ordered by product, then time) as a list of readings per product. */
function byProduct(rows: readonly HistoryRow[]): Map<string, HistoryPoint[]> {
  const out = new Map<string, HistoryPoint[]>();
  for (const row of rows) {
    const list = out.get(row.product_id) ?? [];
    list.push({ at: Number(row.at), available: row.available });
    out.set(row.product_id, list);
  }
  return out;
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
    const rows = await this.db.all<HistoryRow>(
      'SELECT product_id, at, available FROM availability_history WHERE at >= ? ORDER BY product_id, at',
      [since],
    );
    return byProduct(rows);
  }

  /**
   * Readings within any of the time ranges (`from` included, `to` excluded), oldest first, per
   * product: what a poller that keeps state between polls needs (the readings new since its last
   * read, and those that crossed a day boundary since), rather than the whole window again.
   *
   * @example
   * ```ts
   * const fresh = await store.history.inRanges([{ from: lastReadAt, to: Number.POSITIVE_INFINITY }])
   * ```
   */
  async inRanges(ranges: readonly TimeRange[]): Promise<Map<string, HistoryPoint[]>> {
    if (ranges.length === 0) return new Map();
    // One SELECT per bounded range, so that each is a search of the index by time (SQLite scans the
    // whole table for ORs of ranges, and for an unbounded one); UNION drops a reading found twice.
    const select = 'SELECT product_id, at, available FROM availability_history WHERE at >= ? AND at < ?';
    const rows = await this.db.all<HistoryRow>(
      `${ranges.map(() => select).join(' UNION ')} ORDER BY product_id, at`,
      ranges.flatMap((range) => [range.from, Math.min(range.to, Number.MAX_SAFE_INTEGER)]),
    );
    return byProduct(rows);
  }

  /**
   * One product's readings since `since`, oldest first (for a chart: one product, not all of them).
   *
   * @example
   * ```ts
   * const points = await store.history.forProduct(productId, Date.now() - 30 * 86_400_000)
   * ```
   */
  async forProduct(productId: string, since: number): Promise<HistoryPoint[]> {
    const rows = await this.db.all<{ at: number; available: number }>(
      'SELECT at, available FROM availability_history WHERE product_id = ? AND at >= ? ORDER BY at',
      [productId, since],
    );
    return rows.map((row) => ({ at: Number(row.at), available: row.available }));
  }

  /**
   * Records readings taken at different times in one transaction, pruning nothing (e.g. seeding
   * local mode's demo history: tens of thousands of rows).
   *
   * @example
   * ```ts
   * await store.history.recordMany([{ productId, at: Date.now() - 3_600_000, available: 80 }])
   * ```
   */
  async recordMany(readings: readonly (AvailabilityReading & { at: number })[]): Promise<void> {
    if (readings.length === 0) return;
    const BATCH = 500; // rows per INSERT: 1,500 parameters, within SQLite's and PostgreSQL's limits
    await this.db.transaction(async (tx) => {
      for (let i = 0; i < readings.length; i += BATCH) {
        const batch = readings.slice(i, i + BATCH);
        await tx.run(
          `INSERT INTO availability_history (product_id, at, available) VALUES ${batch.map(() => '(?, ?, ?)').join(', ')} ON CONFLICT DO NOTHING`,
          batch.flatMap((r) => [r.productId, r.at, r.available]),
        );
      }
    });
  }

  /**
   * Whether any reading is recorded (local mode seeds demo history only into an empty store).
   *
   * @example
   * ```ts
   * if (await store.history.isEmpty()) await store.history.record(demoReadings, at, pruneBefore)
   * ```
   */
  async isEmpty(): Promise<boolean> {
    const rows = await this.db.all<{ one: number }>('SELECT 1 AS one FROM availability_history LIMIT 1', []);
    return rows.length === 0;
  }
}
