import { describe, expect, it } from 'vitest';
import type { DatabaseHealth } from './database-health.js';
import { openStore } from './store.js';
import { freshDatabaseUrl, sqliteDiskFull } from './testing.js';

describe('a full SQLite disk', () => {
  it('fails with SQLITE_FULL (not "cannot rollback"), reports the outage once, and loses nothing once space is back', async () => {
    const { url } = await freshDatabaseUrl('sqlite');
    const changes: DatabaseHealth[] = [];
    let clock = 1_000_000;
    const store = openStore(url, { onHealthChange: (health) => changes.push(health), now: () => clock });
    try {
      await store.migrate();
      const spaceBack = await sqliteDiskFull(url);
      const row = (key: string) => ({
        kind: 'lmpi-notice' as const,
        key,
        group: 'lmpi',
        destination: { notifier: 'slack', target: 'C1' },
        event: { kind: 'lmpi-unreachable' as const, key, at: 1, failures: 3, since: 1, reason: 'unreachable' as const },
        createdAt: 1,
      });
      const big = Array.from({ length: 400 }, (_, i) => row(`full-${i}-${'x'.repeat(200)}`));
      const failures = [];
      for (let i = 0; i < 3; i += 1) failures.push(await store.outbox.enqueue(big).catch((error: unknown) => error));
      for (const failure of failures) {
        expect(failure).toMatchObject({ code: 'SQLITE_FULL' });
        expect(String(failure)).not.toMatch(/no transaction is active/);
      }
      expect(changes.map((h) => [h.status, h.error?.code])).toEqual([['down', 'SQLITE_FULL']]);
      expect((await store.ping()).status).toBe('down'); // a read works, but the disk is still full
      expect(await store.outbox.counts()).toEqual({}); // nothing half-written

      await spaceBack();
      await store.outbox.enqueue(big);
      expect(await store.outbox.counts()).toEqual({ pending: 400 });
      // Writes work again, but one outage of a full disk ends only once they kept working 30 s.
      expect(store.health().status).toBe('down');
      clock += 30_000;
      await store.outbox.release(['none'], 'probe');
      expect(changes.map((h) => h.status)).toEqual(['down', 'up']);
    } finally {
      await store.close();
    }
  });
});
