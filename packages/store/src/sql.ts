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
  /** A cheap round trip (`SELECT 1`); rejects when the database does not answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** What the client reports outside any query: a pooled connection that broke while idle. */
export interface SqlClientEvents {
  onConnectionError?: (error: Error) => void;
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

/**
 * The connection's page cache, in KiB: SQLite's own default. better-sqlite3 is built with a 16,000 KiB
 * default instead, which the bot's history filled within ~300 polls of 1,000 products: ~16 MB of
 * malloc'd pages in a process whose whole RSS budget is 150 MB (issue 25). Pages it no longer holds
 * are read back from the operating system's file cache, which is not the process's RSS. SQLite also
 * sizes its in-memory sorts from this: a sort of more than ~2 MB (an ORDER BY over the whole history)
 * spills to a temporary file.
 */
const SQLITE_PAGE_CACHE_KIB = 2_000;

function openSqlite(path: string): SqlClient {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  db.pragma(`cache_size = -${SQLITE_PAGE_CACHE_KIB}`);
  let queue: Promise<unknown> = Promise.resolve();
  const statement = preparedStatements(db);
  const all = async <T>(sql: string, params: readonly unknown[] = []) => statement(sql).all(...params) as T[];
  const run = async (sql: string, params: readonly unknown[] = []) => statement(sql).run(...params).changes;
  // Inside a transaction, a nested transaction() joins it (as on PostgreSQL) instead of queueing
  // behind it, so store aggregates can take part in one caller's transaction.
  const tx: SqlClient = {
    dialect: 'sqlite',
    all,
    run,
    transaction: (inner) => inner(tx),
    ping: async () => undefined,
    close: async () => undefined,
  };
  const client: SqlClient = {
    dialect: 'sqlite',
    all,
    run,
    ping: async () => {
      db.prepare('SELECT 1').get();
    },
    transaction: <T>(work: (tx: SqlClient) => Promise<T>) => {
      const next = queue.then(async () => {
        db.exec('BEGIN IMMEDIATE');
        try {
          const result = await work(tx);
          db.exec('COMMIT');
          return result;
        } catch (error) {
          // SQLite rolls back by itself on some errors (SQLITE_FULL, SQLITE_IOERR): a second
          // ROLLBACK would fail with "no transaction is active" and hide the real error.
          if (db.inTransaction) {
            try {
              db.exec('ROLLBACK');
            } catch {
              // the original error is the one that matters
            }
          }
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

/** Statements kept prepared per connection; the store's SQL is a fixed set, far fewer than this. */
const MAX_PREPARED_STATEMENTS = 256;

/**
 * Prepares each SQL text once (preparing is most of a small query's cost: a poll of 20,000 products
 * spent 1.6 s in it). Bounded: past {@link MAX_PREPARED_STATEMENTS} texts the oldest is dropped, so
 * SQL built per call (IN lists of varying length) cannot grow memory without end.
 */
function preparedStatements(db: Database.Database): (sql: string) => Database.Statement {
  const cache = new Map<string, Database.Statement>();
  return (sql) => {
    let prepared = cache.get(sql);
    if (prepared) return prepared;
    prepared = db.prepare(sql);
    if (cache.size >= MAX_PREPARED_STATEMENTS) cache.delete(cache.keys().next().value as string);
    cache.set(sql, prepared);
    return prepared;
  };
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

/**
 * A PostgreSQL pool. Transactions take a dedicated connection. A connection that breaks (the
 * server restarts, the network drops) is reported to `events.onConnectionError` instead of
 * crashing the process with an unhandled 'error' event, and is discarded; the next query
 * connects again.
 */
export function postgresClient(connectionString: string, events: SqlClientEvents = {}): SqlClient {
  const pool = new pg.Pool({ connectionString, max: 5, types, connectionTimeoutMillis: 5_000 });
  const onError = (error: Error) => events.onConnectionError?.(error);
  // Idle pooled connections: pg-pool re-emits their errors on the pool.
  pool.on('error', onError);
  return {
    dialect: 'postgres',
    ...pgQueries((sql, params) => pool.query(sql, params)),
    ping: async () => {
      await pool.query('SELECT 1');
    },
    transaction: async (work) => {
      const connection = await pool.connect();
      // A checked-out connection emits its own 'error' (not the pool's) when the server goes away.
      connection.on('error', onError);
      let broken: Error | undefined;
      try {
        await connection.query('BEGIN');
        const tx: SqlClient = {
          dialect: 'postgres',
          ...pgQueries((sql, params) => connection.query(sql, params)),
          transaction: (inner) => inner(tx),
          ping: async () => {
            await connection.query('SELECT 1');
          },
          close: async () => undefined,
        };
        const result = await work(tx);
        await connection.query('COMMIT');
        return result;
      } catch (error) {
        await connection.query('ROLLBACK').catch((rollbackError: Error) => {
          broken = rollbackError;
        });
        throw error;
      } finally {
        connection.off('error', onError);
        // A connection whose ROLLBACK failed is dead or in an unknown state: destroy it.
        connection.release(broken);
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
export function openDatabase(url: string, events: SqlClientEvents = {}): SqlClient {
  if (url.startsWith('sqlite:')) return sqliteClient(url.slice('sqlite:'.length) || ':memory:');
  if (/^postgres(ql)?:\/\//.test(url)) return postgresClient(url, events);
  throw new Error(`DATABASE_URL must start with sqlite: or postgres:// (got ${url.split(':')[0]}:…)`);
}
