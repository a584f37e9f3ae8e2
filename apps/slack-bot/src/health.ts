import type { ServerResponse } from 'node:http';
import type { OutboxStatus } from '@licensewatch/store';
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
   * `ok`: fresh data and alerts flowing; `degraded`: LMPI failing with old data served, or dead
   * alerts, or an unusable alert channel; `down`: LMPI failing, no data.
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
  /** Absent when alerts are off. */
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

/** Builds the health report from the cache (refreshing it when its data is past its TTL). */
export async function healthReport(
  cache: CatalogueCache,
  modes: { slack: HealthReport['slackMode']; lmpi: HealthReport['lmpi']['mode'] },
  now: () => number,
  delivery?: () => Promise<DeliveryHealth>,
): Promise<HealthReport> {
  const view = await cache.read();
  const { snapshot, error } = view;
  const reason = error === undefined ? null : failureReason(error);
  const alerts = await delivery?.();
  const deliveryTrouble = !!alerts && ((alerts.outbox.dead ?? 0) > 0 || alerts.channelProblems.length > 0);
  return {
    status: error === undefined ? (deliveryTrouble ? 'degraded' : 'ok') : snapshot ? 'degraded' : 'down',
    slackMode: modes.slack,
    lmpi: {
      mode: modes.lmpi,
      reachable: error === undefined,
      dataAgeSeconds: snapshot ? Math.round((now() - snapshot.fetchedAt) / 1000) : null,
      lastFetchAt: snapshot ? new Date(snapshot.fetchedAt).toISOString() : null,
      error: reason ? { kind: reason.kind, reason: reason.reason } : null,
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
