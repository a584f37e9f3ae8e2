import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDuration } from '@licensewatch/alerts';
import { type LmpiApiVersion, lmpiTargetFromEnv } from '@licensewatch/client';
import { z } from 'zod';
import { type UnknownVariable, unknownVariables } from './env-names.js';

// The one module of the bot that reads process.env. Everything else receives a BotConfig.

/** Signing secret and bot token of local mode: the bot and its in-process Slack stand-in share them. */
export const LOCAL_SLACK = {
  botToken: 'xoxb-local-licensewatch-not-a-real-token',
  signingSecret: 'licensewatch-local-signing-secret',
  /** Alerts channel and admin of local mode (the user `pnpm slash` sends as). */
  alertChannel: 'CLOCALALERTS',
  adminUserId: 'ULOCALUSER',
} as const;

export type SlackSettings =
  | { mode: 'local' }
  | { mode: 'http'; botToken: string; signingSecret: string; apiUrl: string | undefined }
  | {
      mode: 'socket';
      botToken: string;
      appToken: string;
      signingSecret: string | undefined;
      apiUrl: string | undefined;
    };

/** Where LMPI is, and which API version to speak (`LMPI_API_VERSION`: v2 default, v3 for Trend Vision One plans). */
export type LmpiSettings =
  | { mode: 'sandbox'; apiVersion?: LmpiApiVersion }
  | { mode: 'remote'; baseUrl: string; accessToken: string; secretKey: string; apiVersion?: LmpiApiVersion };

/** Where state lives when `DATA_DIR` is not set: `data/` in the bot's install directory, whatever the working directory. */
export const DEFAULT_DATA_DIR = fileURLToPath(new URL('../data', import.meta.url));

/**
 * Loads `.env` from the working directory when there is one (Node's `process.loadEnvFile`): a
 * variable already in the environment wins over the file. Call it before {@link readBotConfig}.
 *
 * @returns the file loaded, or undefined when there is none.
 * @example
 * ```ts
 * loadDotEnv() // then readBotConfig()
 * ```
 */
export function loadDotEnv(path = resolve('.env')): string | undefined {
  if (!existsSync(path)) return undefined;
  process.loadEnvFile(path);
  return path;
}

/** Everything the bot is configured with. */
export interface AlertSettings {
  databaseUrl: string;
  pollIntervalMs: number;
  /** Default channel for alerts; rules may name their own. */
  alertChannel: string | undefined;
  thresholdsFile: string | undefined;
  adminUserIds: string[];
  historyRetentionMs: number;
  /** A claimed alert not marked posted after this long is taken over (its process died). */
  claimTimeoutMs: number;
  /** Attempts before an alert that keeps failing becomes a dead letter. Default 8. */
  maxAttempts?: number;
  /** Who may press Snooze/Acknowledge on alerts. Default `anyone`. */
  alertActions?: 'anyone' | 'admins';
  /** How long an alert waits for who drained the pool (default 1.5 s; tests set it). */
  attributionBudgetMs?: number;
}

/** PagerDuty Events API v2, when configured: critical alerts (and per rule, warnings) page it. */
export interface PagerDutySettings {
  /** Integration key of an Events API v2 integration (a secret: scrubbed from logs). */
  routingKey: string;
  eventsUrl: string;
}

export interface BotConfig {
  port: number;
  /** Bearer token `GET /metrics` requires; absent: open (bind or firewall the port instead). */
  metricsToken?: string | undefined;
  /** Absent: alerts go to Slack only. */
  pagerduty?: PagerDutySettings | undefined;
  alerts: AlertSettings;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  cacheTtlMs: number;
  lmpiTimeoutMs: number;
  slack: SlackSettings;
  lmpi: LmpiSettings;
}

const duration = (name: string, fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      const ms = parseDuration(text);
      if (ms === undefined || ms <= 0) {
        ctx.addIssue({
          code: 'custom',
          message: `${name} must be a duration like 30s, 5m or 1h (got ${JSON.stringify(text)})`,
        });
        return z.NEVER;
      }
      return ms;
    });

