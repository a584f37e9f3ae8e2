import { App, type BlockAction, type ButtonAction, HTTPReceiver } from '@slack/bolt';
import type { Logger } from 'pino';
import { ALERT_BUTTON, alertButtons } from './alerts/alert-buttons.js';
import type { AdminContext } from './alerts/commands.js';
import type { CatalogueCache } from './catalogue-cache.js';
import type { SlackSettings } from './env.js';
import { type HealthReport, healthRoute } from './health.js';
import { type LicensesCommandDeps, licensesCommand, licensesPage, PAGE_BUTTON } from './licenses/command.js';
import { boltLogger } from './logger.js';
import { guardRequests, malformedEventHandler } from './request-guard.js';
import { slackErrorLogger } from './slack-errors.js';
import { slackOnlyFetch } from './slack-hosts.js';

/** How the Bolt app reaches Slack: the configured settings (Socket Mode also names its health port). */
export type SlackConnection =
  | Extract<SlackSettings, { mode: 'http' }>
  | (Extract<SlackSettings, { mode: 'socket' }> & { healthPort: number });

/** What the Slack app needs; built by the runtime, or by tests with their own parts. */
export interface SlackAppDeps {
  connection: SlackConnection;
  cache: CatalogueCache;
  /** LMPI's transaction and customer summary reports (`/licenses usage`, `/licenses <code>`). */
  reports: LicensesCommandDeps['reports'];
  /** Levels and forecasts for `/licenses`, as of the last poll or rule change. */
  view: LicensesCommandDeps['view'];
  /** Alert controls: `/licenses threshold|mute|unmute` and the alert buttons. Absent: alerts off. */
  admin?: AdminContext;
  logger: Logger;
  health: () => Promise<HealthReport>;
  now?: () => number;
  /** The embedded LMPI sandbox serves the data: every reply says so. */
  demoData?: boolean;
}

const COMMAND = '/licenses';

/**
 * Bolt's respond() never reads the response body, so its connection cannot be reused and every
 * reply opens a new TCP/TLS connection to Slack. Reading the (tiny) body first lets undici keep
 * the connection alive.
 */
async function drainingFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const response = await fetch(input, init);
  const body = await response.arrayBuffer();
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}

/**
 * The Bolt app, wiring only: `/licenses` and its paging buttons (licenses/command.ts), the alert
 * buttons (alerts/alert-buttons.ts) and `GET /healthz` (health.ts). Start it with `app.start(port)` (HTTP) or `app.start()` (Socket Mode).
 *
 * @example
 * ```ts
 * const app = createSlackApp({ connection, cache, levelsFor: () => DEFAULT_LEVELS, logger, health })
 * await app.start(3000)
 * ```
 */
export function createSlackApp(deps: SlackAppDeps): App {
  const now = deps.now ?? Date.now;
  const { connection, cache, logger } = deps;
  const customRoutes = [healthRoute(deps.health)];
  const fetch = slackOnlyFetch(drainingFetch, connection.apiUrl, logger);
  const common = {
    token: connection.botToken,
    logger: boltLogger(logger),
    extendedErrorHandler: true,
    clientOptions: {
      fetch,
      // Retries and rate limits are the delivery pipeline's policy (attempts, backoff, Retry-After,
      // dead letters): the client reports a 429 instead of sleeping through it unseen.
      rejectRateLimitedCalls: true,
      retryConfig: { retries: 0 },
      ...(connection.apiUrl ? { slackApiUrl: connection.apiUrl } : {}),
    },
  };
  const app =
    connection.mode === 'socket'
      ? new App({
          ...common,
          customRoutes,
          socketMode: true,
          appToken: connection.appToken,
          ...(connection.signingSecret ? { signingSecret: connection.signingSecret } : {}),
          installerOptions: {
            port: connection.healthPort,
            ...(connection.apiUrl ? { clientOptions: { slackApiUrl: connection.apiUrl } } : {}),
          },
        })
      : new App({
          ...common,
          receiver: guardRequests(
            new HTTPReceiver({
              signingSecret: connection.signingSecret,
              customRoutes,
              logger: common.logger,
              processEventErrorHandler: malformedEventHandler(logger),
            }),
            { signingSecret: connection.signingSecret, logger, now },
          ),
        });

  const licenses = {
    cache,
    reports: deps.reports,
    view: deps.view,
    admin: deps.admin,
    logger,
    now,
    demoData: deps.demoData ?? false,
  };
  app.command(COMMAND, licensesCommand(licenses));
  app.action<BlockAction<ButtonAction>>(PAGE_BUTTON, licensesPage(licenses));
  app.action<BlockAction<ButtonAction>>(ALERT_BUTTON, alertButtons(deps.admin?.alertActions, now));

  app.error(slackErrorLogger(logger));
  return app;
}
