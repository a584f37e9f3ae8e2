import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { DEFAULT_THRESHOLDS, loadThresholdsFile, ruleResolver } from '@licensewatch/alerts';
import type { Sandbox } from '@licensewatch/lmpi-sandbox';
import type { SlackStandIn } from '@licensewatch/slack-stand-in';
import type { Store } from '@licensewatch/store';
import type { Logger } from 'pino';
import type { AlertPoller } from './alerts/poller.js';
import type { CatalogueCache } from './catalogue-cache.js';
import { alertCharts } from './charts/alert-chart.js';
import type { DeliveryDispatcher } from './delivery/dispatcher.js';
import { alertChannels, checkSlackSetup, type SlackSetupReport } from './delivery/slack/channel-check.js';
import { type BotConfig, LOCAL_SLACK } from './env.js';
import { type BotOps, createOps } from './ops/ops.js';
import { openBotStore } from './runtime/bot-store.js';
import { buildDelivery } from './runtime/delivery.js';
import { listen } from './runtime/http-surface.js';
import { startLmpiAccess } from './runtime/lmpi-access.js';
import { seedLocalDemo } from './runtime/local-demo.js';
import { buildPoller } from './runtime/polling.js';
import { buildSlackApp, routingPolicy, type SlackAppSlice } from './runtime/slack-app.js';
import { linkToSlack } from './runtime/slack-connection.js';

export interface StartBotOptions {
  logger: Logger;
  /** Where local mode prints Slack messages. Default: stdout. */
  print?: (text: string) => void;
  now?: () => number;
  /** Interface to listen on in HTTP mode. Default: all (Slack must reach it); local mode: 127.0.0.1. */
  host?: string;
}

/** A running bot and the embedded parts it started. */
export interface BotRuntime {
  /** Where Slack (or the `slash` script) sends requests: `http://host:port`. */
  url: string;
  port: number;
  cache: CatalogueCache;
  /** The embedded LMPI sandbox, when no LMPI_* settings were given. */
  sandbox: Sandbox | undefined;
  /** The Slack stand-in, in local mode. */
  slack: SlackStandIn | undefined;
  store: Store;
  poller: AlertPoller;
  /** Probe state, metrics and the operations endpoints. */
  ops: BotOps;
  stop(): Promise<void>;
}

/**
 * The composition root: builds each subsystem from its own slice of the configuration and wires
 * them together, nothing else. The store (runtime/bot-store.ts: opened, migrated, its health held
 * until operations exist), the LMPI side (runtime/lmpi-access.ts: client or embedded sandbox,
 * catalogue cache, reports), the Slack link (runtime/slack-connection.ts: workspace or local
 * stand-in), the local demo (runtime/local-demo.ts), operations (ops/ops.ts: probes in health.ts,
 * metrics in ops/metrics.ts, outage notices), the Bolt app (runtime/slack-app.ts over app.ts) and
 * its HTTP surface (runtime/http-surface.ts), delivery (runtime/delivery.ts: notifiers and the
 * fenced dispatcher) and polling (runtime/polling.ts). Configuration rules live in env.ts alone.
 *
 * @example
 * ```ts
 * const bot = await startBot(readBotConfig(), { logger })
 * process.once('SIGTERM', () => bot.stop())
 * ```
 */
