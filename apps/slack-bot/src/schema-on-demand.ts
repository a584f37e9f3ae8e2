import { outageCode, type Store } from '@licensewatch/store';
import type { Logger } from 'pino';

/**
 * Migrates the store at start; when the database is unavailable then (down, read-only, full) the bot
 * starts anyway, answering `/licenses` from LMPI, and the returned function migrates before the next
 * poll instead of the process exiting into a restart loop. Other migration errors still fail start.
 *
 * @example
 * ```ts
 * const ensureSchema = await migrateOrDefer(store, logger)
 * await ensureSchema() // before each poll: resolves at once once migrated
 * ```
 */
export async function migrateOrDefer(store: Store, logger: Logger): Promise<() => Promise<void>> {
  let ready = false;
  const migrate = async () => {
    if (ready) return;
    await store.migrate();
    ready = true;
  };
  try {
    await migrate();
  } catch (error) {
    if (!outageCode(error)) throw error;
    logger.error(
      { database: { code: outageCode(error) } },
      'database unavailable at start: /licenses works; alerts start once the database is back',
    );
  }
  return migrate;
}
