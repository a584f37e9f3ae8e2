import type { ServerResponse } from 'node:http';
import type { ProductProfile } from '@licensewatch/schema';
import { App, type BlockAction, type ButtonAction } from '@slack/bolt';
import type { Logger } from 'pino';
import { type AdminContext, parseAdminCommand, runAdminCommand } from './alerts/commands.js';
import type { CatalogueCache } from './catalogue-cache.js';
import { type AlertAction, handleAlertAction, SNOOZES, type SnoozeChoice } from './delivery/alert-actions.js';
import type { SlackSettings } from './env.js';
import type { HealthReport } from './health.js';
import { withDemoNote } from './licenses/demo-note.js';
import { helpMessage } from './licenses/help.js';
import { buildLicensesReply, readPageRequest } from './licenses/message.js';
import { parseLicensesQuery } from './licenses/query.js';
import type { LevelsFor } from './licenses/status.js';
import { boltLogger } from './logger.js';

/** How the Bolt app reaches Slack: the configured settings (Socket Mode also names its health port). */
export type SlackConnection =
  | Extract<SlackSettings, { mode: 'http' }>
  | (Extract<SlackSettings, { mode: 'socket' }> & { healthPort: number });

/** What the Slack app needs; built by the runtime, or by tests with their own parts. */
export interface SlackAppDeps {
  connection: SlackConnection;
  cache: CatalogueCache;
  /** Levels and forecasts for `/licenses`, as of the last poll or rule change. */
  view: () => {
    levelsFor: LevelsFor;
    forecastFor?: (product: ProductProfile) => string | undefined;
    levelsNote?: string;
  };
  /** Alert controls: `/licenses threshold|mute|unmute` and the alert buttons. Absent: alerts off. */
  admin?: AdminContext;
  logger: Logger;
  health: () => Promise<HealthReport>;
  now?: () => number;
  /** The embedded LMPI sandbox serves the data: every reply says so. */
  demoData?: boolean;
}

const COMMAND = '/licenses';

const isSnoozeChoice = (value: string): value is SnoozeChoice => Object.hasOwn(SNOOZES, value);

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

function sendHealth(res: ServerResponse, report: HealthReport): void {
  res.writeHead(report.status === 'down' ? 503 : 200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(report));
}

/**
 * The Bolt app: `/licenses` (acknowledged at once, answered through `respond()`), paging buttons,
 * and `GET /healthz`. Start it with `app.start(port)` (HTTP) or `app.start()` (Socket Mode).
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
  const customRoutes = [
    {
      path: '/healthz',
      method: ['GET'],
      handler: (_req: unknown, res: ServerResponse) => {
        deps.health().then(
          (report) => sendHealth(res, report),
          () => sendHealth(res, { status: 'down' } as HealthReport),
        );
      },
    },
  ];
  const common = {
    token: connection.botToken,
    logger: boltLogger(logger),
    customRoutes,
    clientOptions: {
      fetch: drainingFetch,
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
          socketMode: true,
          appToken: connection.appToken,
          ...(connection.signingSecret ? { signingSecret: connection.signingSecret } : {}),
          installerOptions: {
            port: connection.healthPort,
            ...(connection.apiUrl ? { clientOptions: { slackApiUrl: connection.apiUrl } } : {}),
          },
        })
      : new App({ ...common, signingSecret: connection.signingSecret });

  const demo = deps.demoData ?? false;
  const reply = async (text: string, page: number) => {
    const query = parseLicensesQuery(text);
    if (query.kind === 'help') return withDemoNote(helpMessage(query.unknown), demo);
    return withDemoNote(
      await buildLicensesReply({ query, view: await cache.read(), now: now(), page, ...deps.view() }),
      demo,
    );
  };

  app.command(COMMAND, async ({ command, ack, respond }) => {
    const started = now();
    const text = command.text ?? '';
    const adminCommand = parseAdminCommand(text);
    if (!adminCommand && (parseLicensesQuery(text).kind === 'help' || cache.fresh())) {
      // Everything needed is in memory: the answer rides in the acknowledgement itself (one
      // exchange with Slack instead of two). Anything that must wait for LMPI or the database is
      // acknowledged first and answered through respond() below.
      const message = await reply(text, 0);
      await ack(message);
      logger.info(
        { user: command.user_id, channel: command.channel_id, ms: now() - started, reply: message.text, via: 'ack' },
        '/licenses answered',
      );
      return;
    }
    await ack();
    const message = adminCommand
      ? deps.admin
        ? withDemoNote(await runAdminCommand(adminCommand, command.user_id, deps.admin), demo)
        : { response_type: 'ephemeral' as const, text: 'Alerts are not enabled on this licensewatch.', blocks: [] }
      : await reply(text, 0);
    await respond(message);
    logger.info(
      { user: command.user_id, channel: command.channel_id, ms: now() - started, reply: message.text },
      '/licenses answered',
    );
  });

  app.action<BlockAction<ButtonAction>>(/^licenses_page_/, async ({ action, ack, respond }) => {
    await ack();
    const request = readPageRequest(action.value);
    const message = await reply(request.q, request.p);
    await respond({ ...message, replace_original: true });
  });

  app.action<BlockAction<ButtonAction>>(
    /^alert_(snooze_1h|snooze_1d|snooze_1w|ack):/,
    async ({ action, ack, body, respond }) => {
      await ack();
      const admin = deps.admin;
      if (!admin) return;
      const kind = action.action_id.split(':')[0] ?? '';
      const choice = kind.replace('alert_snooze_', '');
      const alertAction: AlertAction | undefined =
        kind === 'alert_ack'
          ? { kind: 'acknowledge' }
          : isSnoozeChoice(choice)
            ? { kind: 'snooze', choice }
            : undefined;
      if (!alertAction) return;
      // The state change, its audit and the message updates (Slack edit, PagerDuty acknowledge) are
      // one transaction; the updates are delivered through the outbox like every alert.
      const updated = await handleAlertAction(admin.alertActions, action.value ?? '', alertAction, body.user.id, now());
      if (!updated) {
        await respond({ response_type: 'ephemeral', replace_original: false, text: 'This alert is no longer active.' });
      }
    },
  );

  app.error(async (error) => {
    logger.error({ err: { message: error.message, code: (error as { code?: string }).code } }, 'slack handler failed');
  });
  return app;
}
