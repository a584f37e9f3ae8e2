import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { DEFAULT_THRESHOLDS, loadThresholdsFile, ruleResolver, type ThresholdConfig } from '@licensewatch/alerts';
import type { Sandbox } from '@licensewatch/lmpi-sandbox';
import type { SlackStandIn } from '@licensewatch/slack-stand-in';
import { type DatabaseHealth, openStore, type Store } from '@licensewatch/store';
import type { Logger } from 'pino';
import type { AlertPoller } from './alerts/poller.js';
import { createSlackApp } from './app.js';
import type { CatalogueCache } from './catalogue-cache.js';
import { alertCharts } from './charts/alert-chart.js';
import type { DeliveryDispatcher } from './delivery/dispatcher.js';
import { alertChannels, checkSlackSetup, type SlackSetupReport } from './delivery/slack/channel-check.js';
import { seedDemoHistory } from './demo/seed-history.js';
import { type BotConfig, LOCAL_SLACK } from './env.js';
import { levelsNote } from './licenses/levels-note.js';
import { type BotOps, createOps } from './ops/ops.js';
import { buildDelivery } from './runtime/delivery.js';
import { listen } from './runtime/http-surface.js';
import { startLmpiAccess } from './runtime/lmpi-access.js';
import { buildPoller } from './runtime/polling.js';
import { linkToSlack } from './runtime/slack-connection.js';
import { migrateOrDefer } from './schema-on-demand.js';
import { localSlackRedirect } from './slack-stand-in.js';

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

/** Where alerts go: the poller's rules once it runs (a button can arrive before the first poll). */
function routingPolicy(poller: AlertPoller | undefined, config: BotConfig, thresholds: ThresholdConfig) {
  return (
    poller?.routingPolicy() ?? {
      ruleFor: ruleResolver(thresholds),
      alertChannel: config.alerts.alertChannel,
      pagerduty: config.pagerduty !== undefined,
    }
  );
}

/**
 * The composition root: builds each subsystem from its own slice of the configuration and wires
 * them together. The LMPI side (runtime/lmpi-access.ts: client or embedded sandbox, catalogue
 * cache, reports), the Slack link (runtime/slack-connection.ts: workspace or local stand-in),
 * operations (ops/ops.ts: probes in health.ts, metrics in ops/metrics.ts, outage notices), the
 * Bolt app (app.ts) and its HTTP surface (runtime/http-surface.ts), delivery (runtime/delivery.ts:
 * notifiers and the fenced dispatcher) and polling (runtime/polling.ts). Configuration rules live
 * in env.ts alone.
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
  let ops: BotOps | undefined;
  let early: DatabaseHealth[] = []; // health changes before ops exists (a migration at start)
  const store = openStore(config.alerts.databaseUrl, {
    onHealthChange: (health) => (ops ? ops.databaseHealth(health) : early.push(health)),
    now,
  });
  const ensureSchema = await migrateOrDefer(store, logger);
  const holder = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  let poller: AlertPoller | undefined;
  const lmpi = await startLmpiAccess(
    {
      lmpi: config.lmpi,
      timeoutMs: config.lmpiTimeoutMs,
      cacheTtlMs: config.cacheTtlMs,
      catalogueSanity: thresholds.catalogueSanity,
    },
    {
      logger,
      now,
      observer: () => ops && { attempt: ops.metrics.lmpiAttempt, failed: ops.lmpiFailed },
    },
  );
  const { client, cache, reports } = lmpi;

  const { connection, standIn: slack } = await linkToSlack(
    { slack: config.slack, port: config.port },
    options.print ? { print: options.print } : {},
  );

  // Local mode on the embedded sandbox only: 30 days of demo history when there is none yet.
  const demoNote =
    config.slack.mode === 'local' && lmpi.sandbox
      ? await seedDemoHistory(store, lmpi.sandbox, now(), config.alerts.historyRetentionMs, logger).catch(
          (error: unknown) => {
            logger.warn({ err: (error as Error).message }, 'demo history not seeded (database unavailable)');
            return undefined;
          },
        )
      : undefined;
  let setup: SlackSetupReport | undefined;
  const activeOps = createOps({
    cache,
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
  for (const health of early) activeOps.databaseHealth(health);
  early = [];
  let dispatcher: DeliveryDispatcher | undefined;
  const licensesView = () => {
    const latest = poller?.latest;
    return {
      levelsFor: latest?.ruleFor ?? ruleResolver(thresholds),
      ...(latest ? { forecasts: latest.forecasts, trendFor: (id: string) => latest.trends.daily.get(id) } : {}),
      levelsNote: levelsNote(thresholds),
      ...(demoNote ? { demoNote } : {}),
    };
  };
  const app = createSlackApp({
    connection,
    cache,
    reports,
    logger,
    now,
    demoData: lmpi.sandbox !== undefined,
    view: licensesView,
    productDetail: {
      store,
      view: licensesView,
      logger,
      now,
      servicePlans: {
        apiVersion: client.apiVersion,
        list: lmpi.servicePlans,
      },
      runwayBasis: thresholds.runwayBasis,
    },
    home: { store, cache, view: licensesView, logger, now },
    admin: {
      store,
      cache,
      thresholds,
      adminUserIds: config.alerts.adminUserIds,
      now,
      rulesChanged: async () => poller?.reloadRules(),
      alertActions: {
        buttonsFor: config.alerts.alertActions ?? 'anyone',
        adminUserIds: config.alerts.adminUserIds,
        store,
        policy: () => routingPolicy(poller, config, thresholds),
        deliver: async () => dispatcher?.flush(),
      },
    },
    ops: activeOps.endpoints,
    observe: activeOps.observe,
    ...(slack ? { routes: [localSlackRedirect(slack.localUrl)] } : {}),
  });
  const demoData = lmpi.sandbox !== undefined;
  const chartFor = alertCharts({ store, cache, levelsFor: () => licensesView().levelsFor, now });
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
      demoData,
      chartFor,
      mentionsFor: (product) => routingPolicy(poller, config, thresholds).ruleFor(product).mention,
      lmpiHost: new URL(lmpi.baseUrl).host,
      onOutcome: activeOps.metrics.delivery,
    },
  );
  dispatcher = delivery.dispatcher;
  poller = buildPoller(
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
      ensureSchema,
    },
  );
  const activePoller = poller;

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
    cache,
    sandbox: lmpi.sandbox,
    slack,
    store,
    poller: activePoller,
    ops: activeOps,
    stop: async () => {
      activeOps.state.phase = 'stopping'; // /readyz 503 at once: the load balancer drains this replica
      await activePoller.stop();
      await delivery.slack.idle();
      await app.stop();
      await store.close();
      await slack?.close();
      await lmpi.close();
    },
  };
}