export async function startBot(config: BotConfig, options: StartBotOptions): Promise<BotRuntime> {
  const { logger } = options;
  const now = options.now ?? Date.now;
  const thresholds = config.alerts.thresholdsFile
    ? loadThresholdsFile(config.alerts.thresholdsFile)
    : DEFAULT_THRESHOLDS;
  const routing: SlackAppSlice = {
    adminUserIds: config.alerts.adminUserIds,
    alertActions: config.alerts.alertActions,
    alertChannel: config.alerts.alertChannel,
    pagerduty: config.pagerduty !== undefined,
    thresholds,
  };
  const db = await openBotStore({ databaseUrl: config.alerts.databaseUrl }, { logger, now });
  const { store } = db;
  const holder = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  let ops: BotOps | undefined;
  let poller: AlertPoller | undefined;
  let dispatcher: DeliveryDispatcher | undefined;
  let setup: SlackSetupReport | undefined;
  const lmpi = await startLmpiAccess(
    {
      lmpi: config.lmpi,
      timeoutMs: config.lmpiTimeoutMs,
      cacheTtlMs: config.cacheTtlMs,
      catalogueSanity: thresholds.catalogueSanity,
    },
    { logger, now, observer: () => ops && { attempt: ops.metrics.lmpiAttempt, failed: ops.lmpiFailed } },
  );
  const { connection, standIn: slack } = await linkToSlack(
    { slack: config.slack, port: config.port },
    options.print ? { print: options.print } : {},
  );
  const demoNote = await seedLocalDemo(
    { slackMode: config.slack.mode, historyRetentionMs: config.alerts.historyRetentionMs },
    { lmpi, store, now, logger },
  );
  const activeOps = createOps({
    cache: lmpi.cache,
    store,
    modes: { slack: config.slack.mode, lmpi: config.lmpi.mode },
    pollIntervalMs: config.alerts.pollIntervalMs,
    metricsToken: config.metricsToken,
    levelsFor: () => poller?.latest.ruleFor ?? ruleResolver(thresholds),
    now,
    alertChannelProblems: () =>
      (setup?.channels ?? []).flatMap((c) => (c.problem ? [{ channel: c.channel, problem: c.problem }] : [])),
    logger,
    notifiers: config.pagerduty ? ['slack', 'pagerduty'] : ['slack'],
  });
  ops = activeOps;
  db.reportHealthTo(activeOps);
  const { app, licensesView } = buildSlackApp(routing, {
    connection,
    lmpi,
    store,
    ops: activeOps,
    logger,
    now,
    demoNote,
    localSlackUrl: slack?.localUrl,
    poller: () => poller,
    dispatcher: () => dispatcher,
  });
  const delivery = buildDelivery(
    {
      pagerduty: config.pagerduty,
      claimTimeoutMs: config.alerts.claimTimeoutMs,
      maxAttempts: config.alerts.maxAttempts,
    },
    {
      store,
      slackClient: app.client,
      logger,
      holder,
      now,
      demoData: lmpi.sandbox !== undefined,
      chartFor: alertCharts({ store, cache: lmpi.cache, levelsFor: () => licensesView().levelsFor, now }),
      mentionsFor: (product) => routingPolicy(poller, routing).ruleFor(product).mention,
      lmpiHost: new URL(lmpi.baseUrl).host,
      onOutcome: activeOps.metrics.delivery,
    },
  );
  dispatcher = delivery.dispatcher;
  const activePoller = buildPoller(
    {
      pollIntervalMs: config.alerts.pollIntervalMs,
      alertChannel: config.alerts.alertChannel,
      historyRetentionMs: config.alerts.historyRetentionMs,
      attributionBudgetMs: config.alerts.attributionBudgetMs,
    },
    {
      store,
      lmpi,
      dispatcher,
      thresholds,
      pagerduty: delivery.pagerduty,
      logger,
      holder,
      now,
      onPoll: activeOps.polled,
      ensureSchema: db.ensureSchema,
    },
  );
  poller = activePoller;
  // In the order they must stop: drain (readiness 503 at once), then each part after what uses it.
  const stop = async () => {
    activeOps.state.phase = 'stopping';
    await activePoller.stop();
    await delivery.slack.idle();
    await app.stop();
    await store.close();
    await slack?.close();
    await lmpi.close();
  };

  const { url, port } = await listen(app, connection, { port: config.port, host: options.host });
  activeOps.state.phase = 'listening';
  // The local Slack's web view sends commands and presses here, signed as Slack signs them.
  slack?.connectApp({ requestUrl: `${url}/slack/events`, signingSecret: LOCAL_SLACK.signingSecret });
  try {
    setup = await checkSlackSetup(app.client, alertChannels(config.alerts.alertChannel, thresholds), logger);
  } catch (error) {
    await app.stop().catch(() => undefined);
    await store.close();
    await lmpi.close();
    await slack?.close();
    throw error;
  }
  // After the set-up check: it joined the alert channel, where the notices go.
  const noticeChannel = config.alerts.alertChannel;
  activeOps.announceWith(async (text) => {
    if (noticeChannel) await app.client.chat.postMessage({ channel: noticeChannel, text });
  }, logger);
  activePoller.start(); // its first poll, at once, also warms the /licenses cache
  activeOps.state.phase = 'serving';
  if (!config.alerts.alertChannel)
    logger.warn('ALERT_CHANNEL is not set: alerts go only to channels named in threshold rules');

  return {
    url,
    port,
    cache: lmpi.cache,
    sandbox: lmpi.sandbox,
    slack,
    store,
    poller: activePoller,
    ops: activeOps,
    stop,
  };
}
