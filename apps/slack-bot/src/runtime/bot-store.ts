import { type DatabaseHealth, openStore, type Store } from '@licensewatch/store';
import type { Logger } from 'pino';
import type { BotOps } from '../ops/ops.js';
import { migrateOrDefer } from '../schema-on-demand.js';

/** The bot's database, opened and migrated (or the migration deferred while it is unreachable). */
export interface BotStore {
  store: Store;
  /** Migrates now if the migration at start had to wait; a no-op once done. */
  ensureSchema: () => Promise<void>;
  /** From now on, and for what happened before (a migration at start), health goes to operations. */
  reportHealthTo(ops: BotOps): void;
}

/**
 * Opens the store from its slice of the configuration. Health changes seen before operations exist
 * (the migration runs first) are held and handed over by `reportHealthTo`, so none is lost.
 *
 * @example
 * ```ts
 * const db = await openBotStore({ databaseUrl: 'sqlite::memory:' }, { logger, now: Date.now })
 * db.reportHealthTo(ops)
 * ```
 */
export async function openBotStore(
  slice: { databaseUrl: string },
  deps: { logger: Logger; now: () => number },
): Promise<BotStore> {
  let ops: BotOps | undefined;
  let early: DatabaseHealth[] = [];
  const store = openStore(slice.databaseUrl, {
    onHealthChange: (health) => (ops ? ops.databaseHealth(health) : early.push(health)),
    now: deps.now,
  });
  const ensureSchema = await migrateOrDefer(store, deps.logger);
  return {
    store,
    ensureSchema,
    reportHealthTo(target) {
      ops = target;
      for (const health of early) target.databaseHealth(health);
      early = [];
    },
  };
}
