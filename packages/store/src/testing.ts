import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { sqliteClient } from './sql.js';

/** The PostgreSQL the tests use: `.ci/run` makes sure it runs; locally see the README. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A fresh, empty database URL per call: a temp SQLite file, or a new PostgreSQL schema. */
export async function freshDatabaseUrl(
  kind: 'sqlite' | 'postgres',
): Promise<{ url: string; drop: () => Promise<void> }> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'licensewatch-'));
    return { url: `sqlite:${join(dir, 'test.db')}`, drop: async () => undefined };
  }
  const schema = `lw_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL tests need a server at ${TEST_DATABASE_URL} (set TEST_DATABASE_URL): ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const url = `${TEST_DATABASE_URL}${TEST_DATABASE_URL.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  return {
    url,
    drop: async () => {
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      await client.query(`DROP SCHEMA ${schema} CASCADE`);
      await client.end();
    },
  };
}

/**
 * Makes a SQLite database opened by this process read-only (`PRAGMA query_only` on the shared
 * connection: writes fail with `SQLITE_READONLY`, as on a read-only volume) until the returned
 * function is called. For fault-injection tests; root ignores file permissions, so chmod cannot.
 *
 * @example
 * ```ts
 * const restore = await sqliteReadOnly(url)
 * await restore()
 * ```
 */
export async function sqliteReadOnly(url: string): Promise<() => Promise<void>> {
  if (!url.startsWith('sqlite:')) throw new Error('sqliteReadOnly needs a sqlite: URL');
  const client = sqliteClient(url.slice('sqlite:'.length));
  await client.run('PRAGMA query_only = 1');
  return async () => {
    await client.run('PRAGMA query_only = 0');
    await client.close();
  };
}

/**
 * Makes a SQLite database opened by this process full (`PRAGMA max_page_count` at its current
 * size on the shared connection: a write that needs a new page fails with `SQLITE_FULL`, as on a
 * full disk) until the returned function is called. For fault-injection tests.
 *
 * @example
 * ```ts
 * const spaceBack = await sqliteDiskFull(url)
 * await spaceBack()
 * ```
 */
export async function sqliteDiskFull(url: string): Promise<() => Promise<void>> {
  if (!url.startsWith('sqlite:')) throw new Error('sqliteDiskFull needs a sqlite: URL');
  const client = sqliteClient(url.slice('sqlite:'.length));
  await client.run('PRAGMA wal_checkpoint(TRUNCATE)');
  const [row] = await client.all<{ page_count: number }>('PRAGMA page_count');
  await client.all(`PRAGMA max_page_count = ${Number(row?.page_count ?? 1) + 2}`);
  // Fill the free pages too, so the next write that needs room fails as on a full disk.
  await client.run('CREATE TABLE IF NOT EXISTS lw_disk_full_filler (x BLOB)');
  for (const size of [512, 64, 1]) {
    for (let i = 0; i < 100_000; i += 1) {
      const full = await client.run(`INSERT INTO lw_disk_full_filler VALUES (zeroblob(${size}))`).then(
        () => false,
        (error: { code?: string }) => error.code === 'SQLITE_FULL',
      );
      if (full) break;
    }
  }
  return async () => {
    await client.all('PRAGMA max_page_count = 4294967294');
    await client.run('DROP TABLE IF EXISTS lw_disk_full_filler');
    await client.close();
  };
}
