import type { Store } from '@licensewatch/store';
import type { Logger } from 'pino';

/** The audit action that records that the history was seeded with demo data. */
export const DEMO_HISTORY_ACTION = 'seed demo history';

type PoolHistory = { productId: string; points: { at: number; available: number }[] };

/** What seeding needs of the embedded sandbox. */
export interface DemoHistorySource {
  demoHistory(now: number): PoolHistory[];
  /** Records the drops of these readings as customer transactions; returns how many. */
  recordHistory(series: readonly PoolHistory[]): number;
}

/**
 * Local mode only: fills an empty history store with the sandbox's deterministic 30-day demo
 * series, so the first `/licenses`, chart and Home tab show trends, refills and pools about to run
 * dry. Never touches a store that has any reading. Then, on every start, hands the stored history
 * to the sandbox, whose ledger starts empty, so its transactions and customer summaries explain
 * every drop of it ("who drained it", `/licenses usage`, the CLI's reports agree with the charts).
 * Returns the note every view shows while demo data is in the store (undefined when there is none).
 *
 * @example
 * ```ts
 * const demoNote = await seedDemoHistory(store, sandbox, Date.now(), 30 * 86_400_000, logger)
 * ```
 */
export async function seedDemoHistory(
  store: Store,
  source: DemoHistorySource,
  now: number,
  retentionMs: number,
  logger: Logger,
): Promise<string | undefined> {
  if (await store.history.isEmpty()) {
    const series = source.demoHistory(now);
    const readings = series.flatMap(({ productId, points }) =>
      points.filter((p) => p.at >= now - retentionMs).map(({ at, available }) => ({ productId, at, available })),
    );
    await store.history.recordMany(readings);
    await store.rules.audit({
      at: now,
      actor: 'licensewatch',
      action: DEMO_HISTORY_ACTION,
      target: 'history',
      oldValue: null,
      newValue: { products: series.length, until: new Date(now).toISOString() },
    });
    logger.info({ products: series.length, readings: readings.length }, 'local mode: seeded 30 days of demo history');
  }
  const history = await store.history.since(now - retentionMs);
  const transactions = source.recordHistory([...history].map(([productId, points]) => ({ productId, points })));
  logger.info({ transactions }, 'local mode: the sandbox explains the stored history with customer transactions');
  const seeded = (await store.rules.recentAudit(1_000)).find((entry) => entry.action === DEMO_HISTORY_ACTION);
  return seeded
    ? `Demo data: the history before ${new Date(seeded.at).toISOString().slice(0, 16).replace('T', ' ')} UTC is synthetic (local sandbox)`
    : undefined;
}