const optionalText = z.string().trim().min(1).optional();

const schema = z.object({
  SLACK_BOT_TOKEN: optionalText.refine((v) => v === undefined || v.startsWith('xoxb-'), {
    message: 'SLACK_BOT_TOKEN must be a bot token starting with xoxb- (Slack app > OAuth & Permissions)',
  }),
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_APP_TOKEN: optionalText.refine((v) => v === undefined || v.startsWith('xapp-'), {
    message:
      'SLACK_APP_TOKEN must be an app-level token starting with xapp- (Slack app > Basic Information > App-Level Tokens, scope connections:write)',
  }),
  SLACK_API_URL: z.url({ message: 'SLACK_API_URL must be a URL such as https://slack.com/api/' }).optional(),
  PORT: z.coerce
    .number({ error: 'PORT must be a port number' })
    .int('PORT must be a whole number')
    .min(0, 'PORT must be between 0 and 65535')
    .max(65535, 'PORT must be between 0 and 65535')
    .default(3000),
  LMPI_BASE_URL: z.url({ message: 'LMPI_BASE_URL must be a URL such as https://cspi.trendmicro.com' }).optional(),
  LMPI_ACCESS_TOKEN: optionalText,
  LMPI_SECRET_KEY: optionalText,
  // Checked by lmpiTargetFromEnv (the client's rule, shared with the CLI): v2 or v3.
  LMPI_API_VERSION: optionalText,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  CACHE_TTL: duration('CACHE_TTL', '60s'),
  LMPI_TIMEOUT: duration('LMPI_TIMEOUT', '10s'),
  DATA_DIR: z
    .string()
    .default(DEFAULT_DATA_DIR)
    .refine((dir) => isAbsolute(dir), { message: 'DATA_DIR must be an absolute path such as /data' }),
  DATABASE_URL: z
    .string()
    .optional()
    .refine((url) => url === undefined || url.startsWith('sqlite:') || /^postgres(ql)?:\/\//.test(url), {
      message: 'DATABASE_URL must be sqlite:<path> or postgres://user@host:5432/db',
    }),
  POLL_INTERVAL: duration('POLL_INTERVAL', '5m'),
  ALERT_CHANNEL: optionalText.refine((v) => v === undefined || /^[CGD][A-Z0-9]{2,}$/.test(v), {
    message: 'ALERT_CHANNEL must be a channel id such as C0123ABCD (channel details > About), not a #name',
  }),
  THRESHOLDS_FILE: optionalText,
  ADMIN_USER_IDS: z
    .string()
    .default('')
    .transform((text) => text.split(/[\s,]+/).filter(Boolean))
    .refine((ids) => ids.every((id) => /^[UW][A-Z0-9]{2,}$/.test(id)), {
      message: 'ADMIN_USER_IDS must be Slack user ids such as U0123ABCD, comma-separated',
    }),
  HISTORY_RETENTION: duration('HISTORY_RETENTION', '30d'),
  OUTBOX_CLAIM_TIMEOUT: duration('OUTBOX_CLAIM_TIMEOUT', '60s'),
  OUTBOX_MAX_ATTEMPTS: z.coerce
    .number({ error: 'OUTBOX_MAX_ATTEMPTS must be a number of attempts such as 8' })
    .int('OUTBOX_MAX_ATTEMPTS must be a whole number')
    .min(1, 'OUTBOX_MAX_ATTEMPTS must be at least 1')
    .max(100, 'OUTBOX_MAX_ATTEMPTS must be at most 100')
    .default(8),
  ALERT_ACTIONS: z
    .enum(['anyone', 'admins'], {
      error:
        'ALERT_ACTIONS must be anyone (every channel member may snooze/acknowledge alerts) or admins (only ADMIN_USER_IDS)',
    })
    .default('anyone'),
  LOCAL_MODE: z
    .enum(['true', 'false'], {
      error: 'LOCAL_MODE must be true (Slack stand-in on this machine) or false (never local mode)',
    })
    .optional(),
  LMPI_SANDBOX: z
    .enum(['true', 'false'], { error: 'LMPI_SANDBOX must be true or false' })
    .default('false')
    .transform((v) => v === 'true'),
  PAGERDUTY_ROUTING_KEY: optionalText.refine((v) => v === undefined || /^[A-Za-z0-9]{32}$/.test(v), {
    message:
      'PAGERDUTY_ROUTING_KEY must be the 32-character integration key of an Events API v2 integration (PagerDuty service > Integrations)',
  }),
  METRICS_TOKEN: optionalText,
  PAGERDUTY_EVENTS_URL: z
    .url({ message: 'PAGERDUTY_EVENTS_URL must be a URL such as https://events.eu.pagerduty.com/v2/enqueue' })
    .default('https://events.pagerduty.com/v2/enqueue'),
});

