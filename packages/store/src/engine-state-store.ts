import type { AlertEpisode, AlertLevel, EngineState, ProductAlertState, SuspectCatalogue } from '@licensewatch/alerts';
import { fromJson, toJson } from './json.js';
import type { SqlClient } from './sql.js';

interface MetaJson {
  consecutiveFailures: number;
  unreachableOpen: boolean;
  failingSince: number | null;
  /** A much smaller product list held as suspect (absent in states from before it existed). */
  suspect?: SuspectCatalogue | null;
}

type StoredProduct = Omit<ProductAlertState, 'pending' | 'lastNotifiedAt' | 'mutedUntil' | 'episode'> & {
  pending?: ProductAlertState['pending'] | null;
  lastNotifiedAt?: number | null;
  mutedUntil?: number | null;
  episode?: AlertEpisode | null;
};

/**
 * Product state with `undefined` fields stored as absent and restored as `undefined`. States written
 * before episodes existed get one derived from the level and `since`, so an alert open across the
 * upgrade keeps one stable episode id.
 */
function restoreProduct(text: string): ProductAlertState {
  const raw = JSON.parse(text) as StoredProduct;
  const level: AlertLevel = raw.level;
  const legacyEpisode: AlertEpisode | undefined =
    level === 'ok' ? undefined : { id: `${raw.productId}:${raw.since}`, startedAt: raw.since, peak: level };
  return {
    ...raw,
    pending: raw.pending ?? undefined,
    lastNotifiedAt: raw.lastNotifiedAt ?? undefined,
    mutedUntil: raw.mutedUntil ?? undefined,
    episode: raw.episode === undefined ? legacyEpisode : (raw.episode ?? undefined),
  };
}

/** Stored with `episode: null` when there is none, so it is not mistaken for a pre-episode state. */
const productJson = (state: ProductAlertState): string => toJson({ ...state, episode: state.episode ?? null });

/** The alert engine's state: one row per product plus the engine's counters. */
export class EngineStateStore {
  /** @internal Built by {@link openStore}; bound to a connection or a transaction. */
  constructor(private readonly db: SqlClient) {}

  /**
   * The state the engine left after the last committed poll.
   *
   * @example
   * ```ts
   * const previous = await store.engine.load()
   * ```
   */
  async load(): Promise<EngineState> {
    const rows = await this.db.all<{ product_id: string; state: string }>(
      'SELECT product_id, state FROM product_state',
    );
    const meta = await this.db.all<{ state: string }>('SELECT state FROM engine_meta WHERE id = 1');
    const m = meta[0] ? (fromJson(meta[0].state) as MetaJson) : undefined;
    return {
      products: new Map(rows.map((row) => [row.product_id, restoreProduct(row.state)])),
      consecutiveFailures: m?.consecutiveFailures ?? 0,
      unreachableOpen: m?.unreachableOpen ?? false,
      failingSince: m?.failingSince ?? undefined,
      ...(m?.suspect ? { suspect: m.suspect } : {}),
    };
  }

  /**
   * Writes what changed from `previous` to `next`: changed product states (by identity), removed
   * products, and the engine counters.
   *
   * @example
   * ```ts
   * await store.engine.save(previous, next, Date.now())
   * ```
   */
  async save(previous: EngineState, next: EngineState, at: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const [productId, state] of next.products) {
        if (previous.products.get(productId) === state) continue;
        await tx.run(
          'INSERT INTO product_state (product_id, state, updated_at) VALUES (?, ?, ?) ON CONFLICT (product_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at',
          [productId, productJson(state), at],
        );
      }
      for (const productId of previous.products.keys()) {
        if (!next.products.has(productId)) await tx.run('DELETE FROM product_state WHERE product_id = ?', [productId]);
      }
      const meta: MetaJson = {
        consecutiveFailures: next.consecutiveFailures,
        unreachableOpen: next.unreachableOpen,
        failingSince: next.failingSince ?? null,
        suspect: next.suspect ?? null,
      };
      await tx.run(
        'INSERT INTO engine_meta (id, state) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET state = excluded.state',
        [toJson(meta)],
      );
    });
  }

  /**
   * Changes one product's stored state (snooze, acknowledge, mute). Undefined when the product has
   * not been polled yet.
   *
   * @example
   * ```ts
   * await store.engine.updateProduct(productId, (s) => ({ ...s, acknowledged: true }), Date.now())
   * ```
   */
  async updateProduct(
    productId: string,
    change: (state: ProductAlertState) => ProductAlertState,
    at: number,
  ): Promise<ProductAlertState | undefined> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.all<{ state: string }>('SELECT state FROM product_state WHERE product_id = ?', [productId]);
      if (!rows[0]) return undefined;
      const next = change(restoreProduct(rows[0].state));
      await tx.run('UPDATE product_state SET state = ?, updated_at = ? WHERE product_id = ?', [
        productJson(next),
        at,
        productId,
      ]);
      return next;
    });
  }
}
