import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { DEFAULT_THRESHOLDS, loadThresholdsFile, ruleResolver, type ThresholdConfig } from '@licensewatch/alerts';
import { createLmpiClient, importEmbeddedSandbox, isLmpiError, lmpiFailureKind } from '@licensewatch/client';
import type { Sandbox } from '@licensewatch/lmpi-sandbox';
import { openStore, type Store } from '@licensewatch/store';
import type { Logger } from 'pino';
import { ConsumerAttributions } from './alerts/attribution.js';
import { AlertPoller } from './alerts/poller.js';
import { createSlackApp, type SlackConnection } from './app.js';
import { CatalogueCache } from './catalogue-cache.js';
import { alertCharts } from './charts/alert-chart.js';
import { DeliveryDispatcher } from './delivery/dispatcher.js';
import type { Notifier } from './delivery/notifier.js';
import { PagerDutyNotifier } from './delivery/pagerduty/notifier.js';
import { alertChannels, checkSlackSetup, type SlackSetupReport } from './delivery/slack/channel-check.js';
import { SlackNotifier } from './delivery/slack/notifier.js';
import { seedDemoHistory } from './demo/seed-history.js';
import { type BotConfig, LOCAL_SLACK } from './env.js';
import { databaseHealthLogger } from './health.js';
import { levelsNote } from './licenses/levels-note.js';
import { lmpiReports } from './licenses/reports.js';
import { cachedServicePlanList } from './licenses/service-plans.js';
import { LmpiResponseLog } from './lmpi/response-log.js';
import { type SlackStandIn, startSlackStandIn } from './local-slack/stand-in.js';
import { type BotOps, createOps } from './ops/ops.js';
import { migrateOrDefer } from './schema-on-demand.js';

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