/** The variables the cross-variable checks read: plain strings, so they run even when other variables are invalid. */
type CrossEnv = Partial<
  Record<
    | 'SLACK_BOT_TOKEN'
    | 'SLACK_SIGNING_SECRET'
    | 'SLACK_APP_TOKEN'
    | 'SLACK_API_URL'
    | 'LMPI_BASE_URL'
    | 'LMPI_ACCESS_TOKEN'
    | 'LMPI_SECRET_KEY'
    | 'LMPI_API_VERSION'
    | 'LOCAL_MODE',
    string
  >
>;

/** What decides whether local mode (the Slack stand-in) may be entered. */
interface LocalModeRule {
  /** `LOCAL_MODE`: true asks for it, false forbids it, absent leaves it to the rule. */
  asked: 'true' | 'false' | undefined;
  production: boolean;
  /** Any of LMPI_BASE_URL, LMPI_ACCESS_TOKEN, LMPI_SECRET_KEY is set: this is not a local trial. */
  lmpiGiven: boolean;
  /** A SLACK_* variable is misspelt (reported on its own): the operator meant to configure Slack. */
  slackMisspelt: boolean;
}

const SLACK_NEEDED =
  'set SLACK_BOT_TOKEN with SLACK_SIGNING_SECRET (HTTP mode) or SLACK_APP_TOKEN (Socket Mode), or LOCAL_MODE=true for the Slack stand-in on this machine';

/**
 * Local mode only when nothing of Slack or LMPI is configured outside production, or when
 * `LOCAL_MODE=true` asks for it: otherwise a missing or misspelt Slack setting would quietly turn a
 * production bot into one that prints its alerts to stdout. Returns the reason it may not, if so.
 */
function localModeRefused(rule: LocalModeRule): string | undefined {
  if (rule.asked === 'true') return undefined;
  if (rule.asked === 'false') return `LOCAL_MODE=false forbids local mode; ${SLACK_NEEDED}`;
  if (rule.slackMisspelt) return `a SLACK_* variable is misspelt (see above); ${SLACK_NEEDED}`;
  if (rule.production) return `NODE_ENV=production never falls back to local mode; ${SLACK_NEEDED}`;
  if (rule.lmpiGiven) return `LMPI_* is configured, so this is not a local trial; ${SLACK_NEEDED}`;
  return undefined;
}

