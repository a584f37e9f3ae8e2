import type { ProductProfile } from '@licensewatch/schema';
import { App, type BlockAction, type ButtonAction, SocketModeReceiver } from '@slack/bolt';
import type { Logger } from 'pino';
import { type AdminContext, parseAdminCommand, runAdminCommand } from './alerts/commands.js';
import type { CatalogueCache } from './catalogue-cache.js';
import { type AlertAction, handleAlertAction, SNOOZES, type SnoozeChoice } from './delivery/alert-actions.js';
import type { SlackSettings } from './env.js';
import { helpMessage } from './licenses/help.js';
import { buildLicensesReply, readPageRequest } from './licenses/message.js';
import { parseLicensesQuery } from './licenses/query.js';
import type { LevelsFor } from './licenses/status.js';
import { boltLogger } from './logger.js';
import { type OpsEndpoints, opsRoutes, slashCommandTimer } from './ops/routes.js';
import { meteredSlackFetch, type SlackCallObserver } from './ops/slack-fetch.js';

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
  /** `/livez`, `/readyz`, `/healthz` and `/metrics`. */
  ops: OpsEndpoints;
  /** Metrics hooks: each Slack call's outcome, slash command handling time, Socket Mode connection. */
  observe?: { slackCall?: SlackCallObserver; command?: (seconds: number) => void; socket?: (up: boolean) => void };
  now?: () => number;
}

const COMMAND = '/licenses';

const isSnoozeChoice = (value: string): value is SnoozeChoice => Object.hasOwn(SNOOZES, value);

/**
 * The Bolt app: `/licenses` (acknowledged at once, answered through `respond()`), paging buttons,
 * and the operations routes (`/livez`, `/readyz`, `/healthz`, `/metrics`). Start it with `app.start(port)` (HTTP) or `app.start()` (Socket Mode).
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
  const customRoutes = opsRoutes(deps.ops);
  const common = {
    token: connection.botToken,
    logger: boltLogger(logger),
    clientOptions: {
      fetch: meteredSlackFetch(deps.observe?.slackCall),
      ...(connection.apiUrl ? { slackApiUrl: connection.apiUrl } : {}),
    },
  };
  const app =
    connection.mode === 'socket'
      ? new App({
          ...common,
          socketMode: true,
          receiver: socketReceiver(connection, customRoutes, logger, deps.observe?.socket),
          ...(connection.signingSecret ? { signingSecret: connection.signingSecret } : {}),
        })
      : new App({ ...common, customRoutes, signingSecret: connection.signingSecret });
  if (deps.observe?.command) app.use(slashCommandTimer(deps.observe.command));

  const reply = async (text: string, page: number) => {
    const query = parseLicensesQuery(text);
    if (query.kind === 'help') return helpMessage(query.unknown);
    return buildLicensesReply({ query, view: await cache.read(), now: now(), page, ...deps.view() });
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
        ? await runAdminCommand(adminCommand, command.user_id, deps.admin)
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

/** The Socket Mode receiver, reporting its connection state (readiness needs it). */
function socketReceiver(
  connection: Extract<SlackConnection, { mode: 'socket' }>,
  customRoutes: ReturnType<typeof opsRoutes>,
  logger: Logger,
  onState: ((up: boolean) => void) | undefined,
): SocketModeReceiver {
  const receiver = new SocketModeReceiver({
    appToken: connection.appToken,
    logger: boltLogger(logger),
    customRoutes,
    installerOptions: {
      port: connection.healthPort,
      ...(connection.apiUrl ? { clientOptions: { slackApiUrl: connection.apiUrl } } : {}),
    },
  });
  if (onState) {
    receiver.client.on('connected', () => onState(true));
    for (const state of ['disconnected', 'reconnecting', 'disconnecting'])
      receiver.client.on(state, () => onState(false));
  }
  return receiver;
}
