import type { EngineState } from '@licensewatch/alerts';
import { type DatabaseHealth, HealthTracker } from './database-health.js';
import { EngineStateStore } from './engine-state-store.js';
import { type AvailabilityReading, HistoryStore } from './history-store.js';
import { LeaseStore } from './lease-store.js';
import { migrate } from './migrations.js';
import { monitored } from './monitored-sql.js';
import type { OutboxRow } from './outbox-rows.js';
import { OutboxStore } from './outbox-store.js';
import { RulesStore } from './rules-store.js';
import { openDatabase, type SqlClient } from './sql.js';

/** The store's aggregates, each owning its tables. */
export interface StoreAggregates {
  /** Alert engine state per product, and its counters. */
  engine: EngineStateStore;
  /** Availability readings for forecasts. */
  history: HistoryStore;
  /** Threshold overrides and the audit log. */
  rules: RulesStore;
  /** Alerts to deliver, and references to what was delivered. */
  outbox: OutboxStore;
  /** The poller lease. */
  lease: LeaseStore;
}

/** One poll's outcome to commit: new engine state, readings, and outbox rows for its events. */
export interface PollCommit {
  previous: EngineState;
  next: EngineState;
  outbox: readonly OutboxRow[];
  readings: readonly AvailabilityReading[];
  at: number;
  /** History older than this is pruned. */
  pruneBefore: number;
}

/** Durable licensewatch state on SQLite or PostgreSQL. */
export interface Store extends StoreAggregates {
  /**
   * Runs `work` in one transaction; the aggregates it is given all take part in it (and commit or
   * roll back together).
   */
  transaction<T>(work: (tx: StoreAggregates) => Promise<T>): Promise<T>;
  /** Commits one poll atomically: engine state, history and outbox rows in one transaction. */
  commitPoll(poll: PollCommit): Promise<void>;
  /** Creates or upgrades the schema; resolves with the number of migrations applied. */
  migrate(): Promise<number>;
  /**
   * Asks the database now (`SELECT 1`) and resolves with its health; never rejects. Cheap enough
   * for readiness probes.
   */
  ping(): Promise<DatabaseHealth>;
  /** Database health as last seen by any operation (no I/O). */
  health(): DatabaseHealth;
  close(): Promise<void>;
}

/** Options of {@link openStore}. */
export interface StoreOptions {
  /**
   * Called once when the database becomes unavailable (unreachable, read-only, full) and once
   * when it works again: log there, not per failed query.
   */
  onHealthChange?: (health: DatabaseHealth) => void;
  now?: () => number;
  /**
   * How long writes must work, with none failing, before a full database counts as available
   * again (one outage, not one per poll while small writes still fit). Default 30 s.
   */
  outageSettleMs?: number;
}

function aggregates(db: SqlClient): StoreAggregates {
  return {
    engine: new EngineStateStore(db),
    history: new HistoryStore(db),
    rules: new RulesStore(db),
    outbox: new OutboxStore(db),
    lease: new LeaseStore(db),
  };
}

/**
 * Opens the store at `DATABASE_URL`: `sqlite:<path>` (or `sqlite::memory:`) or `postgres://…`.
 *
 * @example
 * ```ts
 * const store = openStore('sqlite:./data/licensewatch.db')
 * await store.migrate()
 * const overrides = await store.rules.overrides()
 * const { status } = await store.ping() // 'up' | 'down'
 * await store.close()
 * ```
 */
export function openStore(url: string, options: StoreOptions = {}): Store {
  const raw = openDatabase(url, { onConnectionError: (error) => health.failed(error) });
  const health = new HealthTracker(raw.dialect, options.onHealthChange, options.now, options.outageSettleMs ?? 30_000);
  const db = monitored(raw, health);
  const transaction = <T>(work: (tx: StoreAggregates) => Promise<T>) => db.transaction((tx) => work(aggregates(tx)));
  return {
    ...aggregates(db),
    transaction,
    commitPoll: (poll) =>
      transaction(async (tx) => {
        await tx.engine.save(poll.previous, poll.next, poll.at);
        await tx.history.record(poll.readings, poll.at, poll.pruneBefore);
        await tx.outbox.enqueue(poll.outbox);
      }),
    migrate: () => migrate(db),
    ping: () =>
      db.ping().then(
        () => health.current,
        () => health.current,
      ),
    health: () => health.current,
    close: () => db.close(),
  };
}
