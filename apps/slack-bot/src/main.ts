#!/usr/bin/env node
import { errorMessage } from '@licensewatch/schema';
import { findDotEnv } from './dot-env.js';
import { ConfigError, loadDotEnv, readBotConfig, secretsOf, strayVariables } from './env.js';
import { listenProblem } from './listen-errors.js';
import { createLogger } from './logger.js';
import { installProcessPolicy } from './process-policy.js';
import { startBot } from './runtime.js';

async function main(): Promise<void> {
  // The nearest `.env` up to the repository root (`pnpm start` runs in apps/slack-bot); the real environment wins.
  const dotEnv = loadDotEnv(findDotEnv(process.cwd()));
  const config = readBotConfig();
  const logger = createLogger({ level: config.logLevel, secrets: secretsOf(config) });
  installProcessPolicy(process, logger);
  if (dotEnv) logger.info({ file: dotEnv }, 'loaded settings from .env (environment variables take precedence)');
  for (const variable of strayVariables())
    logger.warn(
      { variable },
      'unknown setting ignored: not a licensewatch variable (see the README configuration table)',
    );
  const bot = await startBot(config, { logger });
  // Handlers before the banner: whoever reads it may signal at once.
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    bot.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  const lines = [`licensewatch is running on ${bot.url}`];
  const v3 = config.lmpi.apiVersion === 'v3' ? ' · LMPI API v3 (LMPI_API_VERSION)' : '';
  if (bot.sandbox)
    lines.push(
      `  LMPI: embedded sandbox at ${bot.sandbox.url} (set LMPI_BASE_URL, LMPI_ACCESS_TOKEN, LMPI_SECRET_KEY for the real one)${v3}`,
    );
  else lines.push(`  LMPI: ${config.lmpi.mode === 'remote' ? config.lmpi.baseUrl : ''}${v3}`);
  if (config.slack.mode === 'local') {
    lines.push(
      '  Slack: local mode (no SLACK_* settings). Replies are printed here.',
      `  Local Slack you can click: ${bot.url}/local (channels, alerts, the Home tab; press the buttons, type /licenses)`,
      '  Try, in another terminal:  pnpm slash "/licenses"   pnpm slash "/licenses low"   pnpm slash "/licenses help"',
    );
  } else {
    lines.push(
      `  Slack: ${config.slack.mode === 'socket' ? 'Socket Mode' : `HTTP mode, events at ${bot.url}/slack/events`}`,
    );
  }
  lines.push(`  Health: ${bot.url}/healthz (probes: /livez, /readyz; metrics: /metrics)`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  // Configuration, threshold-file and LMPI-settings problems (e.g. no sandbox installed and no
  // LMPI_*, or no Slack stand-in and no SLACK_*): one message, exit 64. Anything else is a failure.
  // A port in use is a setting too: the message names PORT.
  const { code } = error as { code?: unknown };
  const portInUse = listenProblem(error);
  const known =
    error instanceof ConfigError ||
    code === 'ERR_THRESHOLDS_FILE' ||
    code === 'ERR_LMPI_CONFIG' ||
    code === 'ERR_LOCAL_SLACK';
  const message = portInUse ? `licensewatch failed to start: ${portInUse}` : errorMessage(error);
  process.stderr.write(`${known || portInUse ? message : `licensewatch failed to start: ${message}`}\n`);
  process.exit(known || portInUse ? 64 : 1);
});