function slackSettings(env: CrossEnv, local: LocalModeRule, problems: string[]): SlackSettings {
  const { SLACK_BOT_TOKEN: botToken, SLACK_SIGNING_SECRET: signingSecret, SLACK_APP_TOKEN: appToken } = env;
  if (local.asked === 'true' && (botToken || signingSecret || appToken))
    problems.push(
      'LOCAL_MODE: true, but SLACK_* is set too; unset LOCAL_MODE to connect to Slack, or the SLACK_* variables for local mode',
    );
  if (!botToken && !signingSecret && !appToken) {
    const refused = localModeRefused(local);
    if (refused) problems.push(`SLACK_BOT_TOKEN: missing; ${refused}`);
    return { mode: 'local' };
  }
  if (local.asked === 'true') return { mode: 'local' };
  if (!botToken) {
    problems.push(
      'SLACK_BOT_TOKEN: missing; set it with SLACK_SIGNING_SECRET (HTTP mode) or SLACK_APP_TOKEN (Socket Mode), or unset all SLACK_* for local mode',
    );
    return { mode: 'local' };
  }
  if (appToken) return { mode: 'socket', botToken, appToken, signingSecret, apiUrl: env.SLACK_API_URL };
  if (!signingSecret) {
    problems.push(
      'SLACK_SIGNING_SECRET: missing; HTTP mode needs it (Slack app > Basic Information > Signing Secret), or set SLACK_APP_TOKEN for Socket Mode',
    );
    return { mode: 'local' };
  }
  return { mode: 'http', botToken, signingSecret, apiUrl: env.SLACK_API_URL };
}

function lmpiSettings(env: CrossEnv, slack: SlackSettings, sandboxAllowed: boolean, problems: string[]): LmpiSettings {
  // The client's rule, shared with the CLI: all three LMPI_* → remote, none → the embedded sandbox.
  const resolved = lmpiTargetFromEnv({
    baseUrl: env.LMPI_BASE_URL,
    accessToken: env.LMPI_ACCESS_TOKEN,
    secretKey: env.LMPI_SECRET_KEY,
    apiVersion: env.LMPI_API_VERSION,
  });
  if (!resolved.target) {
    problems.push(...resolved.problems);
    return { mode: 'sandbox' };
  }
  if (resolved.target.kind === 'sandbox') {
    // Made-up data must never reach a real workspace by accident ("Critical: 0 available").
    if (slack.mode !== 'local' && !sandboxAllowed)
      problems.push(
        "LMPI_BASE_URL, LMPI_ACCESS_TOKEN, LMPI_SECRET_KEY: missing; a bot connected to Slack needs real LMPI credentials (LMPI console > API keys), or set LMPI_SANDBOX=true to serve the embedded sandbox's demo data on purpose",
      );
    return versioned({ mode: 'sandbox' }, resolved.target.apiVersion);
  }
  const { kind: _kind, apiVersion, ...remote } = resolved.target;
  return versioned({ mode: 'remote', ...remote }, apiVersion);
}

/** v2 (the default) is left implicit, so configurations that never chose a version look as before. */
function versioned<T extends LmpiSettings>(settings: T, apiVersion: LmpiApiVersion): T {
  return apiVersion === 'v2' ? settings : { ...settings, apiVersion };
}

/**
 * The raw strings for the cross-variable checks after a failed parse. A base URL already reported as
 * malformed counts as present (so it is not reported twice, nor as missing).
 */
function crossEnv(present: Record<string, string | undefined>, problems: readonly string[]): CrossEnv {
  const reported = (name: string) => problems.some((problem) => problem.startsWith(`${name}:`));
  return {
    ...present,
    ...(reported('LMPI_BASE_URL') ? { LMPI_BASE_URL: 'https://reported.invalid' } : {}),
  };
}

/** Thrown with every configuration problem at once, each naming the variable and the fix. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * Reads the bot's configuration from the environment.
 *
 * @throws {ConfigError} naming each variable at fault and how to fix it (never echoing secrets).
 * @example
 * ```ts
 * const config = readBotConfig(process.env)
 * ```
 */
