import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';

/**
 * The few things the store needs from a database. SQL is written with `?` placeholders. Internal to
 * the store: callers get aggregates, never SQL.
 */
export interface SqlClient {
  readonly dialect: 'sqlite' | 'postgres';
  all<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Returns the number of rows changed. */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
  /** Runs `work` in one transaction (serialised with other transactions of this client). */
  transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

// better-sqlite3 is synchronous: a second connection to the same file in this process would
// busy-wait (blocking the event loop) while the first one's transaction awaits. So one process
// shares one connection and one transaction queue per file, reference-counted.
const openFiles = new Map<string, { client: SqlClient; refs: number }>();

/** A SQLite file in WAL mode (better-sqlite3). Transactions are serialised in-process. */
export function sqliteClient(path: string): SqlClient {
  const shared = path === ':memory:' ? undefined : openFiles.get(path);
  if (shared) {
    shared.refs += 1;
    return { ...shared.client, close: () => releaseShared(path) };
  }
  const client = openSqlite(path);
  if (path === ':memory:') return client;
  openFiles.set(path, { client, refs: 1 });
  return { ...client, close: () => releaseShared(path) };
}

async function releaseShared(path: string): Promise<void> {
  const shared = openFiles.get(path);
  if (!shared) return;
  shared.refs -= 1;
  if (shared.refs > 0) return;
  openFiles.delete(path);
  await shared.client.close();
}

function openSqlite(path: string): SqlClient {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  let queue: Promise<unknown> = Promise.resolve();
  const all = async <T>(sql: string, params: readonly unknown[] = []) => db.prepare(sql).all(...params) as T[];
  const run = async (sql: string, params: readonly unknown[] = []) => db.prepare(sql).run(...params).changes;
  // Inside a transaction, a nested transaction() joins it (as on PostgreSQL) instead of queueing
  // behind it, so store aggregates can take part in one caller's transaction.
  const tx: SqlClient = {
    dialect: 'sqlite',
    all,
    run,
    transaction: (inner) => inner(tx),
    close: async () => undefined,
  };
  const client: SqlClient = {
    dialect: 'sqlite',
    all,
    run,
    transaction: <T>(work: (tx: SqlClient) => Promise<T>) => {
      const next = queue.then(async () => {
        db.exec('BEGIN IMMEDIATE');
        try {
          const result = await work(tx);
          db.exec('COMMIT');
          return result;
        } catch (error) {
          db.exec('ROLLBACK');
          throw error;
        }
      });
      queue = next.catch(() => undefined);
      return next;
    },
    close: async () => {
      await queue;
      db.close();
    },
  };
  return client;
}

function toPostgres(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** BIGINT columns come back as numbers (epoch ms fit easily), not strings. */
const types = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    oid === 20 ? Number : pg.types.getTypeParser(oid, format as 'text'),
};

function pgQueries(query: (sql: string, params: unknown[]) => Promise<pg.QueryResult>) {
  return {
    all: async <T>(sql: string, params: readonly unknown[] = []) =>
      (await query(toPostgres(sql), [...params])).rows as T[],
    run: async (sql: string, params: readonly unknown[] = []) =>
      (await query(toPostgres(sql), [...params])).rowCount ?? 0,
  };
}

/** A PostgreSQL pool. Transactions take a dedicated connection. */
export function postgresClient(connectionString: string): SqlClient {
  const pool = new pg.Pool({ connectionString, max: 5, types });
  return {
    dialect: 'postgres',
    ...pgQueries((sql, params) => pool.query(sql, params)),
    transaction: async (work) => {
      const connection = await pool.connect();
      try {
        await connection.query('BEGIN');
        const tx: SqlClient = {
          dialect: 'postgres',
          ...pgQueries((sql, params) => connection.query(sql, params)),
          transaction: (inner) => inner(tx),
          close: async () => undefined,
        };
        const result = await work(tx);
        await connection.query('COMMIT');
        return result;
      } catch (error) {
        await connection.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        connection.release();
      }
    },
    close: () => pool.end(),
  };
}

/**
 * Opens `DATABASE_URL`: `sqlite:<path>` (or `sqlite::memory:`) or `postgres://…`.
 *
 * @example
 * ```ts
 * const sql = openDatabase('sqlite:./data/licensewatch.db')
 * ```
 */
export function openDatabase(url: string): SqlClient {
  if (url.startsWith('sqlite:')) return sqliteClient(url.slice('sqlite:'.length) || ':memory:');
  if (/^postgres(ql)?:\/\//.test(url)) return postgresClient(url);
  throw new Error(`DATABASE_URL must start with sqlite: or postgres:// (got ${url.split(':')[0]}:…)`);
}
