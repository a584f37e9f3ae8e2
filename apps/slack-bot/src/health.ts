import type { ServerResponse } from 'node:http';
import type { DatabaseHealth, OutboxStatus } from '@licensewatch/store';
import type { Logger } from 'pino';
import type { CatalogueCache } from './catalogue-cache.js';
import type { SlackSetupReport } from './delivery/slack/channel-check.js';
import { failureReason } from './licenses/reasons.js';

/** Alert delivery as /healthz shows it: outbox rows per status, and unusable alert channels. */
export interface DeliveryHealth {
  /** Outbox rows per status; `dead` are alerts given up on (see `/licenses alerts`). */
  outbox: Partial<Record<OutboxStatus, number>>;
  /** Alert channels the start-up check found unusable, each with the fix. */
  channelProblems: { channel: string; problem: string }[];
}

/** What `GET /healthz` answers. */
export interface HealthReport {
  /**
   * `ok`: fresh data, a working database and alerts flowing; `degraded`: LMPI failing (old data
   * served), the database unavailable (`/licenses` still answers from the cache; alert state is
   * not recorded), dead alerts, or an unusable alert channel; `down`: LMPI failing, no data.
   */
  status: 'ok' | 'degraded' | 'down';
  slackMode: 'local' | 'http' | 'socket';
  lmpi: {
    mode: 'sandbox' | 'remote';
    reachable: boolean;
    dataAgeSeconds: number | null;
    lastFetchAt: string | null;
    error: { kind: string; reason: string } | null;
  };
  /** The alert database (engine state, outbox, audit), as just pinged. */
  database: {
    status: DatabaseHealth['status'];
    dialect: DatabaseHealth['dialect'];
    since: string;
    /** Why it is down: the driver's code (`ECONNREFUSED`, `57P01`, `SQLITE_READONLY`, …). */
    error: { code: string; message: string } | null;
  };
  /** Alert delivery: outbox counts (dead letters) and alert channel problems. */
  delivery?: DeliveryHealth;
}

/**
 * Delivery health from the outbox counts and the start-up check.
 *
 * @example
 * ```ts
 * deliveryHealth(await store.outbox.counts(), setupReport)
 * ```
 */
export function deliveryHealth(
  outbox: Partial<Record<OutboxStatus, number>>,
  setup: SlackSetupReport | undefined,
): DeliveryHealth {
  return {
    outbox,
    channelProblems: (setup?.channels ?? []).flatMap((c) =>
      c.problem ? [{ channel: c.channel, problem: c.problem }] : [],
    ),
  };
}

/**
 * Builds the health report from the cache (refreshing it when its data is past its TTL) and a
 * database ping (`store.ping()`).
 */
export async function healthReport(
  cache: CatalogueCache,
  modes: { slack: HealthReport['slackMode']; lmpi: HealthReport['lmpi']['mode'] },
  now: () => number,
  database: () => Promise<DatabaseHealth>,
  delivery?: () => Promise<DeliveryHealth>,
): Promise<HealthReport> {
  const [view, db] = await Promise.all([cache.read(), database()]);
  const { snapshot, error } = view;
  const reason = error === undefined ? null : failureReason(error);
  const lmpiStatus = error === undefined ? 'ok' : snapshot ? 'degraded' : 'down';
  const alerts = await delivery?.().catch(() => undefined);
  const deliveryTrouble = !!alerts && ((alerts.outbox.dead ?? 0) > 0 || alerts.channelProblems.length > 0);
  return {
    status: lmpiStatus === 'ok' && (db.status === 'down' || deliveryTrouble) ? 'degraded' : lmpiStatus,
    slackMode: modes.slack,
    lmpi: {
      mode: modes.lmpi,
      reachable: error === undefined,
      dataAgeSeconds: snapshot ? Math.round((now() - snapshot.fetchedAt) / 1000) : null,
      lastFetchAt: snapshot ? new Date(snapshot.fetchedAt).toISOString() : null,
      error: reason ? { kind: reason.kind, reason: reason.reason } : null,
    },
    database: {
      status: db.status,
      dialect: db.dialect,
      since: new Date(db.since).toISOString(),
      error: db.error ?? null,
    },
    ...(alerts ? { delivery: alerts } : {}),
  };
}

function sendHealth(res: ServerResponse, report: HealthReport): void {
  res.writeHead(report.status === 'down' ? 503 : 200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(report));
}

/**
 * `GET /healthz` as a Bolt custom route: the detailed JSON view; 503 when LMPI has no data at all.
 *
 * @example
 * ```ts
 * new App({ customRoutes: [healthRoute(() => healthReport(...))] })
 * ```
 */
export function healthRoute(health: () => Promise<HealthReport>) {
  return {
    path: '/healthz',
    method: ['GET'],
    handler: (_req: unknown, res: ServerResponse) => {
      health().then(
        (report) => sendHealth(res, report),
        () => sendHealth(res, { status: 'down' } as HealthReport),
      );
    },
  };
}

/**
 * Logs database health changes: one error when it becomes unavailable, one info line when it
 * is back (the store calls this once per transition, not per failed query).
 *
 * @example
 * ```ts
 * openStore(url, { onHealthChange: databaseHealthLogger(logger) })
 * ```
 */
export function databaseHealthLogger(logger: Logger): (health: DatabaseHealth) => void {
  return (health) => {
    if (health.status === 'down')
      logger.error(
        { database: { dialect: health.dialect, code: health.error?.code, error: health.error?.message } },
        'database unavailable: /licenses answers from its cache; alert state is not recorded until it is back',
      );
    else logger.info({ database: { dialect: health.dialect } }, 'database available again');
  };
}
