import type { SqlClient } from './sql.js';

// Each migration is written once; {{time}} and {{id}} become the dialect's types.
const MIGRATIONS: { version: number; statements: string[] }[] = [
  {
    version: 1,
    statements: [
      'CREATE TABLE product_state (product_id TEXT PRIMARY KEY, state TEXT NOT NULL, updated_at {{time}} NOT NULL)',
      'CREATE TABLE engine_meta (id INTEGER PRIMARY KEY CHECK (id = 1), state TEXT NOT NULL)',
      'CREATE TABLE availability_history (product_id TEXT NOT NULL, at {{time}} NOT NULL, available INTEGER NOT NULL, PRIMARY KEY (product_id, at))',
      'CREATE TABLE threshold_override (match TEXT PRIMARY KEY, warning INTEGER NOT NULL, critical INTEGER NOT NULL, updated_by TEXT NOT NULL, updated_at {{time}} NOT NULL)',
      'CREATE TABLE audit_log (id {{id}}, at {{time}} NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL, old_value TEXT, new_value TEXT)',
      `CREATE TABLE outbox (key TEXT PRIMARY KEY, grp TEXT NOT NULL, channel TEXT NOT NULL, event TEXT NOT NULL, created_at {{time}} NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending', claimed_by TEXT, claimed_at {{time}}, posted_ts TEXT, attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT)`,
      'CREATE INDEX outbox_by_status ON outbox (status, created_at)',
      'CREATE TABLE posted_message (grp TEXT PRIMARY KEY, channel TEXT NOT NULL, ts TEXT NOT NULL, payload TEXT NOT NULL)',
      'CREATE TABLE alert_message (product_id TEXT PRIMARY KEY, grp TEXT NOT NULL)',
      'CREATE TABLE lease (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at {{time}} NOT NULL)',
    ],
  },
  {
    // Typed outbox: a `kind` column and a destination per row (one row per notifier, so one failing
    // destination never blocks another) instead of a kind encoded as a `grp` prefix and a Slack
    // channel; a retry time; and delivered references as opaque per-notifier JSON instead of Slack
    // `ts` values and Block Kit payloads. Every version-1 row was a Slack row: its channel and ts
    // become the Slack notifier's reference. Old Block Kit payloads cannot become neutral content, so
    // alerts posted before the upgrade still get thread replies but no edit.
    version: 2,
    statements: [
      "ALTER TABLE outbox ADD COLUMN kind TEXT NOT NULL DEFAULT ''",
      "ALTER TABLE outbox ADD COLUMN destination TEXT NOT NULL DEFAULT ''",
      'ALTER TABLE outbox ADD COLUMN next_attempt_at {{time}} NOT NULL DEFAULT 0',
      `UPDATE outbox SET
         kind = CASE WHEN grp LIKE 'resolve:%' THEN 'resolution' WHEN grp LIKE 'lmpi:%' THEN 'lmpi-notice' ELSE 'product-alerts' END,
         destination = 'slack:' || channel,
         posted_ts = CASE WHEN posted_ts IS NULL THEN NULL ELSE '{"channel":"' || channel || '","ts":"' || posted_ts || '"}' END`,
      'ALTER TABLE outbox RENAME COLUMN posted_ts TO ref',
      'ALTER TABLE outbox RENAME COLUMN event TO body',
      'ALTER TABLE outbox DROP COLUMN channel',
      'CREATE TABLE posted_delivery (destination TEXT NOT NULL, grp TEXT NOT NULL, ref TEXT NOT NULL, content TEXT, PRIMARY KEY (destination, grp))',
      'CREATE TABLE posted_product (notifier TEXT NOT NULL, product_id TEXT NOT NULL, destination TEXT NOT NULL, grp TEXT NOT NULL, PRIMARY KEY (notifier, product_id))',
      `INSERT INTO posted_delivery (destination, grp, ref, content)
         SELECT 'slack:' || channel, grp, '{"channel":"' || channel || '","ts":"' || ts || '"}', NULL FROM posted_message`,
      `INSERT INTO posted_product (notifier, product_id, destination, grp)
         SELECT 'slack', a.product_id, 'slack:' || m.channel, a.grp FROM alert_message a JOIN posted_message m ON m.grp = a.grp`,
      'DROP TABLE alert_message',
      'DROP TABLE posted_message',
    ],
  },
  {
    // Dead letters: a row refused for good or out of attempts is `dead` (an admin can re-queue it),
    // no longer `failed`; rows given up on before are dead letters too.
    version: 3,
    statements: ["UPDATE outbox SET status = 'dead' WHERE status = 'failed'"],
  },
  {
    // One word per level: the level between ok and critical is `low`, no longer `warning`. Stored
    // JSON (engine state, outbox bodies, posted alert groups) carries it only as a string value
    // (`"level":"warning"`, `"peak":"warning"`); JSON escapes every quote inside a string, so
    // `:"warning"` can only be such a value. Override levels and audit entries carry it as a key.
    version: 4,
    statements: [
      'ALTER TABLE threshold_override RENAME COLUMN warning TO low',
      `UPDATE product_state SET state = REPLACE(state, ':"warning"', ':"low"') WHERE state LIKE '%:"warning"%'`,
      `UPDATE outbox SET body = REPLACE(body, ':"warning"', ':"low"') WHERE body LIKE '%:"warning"%'`,
      `UPDATE posted_delivery SET content = REPLACE(content, ':"warning"', ':"low"') WHERE content LIKE '%:"warning"%'`,
      `UPDATE audit_log SET old_value = REPLACE(old_value, '{"warning":', '{"low":'), new_value = REPLACE(new_value, '{"warning":', '{"low":')
         WHERE action IN ('threshold.set', 'threshold.clear')`,
    ],
  },
  {
    // History by time: every poll prunes readings older than the retention and reads those newer
    // than its last read; without this both scanned the whole table (1,000 products polled every
    // 5 minutes for 30 days: 8.6 M rows).
    version: 5,
    statements: ['CREATE INDEX availability_history_by_at ON availability_history (at)'],
  },
  {
    // Rows waiting for a retry, by destination: a claim skips every row queued behind one of them,
    // and asked that of each pending row by scanning all pending rows queued before it. The first
    // poll of a 20,000-product catalogue queues ~5,000 alerts: claiming them took 1.8 s on SQLite
    // (5.7 s on a slower day; synchronous, in the bot's event loop: `/licenses` waited), 42-45 ms
    // with this index and the batched claim (quiet machine). Partial: only pending rows are ever
    // looked up, and posted rows (most of the table) cost it nothing.
    version: 6,
    statements: ["CREATE INDEX outbox_waiting ON outbox (destination, next_attempt_at) WHERE status = 'pending'"],
  },
];

