import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLmpiClient, isLmpiError, lmpiFailureKind } from '@licensewatch/client';
import { createSandbox, type Sandbox } from '@licensewatch/lmpi-sandbox';
import type { Logger } from 'pino';
import { createSlackApp, type SlackConnection } from './app.js';
import { CatalogueCache } from './catalogue-cache.js';
import { type BotConfig, LOCAL_SLACK } from './env.js';
import { healthReport } from './health.js';
import { DEFAULT_LEVELS } from './licenses/status.js';
import { type SlackStandIn, startSlackStandIn } from './local-slack/stand-in.js';

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
  stop(): Promise<void>;
}

async function lmpiTarget(config: BotConfig, logger: Logger) {
  if (config.lmpi.mode === 'remote') return { ...config.lmpi, sandbox: undefined };
  const sandbox = await createSandbox({ logger: logger.child({ component: 'lmpi-sandbox' }) });
  const { accessToken, secretKey } = sandbox.credentials.distributor;
  logger.info({ url: sandbox.url }, 'no LMPI_* settings: using the embedded LMPI sandbox');
  return { baseUrl: sandbox.url, accessToken, secretKey, sandbox };
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
  const lmpi = await lmpiTarget(config, logger);
  const client = createLmpiClient({
    baseUrl: lmpi.baseUrl,
    accessToken: lmpi.accessToken,
    secretKey: lmpi.secretKey,
    timeoutMs: config.lmpiTimeoutMs,
    now,
    onAttempt: (event) => logger.debug({ lmpi: event }, 'lmpi attempt'),
  });
  const cache = new CatalogueCache({
    ttlMs: config.cacheTtlMs,
    now,
    fetch: async () => {
      try {
        const result = await client.listProducts();
        for (const warning of result.warnings)
          logger.warn({ drift: warning, traceId: result.traceId }, 'LMPI response drift');
        return result;
      } catch (error) {
        const details = isLmpiError(error)
          ? { code: error.code, kind: lmpiFailureKind(error), message: error.message }
          : { message: String(error) };
        logger.warn({ lmpiError: details }, 'LMPI product list failed');
        throw error;
      }
    },
  });

  let slack: SlackStandIn | undefined;
  let connection: SlackConnection;
  if (config.slack.mode === 'local') {
    slack = await startSlackStandIn({ print: options.print ?? ((text) => process.stdout.write(text)) });
    connection = {
      mode: 'http',
      botToken: LOCAL_SLACK.botToken,
      signingSecret: LOCAL_SLACK.signingSecret,
      apiUrl: slack.apiUrl,
    };
  } else if (config.slack.mode === 'socket') {
    connection = { ...config.slack, healthPort: config.port };
  } else {
    connection = config.slack;
  }

  const defaultLevels = () => DEFAULT_LEVELS;
  const app = createSlackApp({
    connection,
    cache,
    logger,
    now,
    levelsFor: defaultLevels,
    health: () => healthReport(cache, { slack: config.slack.mode, lmpi: config.lmpi.mode }, now),
  });

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
  void cache.refresh(); // warm the cache so the first /licenses answers from memory

  return {
    url,
    port,
    cache,
    sandbox: lmpi.sandbox,
    slack,
    stop: async () => {
      await app.stop();
      await slack?.close();
      await lmpi.sandbox?.close();
    },
  };
}