async function lmpiTarget(config: BotConfig, logger: Logger) {
  if (config.lmpi.mode === 'remote') return { ...config.lmpi, sandbox: undefined };
  // Loaded only here: the sandbox is a devDependency, which production installs leave out.
  const { createSandbox } = await importEmbeddedSandbox(() => import('@licensewatch/lmpi-sandbox'));
  const sandbox = await createSandbox({ logger: logger.child({ component: 'lmpi-sandbox' }) });
  const { accessToken, secretKey } = sandbox.credentials.distributor;
  logger.info(
    { url: sandbox.url, apiVersion: config.lmpi.apiVersion ?? 'v2' },
    'no LMPI_* settings: using the embedded LMPI sandbox',
  );
  return { baseUrl: sandbox.url, accessToken, secretKey, sandbox };
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
 * Starts the bot as configured: LMPI (or the embedded sandbox), the catalogue cache, Slack (or the
 * local stand-in) and the Bolt app.
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
  const store = openStore(config.alerts.databaseUrl, { onHealthChange: databaseHealthLogger(logger), now });
  const ensureSchema = await migrateOrDefer(store, logger);
  const holder = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const lmpi = await lmpiTarget(config, logger);
  let poller: AlertPoller | undefined;
  let ops: BotOps | undefined;
  const client = createLmpiClient({
    baseUrl: lmpi.baseUrl,
    accessToken: lmpi.accessToken,
    secretKey: lmpi.secretKey,
    apiVersion: config.lmpi.apiVersion ?? 'v2',
    timeoutMs: config.lmpiTimeoutMs,
    now,
    onAttempt: (event) => {
      logger.debug({ lmpi: event }, 'lmpi attempt');
      ops?.metrics.lmpiAttempt(event);
    },
  });
  const responses = new LmpiResponseLog(logger);
  const cache = new CatalogueCache({
    ttlMs: config.cacheTtlMs,
    ...(thresholds.catalogueSanity ? { sanity: thresholds.catalogueSanity } : {}),
    now,
    fetch: async () => {
      try {
        // A malformed product is set aside (the rest of the poll is used); drift is logged once per change.
        const result = await client.listProducts({ malformed: 'set-aside' });
        responses.observe('product list', result);
        return result;
      } catch (error) {
        const details = isLmpiError(error)
          ? { code: error.code, kind: lmpiFailureKind(error), message: error.message }
          : { message: String(error) };
        logger.warn({ lmpiError: details }, 'LMPI product list failed');
        ops?.lmpiFailed(lmpiFailureKind(error), details.message);
        throw error;
      }
    },
  });

  const reports = lmpiReports(client, { ttlMs: config.cacheTtlMs, now });

  let slack: SlackStandIn | undefined;
  let connection: SlackConnection;
  if (config.slack.mode === 'local') {
    slack = await startSlackStandIn({
      print: options.print ?? ((text) => process.stdout.write(text)),
      channels: [
        { id: LOCAL_SLACK.alertChannel, name: 'license-alerts' },
        // Where `pnpm slash` commands come from; the bot is in it, so /licenses <code> can share charts.
        { id: 'CLOCAL', name: 'licenses', botIsMember: true },
      ],
    });
    connection = {
      mode: 'http',
      botToken: LOCAL_SLACK.botToken,
      signingSecret: LOCAL_SLACK.signingSecret,
      apiUrl: slack.apiUrl,
      local: true,
    };
  } else if (config.slack.mode === 'socket') {
    connection = { ...config.slack, healthPort: config.port };
  } else {
    connection = config.slack;
  }

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
  });
  ops = activeOps;
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
        list: cachedServicePlanList(client, { ttlMs: config.cacheTtlMs, now }),
      },
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
  });
  const demoData = lmpi.sandbox !== undefined;
  const chartFor = alertCharts({ store, cache, levelsFor: () => licensesView().levelsFor, now });
  const slackNotifier = new SlackNotifier({
    client: app.client,
    logger,
    demoData,
    chartFor,
    mentionsFor: (product) => routingPolicy(poller, config, thresholds).ruleFor(product).mention,
  });
  const notifiers = new Map<string, Notifier>([['slack', slackNotifier]]);
  if (config.pagerduty) {
    const source = new URL(lmpi.baseUrl).host;
    notifiers.set('pagerduty', new PagerDutyNotifier({ ...config.pagerduty, source }));
  }
  dispatcher = new DeliveryDispatcher({
    store,
    notifiers,
    logger,
    holder,
    now,
    staleClaimMs: config.alerts.claimTimeoutMs,
    ...(config.alerts.maxAttempts ? { maxAttempts: config.alerts.maxAttempts } : {}),
  });
  poller = new AlertPoller({
    store,
    cache,
    dispatcher,
    settings: config.alerts,
    pagerduty: notifiers.has('pagerduty'),
    thresholds,
    logger,
    holder,
    now,
    onPoll: (record, events) => {
      activeOps.state.recordPoll(record);
      activeOps.metrics.poll(record, events);
    },
    ensureSchema,
    attributions: new ConsumerAttributions({
      // Straight from LMPI, not the /licenses cache: an episode's first crossing wants this minute's data.
      transactions: async (query) => {
        const result = await client.reportTransactions(query, { malformed: 'set-aside' });
        responses.observe('transaction report', result);
        return result;
      },
      logger,
      ...(config.alerts.attributionBudgetMs !== undefined ? { budgetMs: config.alerts.attributionBudgetMs } : {}),
    }),
  });
  const activePoller = poller;

  let port = config.port;
  let url: string;
  if (connection.mode === 'socket') {
    await app.start();
    url = `http://127.0.0.1:${port}`;
  } else {
    // Local mode answers this machine only; HTTP mode must be reachable by Slack.
    const host = options.host ?? (config.slack.mode === 'local' ? '127.0.0.1' : undefined);
    const server = (await app.start({ port: config.port, ...(host ? { host } : {}) })) as Server;
    port = (server.address() as AddressInfo).port;
    url = `http://127.0.0.1:${port}`;
  }
  try {
    setup = await checkSlackSetup(app.client, alertChannels(config.alerts.alertChannel, thresholds), logger);
  } catch (error) {
    await app.stop().catch(() => undefined);
    await store.close();
    await lmpi.sandbox?.close();
    await slack?.close();
    throw error;
  }
  activePoller.start(); // its first poll, at once, also warms the /licenses cache
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
      await activePoller.stop();
      await slackNotifier.idle();
      await app.stop();
      await store.close();
      await slack?.close();
      await lmpi.sandbox?.close();
    },
  };
}
