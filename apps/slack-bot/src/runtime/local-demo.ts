import type { Store } from '@licensewatch/store';
import type { Logger } from 'pino';
import { seedDemoHistory } from '../demo/seed-history.js';
import type { LmpiAccess } from './lmpi-access.js';

/**
 * Local mode on the embedded sandbox only: 30 days of demo history when there is none yet, and the
 * note every reply then carries. Anything else (remote LMPI, HTTP or Socket Mode): no demo, no note.
 * A database that cannot take the history is logged, not fatal.
 *
 * @example
 * ```ts
 * const demoNote = await seedLocalDemo({ slackMode: 'local', historyRetentionMs }, { lmpi, store, now, logger })
 * ```
 */
export async function seedLocalDemo(
  slice: { slackMode: string; historyRetentionMs: number },
  parts: { lmpi: LmpiAccess; store: Store; now: () => number; logger: Logger },
): Promise<string | undefined> {
  const { sandbox } = parts.lmpi;
  if (slice.slackMode !== 'local' || !sandbox) return undefined;
  return seedDemoHistory(parts.store, sandbox, parts.now(), slice.historyRetentionMs, parts.logger).catch(
    (error: unknown) => {
      parts.logger.warn({ err: error }, 'demo history not seeded (database unavailable)');
      return undefined;
    },
  );
}
