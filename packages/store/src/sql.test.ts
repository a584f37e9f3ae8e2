// The database connection the store runs on: URLs, SQLite files shared within one process, and the
// round trip health checks use.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqlClient } from './sql.js';

let dir: string | undefined;
const open: SqlClient[] = [];
afterEach(async () => {
  for (const client of open.splice(0)) await client.close().catch(() => undefined);
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function database(url: string): SqlClient {
  const client = openDatabase(url);
  open.push(client);
  return client;
}

describe('openDatabase', () => {
  it('creates the folder of a SQLite file, and shares one connection per file in a process', async () => {
    dir = mkdtempSync(join(tmpdir(), 'licensewatch-sql-'));
    const url = `sqlite:${join(dir, 'not', 'yet', 'there.db')}`;
    const first = database(url);
    const second = database(url);
    expect(first.dialect).toBe('sqlite');
    await first.run('CREATE TABLE t (n INTEGER)');
    await second.run('INSERT INTO t (n) VALUES (?)', [1]);
    await first.close(); // the other user of the file goes on
    expect(await second.all<{ n: number }>('SELECT n FROM t')).toEqual([{ n: 1 }]);
    await second.close(); // the last one closes the file: it opens afresh, data intact
    const again = database(url);
    expect(await again.all<{ n: number }>('SELECT n FROM t')).toEqual([{ n: 1 }]);
    await again.ping();
  });

  it("bounds a SQLite file's page cache at SQLite's default 2,000 KiB, not better-sqlite3's 16,000 KiB", async () => {
    // The cache lives in the bot's own memory: at better-sqlite3's build default it held ~16 MB of
    // history pages after a few hundred polls (issue 25's 150 MB budget). Every user of the file
    // shares the one connection, and a file opened again after its last user closed it is bounded too.
    dir = mkdtempSync(join(tmpdir(), 'licensewatch-sql-'));
    const url = `sqlite:${join(dir, 'cache.db')}`;
    const first = database(url);
    const second = database(url);
    for (const client of [first, second]) {
      expect(await client.all('PRAGMA cache_size')).toEqual([{ cache_size: -2000 }]);
    }
    await first.close();
    await second.close();
    expect(await database(url).all('PRAGMA cache_size')).toEqual([{ cache_size: -2000 }]);
  });

  it('gives each in-memory database its own data', async () => {
    const one = database('sqlite::memory:');
    const other = database('sqlite:');
    await one.run('CREATE TABLE t (n INTEGER)');
    await expect(other.all('SELECT n FROM t')).rejects.toThrow(/no such table/);
  });

  it('answers a ping while open and refuses it once closed', async () => {
    const client = openDatabase('sqlite::memory:');
    await expect(client.ping()).resolves.toBeUndefined();
    await client.close();
    await expect(client.ping()).rejects.toThrow();
  });

  it('accepts postgres:// and postgresql:// URLs, and names the scheme of any other without the rest', async () => {
    for (const url of ['postgres://u@127.0.0.1:1/db', 'postgresql://u@127.0.0.1:1/db'])
      expect(database(url).dialect).toBe('postgres');
    expect(() => openDatabase('mysql://admin:s3cret@db.example/licenses')).toThrow(
      new Error('DATABASE_URL must start with sqlite: or postgres:// (got mysql:…)'),
    );
    expect(() => openDatabase('./data/licensewatch.db')).toThrow(/got \.\/data\/licensewatch\.db:…/);
  });
});
