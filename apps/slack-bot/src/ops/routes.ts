import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorMessage } from '@licensewatch/schema';
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { HealthReport, Readiness } from './health.js';

/** What the operations endpoints serve; built by the runtime. */
export interface OpsEndpoints {
  readiness: () => Promise<Readiness>;
  health: () => Promise<HealthReport>;
  /** Prometheus text exposition and its content type. */
  metrics: () => Promise<{ contentType: string; text: string }>;
  /** When set, `/metrics` needs `Authorization: Bearer <token>`. */
  metricsToken?: string | undefined;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/** Runs an async handler; a failure answers 503 with the reason (a probe must never hang). */
function guarded(work: (req: IncomingMessage, res: ServerResponse) => Promise<void>): Handler {
  return (req, res) => {
    work(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 503, { status: 'error', error: errorMessage(error) });
      else res.end();
    });
  };
}

const digest = (text: string) => createHash('sha256').update(text).digest();

function authorised(req: IncomingMessage, token: string | undefined): boolean {
  if (!token) return true;
  const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
  return timingSafeEqual(digest(given), digest(token)); // equal-length digests: no length leak
}

/**
 * Bolt custom routes for operations, on the app's port (HTTP mode) or its health port (Socket
 * Mode): `GET /livez` (200 while the process serves, no I/O), `GET /readyz` (200 or 503 naming each
 * failing check), `GET /healthz` (the detailed JSON view, 200) and `GET /metrics` (Prometheus).
 *
 * @example
 * ```ts
 * new App({ ...options, customRoutes: [...opsRoutes(endpoints)] })
 * ```
 */
export function opsRoutes(ops: OpsEndpoints): { path: string; method: string[]; handler: Handler }[] {
  return [
    { path: '/livez', method: ['GET'], handler: (_req, res) => sendJson(res, 200, { status: 'ok' }) },
    {
      path: '/readyz',
      method: ['GET'],
      handler: guarded(async (_req, res) => {
        const result = await ops.readiness();
        sendJson(res, result.ready ? 200 : 503, { status: result.ready ? 'ready' : 'not ready', ...result });
      }),
    },
    {
      path: '/healthz',
      method: ['GET'],
      handler: guarded(async (_req, res) => sendJson(res, 200, await ops.health())),
    },
    {
      path: '/metrics',
      method: ['GET'],
      handler: guarded(async (req, res) => {
        if (!authorised(req, ops.metricsToken)) {
          res.writeHead(401, { 'www-authenticate': 'Bearer realm="metrics"', 'content-type': 'text/plain' });
          res.end('METRICS_TOKEN required: send Authorization: Bearer <token>\n');
          return;
        }
        const { contentType, text } = await ops.metrics();
        res.writeHead(200, { 'content-type': contentType });
        res.end(text);
      }),
    },
  ];
}

/**
 * Bolt global middleware that times slash command handling (signature checked and body parsed →
 * the handler done, reply included) and reports it in seconds.
 *
 * @example
 * ```ts
 * app.use(slashCommandTimer((seconds) => metrics.command(seconds)))
 * ```
 */
export function slashCommandTimer(observe: (seconds: number) => void): Middleware<AnyMiddlewareArgs> {
  return async ({ body, next }) => {
    if (!('command' in body)) return next();
    const started = performance.now();
    try {
      await next();
    } finally {
      observe((performance.now() - started) / 1000);
    }
  };
}
