import { App, type BlockAction, type ButtonAction, HTTPReceiver, SocketModeReceiver } from '@slack/bolt';
import type { Logger } from 'pino';
import { ALERT_BUTTON, alertButtons } from './alerts/alert-buttons.js';
import type { AdminContext } from './alerts/commands.js';
import { gateAcknowledgements } from './block-kit/gated-ack.js';
import { gatedSlackFetch } from './block-kit/gated-fetch.js';
import type { CatalogueCache } from './catalogue-cache.js';
import { SHARE_CHART_ACTION, shareChart } from './charts/share-chart.js';
import type { SlackSettings } from './env.js';
import { type AppHomeDeps, registerAppHome } from './home/app-home.js';
import { type RefusalReason, validateAtTheEdge } from './interactions/edge.js';
import {
  type LicensesCommandDeps,
  licensesCommand,
  licensesFastReply,
  licensesPage,
  PAGE_BUTTON,
} from './licenses/command.js';
import type { ProductDetailDeps } from './licenses/product-command.js';
import { ReplyCache } from './licenses/reply-cache.js';
import { boltLogger } from './logger.js';
import { type OpsEndpoints, opsRoutes, slashCommandTimer } from './ops/routes.js';
import { meteredSlackFetch, type SlackCallObserver } from './ops/slack-fetch.js';
import { answeredInGuard, guardRequests, malformedEventHandler } from './request-guard.js';
import { slackErrorLogger } from './slack-errors.js';
import { slackOnlyFetch } from './slack-hosts.js';
import { MethodPacer, pacedSlackFetch, SLACK_METHOD_BUDGETS } from './slack-pacing.js';

/** How the Bolt app reaches Slack: the configured settings (Socket Mode also names its health port). */
export type SlackConnection =
  | (Extract<SlackSettings, { mode: 'http' }> & {
      /** Local mode: no Slack, everything on loopback. */ local?: boolean;
    })
  | (Extract<SlackSettings, { mode: 'socket' }> & { healthPort: number });

/** What the Slack app needs; built by the runtime, or by tests with their own parts. */
export interface SlackAppDeps {
  connection: SlackConnection;
  cache: CatalogueCache;
  /** LMPI's transaction and customer summary reports (`/licenses usage`, `/licenses <code>`). */
  reports: LicensesCommandDeps['reports'];
  /** Levels and forecasts for `/licenses`, as of the last poll or rule change. */
  view: LicensesCommandDeps['view'];
  /** `/licenses <code>`: one product with its chart (uploaded to Slack). Absent: the list reply. */
  productDetail?: Omit<ProductDetailDeps, 'client'>;
  /** The App Home tab (app_home_opened → views.publish). Absent: no Home tab. */
  home?: AppHomeDeps;
  /** Alert controls: `/licenses threshold|mute|unmute` and the alert buttons. Absent: alerts off. */
  admin?: AdminContext;
  logger: Logger;
  /** `/livez`, `/readyz`, `/healthz` and `/metrics`. */
  ops: OpsEndpoints;
  /** More routes on the app's port (local mode: `/local`, the local Slack's web view). */
  routes?: ReturnType<typeof opsRoutes>;
  /** Metrics hooks: each Slack call's outcome, slash command handling time, Socket Mode connection. */
  observe?: {
    slackCall?: SlackCallObserver;
    command?: (seconds: number) => void;
    socket?: (up: boolean) => void;
    /** A request refused at the edge (unknown action id, malformed payload). */
    refused?: (reason: RefusalReason) => void;
  };
  now?: () => number;
  /** The embedded LMPI sandbox serves the data: every reply says so. */
  demoData?: boolean;
}

const COMMAND = '/licenses';

/**
 * The Bolt app, wiring only: `/licenses` and its paging buttons (licenses/command.ts), the alert
 * buttons (alerts/alert-buttons.ts) and the operations routes `/livez`, `/readyz`, `/healthz`, `/metrics`
 * (ops/routes.ts). Start it with `app.start(port)` (HTTP) or `app.start()` (Socket Mode).
 *
 * @example
 * ```ts
 * const app = createSlackApp({ connection, cache, view, logger, ops })
 * await app.start(3000)
 * ```
 */
export function createSlackApp(deps: SlackAppDeps): App {
  const now = deps.now ?? Date.now;
  const { connection, cache, logger } = deps;
  const customRoutes = [...opsRoutes(deps.ops), ...(deps.routes ?? [])];
  const productDetailDeps = deps.productDetail;
  // Replies answered in the acknowledgement, rendered and serialised once per generation and query.
  const replies = new ReplyCache();
  const licenses: LicensesCommandDeps = {
    cache,
    reports: deps.reports,
    view: deps.view,
    admin: deps.admin,
    logger,
    now,
    demoData: deps.demoData ?? false,
    productDetail: undefined,
    replies,
  };
  // Every Web API call and respond() passes the output gate (block-kit/gate.ts) on its way out.
  const fetch = slackOnlyFetch(
    gatedSlackFetch(pacedSlackFetch(meteredSlackFetch(deps.observe?.slackCall), new MethodPacer(SLACK_METHOD_BUDGETS))),
    connection.apiUrl,
    logger,
    'local' in connection && connection.local === true,
  );
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
          socketMode: true,
          receiver: socketReceiver(connection, customRoutes, logger, deps.observe?.socket),
          ...(connection.signingSecret ? { signingSecret: connection.signingSecret } : {}),
        })
      : new App({
          ...common,
          receiver: guardRequests(
            new HTTPReceiver({
              signingSecret: connection.signingSecret,
              // The guard verifies every request's signature, once.
              signatureVerification: false,
              customRoutes,
              logger: common.logger,
              processEventErrorHandler: malformedEventHandler(logger),
            }),
            {
              signingSecret: connection.signingSecret,
              logger,
              now,
              fastReply: answeredInGuard(licensesFastReply(licenses), logger, deps.observe?.command),
            },
          ),
        });

  gateAcknowledgements(app); // and so does every ack(): the other way a payload leaves
  // Checked before Bolt routes anything: input the bot never offered is answered at once, not by a listener.
  validateAtTheEdge(app, {
    logger,
    command: COMMAND,
    transport: connection.mode,
    ...(deps.observe?.refused ? { refused: deps.observe.refused } : {}),
  });

  const productDetail = productDetailDeps && { ...productDetailDeps, client: app.client };
  licenses.productDetail = productDetail;
  if (deps.observe?.command) app.use(slashCommandTimer(deps.observe.command));
  app.command(COMMAND, licensesCommand(licenses));
  app.action<BlockAction<ButtonAction>>(PAGE_BUTTON, licensesPage(licenses));
  app.action<BlockAction<ButtonAction>>(ALERT_BUTTON, alertButtons(deps.admin?.alertActions, now));
  if (productDetail) app.action<BlockAction<ButtonAction>>(SHARE_CHART_ACTION, shareChart({ ...productDetail, cache }));
  if (deps.home) registerAppHome(app, deps.home);

  app.error(slackErrorLogger(logger));
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