const TYPES = {
  sqlite: { time: 'INTEGER', id: 'INTEGER PRIMARY KEY AUTOINCREMENT' },
  postgres: { time: 'BIGINT', id: 'BIGSERIAL PRIMARY KEY' },
};

/**
 * Applies pending migrations (up to `target`, default all) in one transaction; safe when several
 * replicas start together. Resolves with how many were applied.
 */
export async function migrate(sql: SqlClient, target = Number.POSITIVE_INFINITY): Promise<number> {
  return sql.transaction(async (tx) => {
    if (tx.dialect === 'postgres') await tx.all('SELECT pg_advisory_xact_lock(7411001)');
    await tx.run(
      `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at ${TYPES[tx.dialect].time} NOT NULL)`,
    );
    const done = new Set(
      (await tx.all<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => r.version),
    );
    let applied = 0;
    for (const migration of MIGRATIONS) {
      if (done.has(migration.version) || migration.version > target) continue;
      for (const statement of migration.statements) {
        await tx.run(statement.replace(/\{\{(time|id)\}\}/g, (_m, key: 'time' | 'id') => TYPES[tx.dialect][key]));
      }
      await tx.run('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)', [
        migration.version,
        Date.now(),
      ]);
      applied += 1;
    }
    return applied;
  });
}