export function readBotConfig(source: NodeJS.ProcessEnv = process.env): BotConfig {
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value !== ''));
  const result = schema.safeParse(present);
  // Per-variable problems and cross-variable ones (half-configured Slack or LMPI) are reported
  // together: the cross checks read the raw strings, so they run even when the parse failed.
  const problems = result.success
    ? []
    : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  const unknown = unknownVariables(present, Object.keys(schema.shape));
  for (const { name, suggestion } of unknown)
    if (suggestion) problems.push(`${name}: unknown variable; did you mean ${suggestion}?`);
  const cross: CrossEnv = result.success ? result.data : crossEnv(present, problems);
  const slack = slackSettings(
    cross,
    {
      asked: present.LOCAL_MODE === 'true' || present.LOCAL_MODE === 'false' ? present.LOCAL_MODE : undefined,
      production: present.NODE_ENV === 'production',
      lmpiGiven: Boolean(present.LMPI_BASE_URL || present.LMPI_ACCESS_TOKEN || present.LMPI_SECRET_KEY),
      slackMisspelt: unknown.some((v) => v.suggestion?.startsWith('SLACK_')),
    },
    problems,
  );
  const lmpi = lmpiSettings(cross, slack, present.LMPI_SANDBOX === 'true', problems);
  if (!result.success || problems.length > 0) throw new ConfigError(problems);
  const local = slack.mode === 'local';
  const routingKey = result.data.PAGERDUTY_ROUTING_KEY;
  return {
    port: result.data.PORT,
    metricsToken: result.data.METRICS_TOKEN,
    pagerduty: routingKey ? { routingKey, eventsUrl: result.data.PAGERDUTY_EVENTS_URL } : undefined,
    alerts: {
      databaseUrl: result.data.DATABASE_URL ?? `sqlite:${resolve(result.data.DATA_DIR, 'licensewatch.db')}`,
      pollIntervalMs: result.data.POLL_INTERVAL,
      alertChannel: result.data.ALERT_CHANNEL ?? (local ? LOCAL_SLACK.alertChannel : undefined),
      thresholdsFile: result.data.THRESHOLDS_FILE,
      adminUserIds:
        result.data.ADMIN_USER_IDS.length > 0 || !local ? result.data.ADMIN_USER_IDS : [LOCAL_SLACK.adminUserId],
      historyRetentionMs: result.data.HISTORY_RETENTION,
      claimTimeoutMs: result.data.OUTBOX_CLAIM_TIMEOUT,
      maxAttempts: result.data.OUTBOX_MAX_ATTEMPTS,
      alertActions: result.data.ALERT_ACTIONS,
    },
    logLevel: result.data.LOG_LEVEL,
    cacheTtlMs: result.data.CACHE_TTL,
    lmpiTimeoutMs: result.data.LMPI_TIMEOUT,
    slack,
    lmpi,
  };
}

/**
 * Variables with the bot's prefixes (`SLACK_`, `LMPI_`, `LICENSEWATCH_`, …) that it does not know
 * and that resemble none of its settings: logged as a warning at start. (Those that resemble one
 * are misspelt: {@link readBotConfig} refuses them.)
 *
 * @example
 * ```ts
 * for (const name of strayVariables(process.env)) logger.warn({ variable: name }, 'unknown setting ignored')
 * ```
 */
export function strayVariables(source: NodeJS.ProcessEnv = process.env): string[] {
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value !== ''));
  return unknownVariables(present, Object.keys(schema.shape))
    .filter((v: UnknownVariable) => v.suggestion === undefined)
    .map((v) => v.name);
}

/** Every secret in a config, for scrubbing logs. */
export function secretsOf(config: BotConfig): string[] {
  const values: (string | undefined)[] = [];
  if (config.slack.mode !== 'local') values.push(config.slack.botToken, config.slack.signingSecret);
  if (config.slack.mode === 'socket') values.push(config.slack.appToken);
  if (config.lmpi.mode === 'remote') values.push(config.lmpi.secretKey, config.lmpi.accessToken);
  if (config.pagerduty) values.push(config.pagerduty.routingKey);
  values.push(config.metricsToken);
  return values.filter((v): v is string => typeof v === 'string' && v.length >= 6);
}
