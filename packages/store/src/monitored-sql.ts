import type { HealthTracker } from './database-health.js';
import type { SqlClient } from './sql.js';

/**
 * The client with every top-level operation reported to `health`: outage errors mark the database
 * down, successes mark it up again. Statements inside a transaction report through it.
 */
export function monitored(db: SqlClient, health: HealthTracker): SqlClient {
  const watch = async <T>(kind: 'read' | 'write', operation: () => Promise<T>): Promise<T> => {
    try {
      const result = await operation();
      health.succeeded(kind);
      return result;
    } catch (error) {
      health.failed(error);
      throw error;
    }
  };
  return {
    dialect: db.dialect,
    all: (sql, params) => watch('read', () => db.all(sql, params)),
    run: (sql, params) => watch('write', () => db.run(sql, params)),
    transaction: (work) => watch('write', () => db.transaction(work)),
    ping: () => watch('read', () => db.ping()),
    close: () => db.close(),
  };
}
