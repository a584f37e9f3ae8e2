import type { ServerResponse } from 'node:http';
import type { CatalogueCache } from './catalogue-cache.js';
import { failureReason } from './licenses/reasons.js';

/** What `GET /healthz` answers. */
export interface HealthReport {
  /** `ok`: fresh data; `degraded`: LMPI failing, old data served; `down`: LMPI failing, no data. */
  status: 'ok' | 'degraded' | 'down';
  slackMode: 'local' | 'http' | 'socket';
  lmpi: {
    mode: 'sandbox' | 'remote';
    reachable: boolean;
    dataAgeSeconds: number | null;
    lastFetchAt: string | null;
    error: { kind: string; reason: string } | null;
  };
}

/** Builds the health report from the cache (refreshing it when its data is past its TTL). */
export async function healthReport(
  cache: CatalogueCache,
  modes: { slack: HealthReport['slackMode']; lmpi: HealthReport['lmpi']['mode'] },
  now: () => number,
): Promise<HealthReport> {
  const view = await cache.read();
  const { snapshot, error } = view;
  const reason = error === undefined ? null : failureReason(error);
  return {
    status: error === undefined ? 'ok' : snapshot ? 'degraded' : 'down',
    slackMode: modes.slack,
    lmpi: {
      mode: modes.lmpi,
      reachable: error === undefined,
      dataAgeSeconds: snapshot ? Math.round((now() - snapshot.fetchedAt) / 1000) : null,
      lastFetchAt: snapshot ? new Date(snapshot.fetchedAt).toISOString() : null,
      error: reason ? { kind: reason.kind, reason: reason.reason } : null,
    },
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
