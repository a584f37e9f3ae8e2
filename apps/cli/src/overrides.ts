import { existsSync } from 'node:fs';
import type { ThresholdLevels } from '@licensewatch/alerts';
import { errorMessage } from '@licensewatch/schema';
import type { Store } from '@licensewatch/store';
import { UsageError } from './exit-codes.js';

/** Threshold overrides by product code or id, as `ruleResolver` takes them. */
export type ThresholdOverrides = ReadonlyMap<string, Pick<ThresholdLevels, 'low' | 'critical'>>;

/**
 * Reads the threshold overrides set in Slack (`/licenses threshold CODE 500 100`) from the bot's
 * database, read-only (no migration, no new file). Anything that stops it is a usage error naming
 * DATABASE_URL (exit 64): the CLI must not judge by levels other than the bot's.
 *
 * @example
 * ```ts
 * const ruleFor = ruleResolver(config, await readThresholdOverrides('sqlite:./data/licensewatch.db'))
 * ```
 */
export async function readThresholdOverrides(databaseUrl: string): Promise<ThresholdOverrides> {
  return readBotStore(databaseUrl, 'threshold overrides', async (store) => {
    const overrides = await store.rules.overrides();
    return new Map(overrides.map((o) => [o.match, { low: o.low, critical: o.critical }]));
  });
}

/**
 * Opens the bot's database read-only (no migration, no new file), runs `read`, and closes it.
 * Anything that stops it is a usage error naming DATABASE_URL and `what` was being read (exit 64).
 *
 * @example
 * ```ts
 * const history = await readBotStore(url, 'history', (store) => store.history.since(Date.now() - 30 * 86_400_000))
 * ```
 */
export async function readBotStore<T>(
  databaseUrl: string,
  what: string,
  read: (store: Store) => Promise<T>,
): Promise<T> {
  const problem = (reason: string) =>
    new UsageError(`DATABASE_URL: cannot read ${what} from ${redact(databaseUrl)}: ${reason}`);
  if (databaseUrl.startsWith('sqlite:')) {
    const path = databaseUrl.slice('sqlite:'.length);
    if (path !== ':memory:' && !existsSync(path)) throw problem("no such file (is it the bot's DATABASE_URL?)");
  }
  // Loaded only when DATABASE_URL is set: the drivers are not needed otherwise.
  const { openStore } = await import('@licensewatch/store');
  let store: Store;
  try {
    store = openStore(databaseUrl);
  } catch (error) {
    throw problem(errorMessage(error));
  }
  try {
    return await read(store);
  } catch (error) {
    throw problem(errorMessage(error).split('\n')[0] ?? 'unknown error');
  } finally {
    await store.close().catch(() => undefined);
  }
}

/** The URL without a password, for messages. */
function redact(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:/@]+):[^@]*@/, '$1:***@');
}
