import { randomUUID } from 'node:crypto';
import { createSandbox, type Sandbox, type SandboxOptions } from '@licensewatch/lmpi-sandbox';
import {
  blockKitViolations,
  type ChannelSpec,
  type ReceivedMessage,
  type SlackStandIn,
  startSlackStandIn,
} from '@licensewatch/slack-stand-in';
import type { BotConfig } from '../src/env.js';
import { secretsOf } from '../src/env.js';
import { createLogger } from '../src/logger.js';
import { MANIFEST_PATH } from '../src/manifest-path.js';
import { type BotRuntime, startBot } from '../src/runtime.js';
import { slackSignatureHeaders, slashCommandBody } from '../src/slack-signature.js';

export const SIGNING_SECRET = 'test-signing-secret-7f3a9c';
export const BOT_TOKEN = 'xoxb-test-bot-token-4b1d';

/** The default alert channel of the tests: public, and the bot was never added to it. */
export const ALERTS_CHANNEL: ChannelSpec = { id: 'CALERTS', name: 'alerts' };
/** Where the harness's slash commands come from (`channel_id`): the bot was invited, so charts can be shared. */
/** Who sends the harness's slash commands unless a test names someone (`slashCommandBody`'s default). */
export const COMMAND_USER = 'ULOCALUSER';
export const COMMAND_CHANNEL: ChannelSpec = { id: 'CLOCAL', name: 'licenses', botIsMember: true };

/**
 * Fails the test when the bot called Slack in a way that only a wrong app can (a scope
 * `manifest.yml` lacks, a bad token, a method Slack does not have).
 */
export function assertNoAppErrors(slack: SlackStandIn, allowed = false): void {
  const errors = slack.appErrors();
  if (errors.length > 0 && !allowed)
    throw new Error(
      `the bot made Web API calls Slack would refuse: ${errors
        .map((e) => `${e.method} → ${e.error}${e.needed ? ` (needs ${e.needed}: add it to manifest.yml)` : ''}`)
        .join('; ')}`,
    );
}

export interface Harness {
  bot: BotRuntime;
  slack: SlackStandIn;
  sandbox: Sandbox;
  config: BotConfig;
  logs: string[];
  /** Sends a signed `/licenses` and returns the ack and a way to await the reply. */
  slash(text: string, options?: { secret?: string; timestamp?: number; user?: string }): Promise<SlashResult>;
  /**
   * Clicks a button of a message (paging, or an alert's Snooze/Acknowledge). `on`: the channel
   * message it is on (Slack sends it as the payload's `container`); default an ephemeral reply;
   * `'home'`: a button of the Home tab.
   */
  click(button: { action_id: string; value: string }, on?: ReceivedMessage | 'home'): Promise<SlashResult>;
  /** Sends any interactive `payload` (signed, form-encoded), however malformed; resolves with the HTTP answer. */
  interact(payload: unknown): Promise<{ status: number; ackMs: number; body: string }>;
  /** Sends a signed Events API `event_callback` (e.g. `app_home_opened`); resolves with the HTTP status. */
  event(event: Record<string, unknown>): Promise<{ status: number; body: string }>;
  /** LMPI product-list requests the sandbox received. */
  lmpiRequests(): number;
  close(): Promise<void>;
}

export interface SlashResult {
  status: number;
  ackMs: number;
  body: string;
  reply(timeoutMs?: number): Promise<ReceivedMessage>;
}

export interface HarnessOptions {
  cacheTtlMs?: number;
  sandbox?: SandboxOptions;
  lmpiSecret?: string;
  /** Whose LMPI credentials the bot uses. Default: the Distributor's. */
  lmpiRole?: 'distributor' | 'isp' | 'msp' | 'reseller';
  /** LMPI_API_VERSION. Default: unset (v2). */
  lmpiApiVersion?: 'v2' | 'v3';
  lmpiTimeoutMs?: number;
  databaseUrl?: string;
  pollIntervalMs?: number;
  thresholdsFile?: string;
  now?: () => number;
  /**
   * The Slack workspace's channels. Default: a public #alerts (CALERTS) the bot was never invited
   * to, as after a fresh install from the manifest.
   */
  channels?: ChannelSpec[];
  /** Default alert channel (ALERT_CHANNEL). Default CALERTS. */
  alertChannel?: string;
  /** Bot scopes the token has. Default: exactly those in manifest.yml. */
  scopes?: string[];
  /** Who may press alert buttons (ALERT_ACTIONS). */
  alertActions?: 'anyone' | 'admins';
  /** Attempts before a dead letter (OUTBOX_MAX_ATTEMPTS). */
  maxAttempts?: number;
  /** Let the test see Web API refusals that mean the app is wrong (missing_scope) without failing. */
  allowAppErrors?: boolean;
  /** Page PagerDuty (a fake Events API) as well as Slack. */
  pagerduty?: { routingKey: string; eventsUrl: string };
  /** Bearer token `/metrics` requires. */
  metricsToken?: string;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const slack = await startSlackStandIn({
    manifest: MANIFEST_PATH,
    botToken: BOT_TOKEN,
    channels: options.channels ?? [ALERTS_CHANNEL, COMMAND_CHANNEL],
    ...(options.scopes ? { scopes: options.scopes } : {}),
  });
  const sandbox = await createSandbox({ ...options.sandbox, ...(options.now ? { now: options.now } : {}) });
  const { accessToken, secretKey } = sandbox.credentials[options.lmpiRole ?? 'distributor'];
  const config: BotConfig = {
    port: 0,
    metricsToken: options.metricsToken,
    pagerduty: options.pagerduty,
    logLevel: 'debug',
    cacheTtlMs: options.cacheTtlMs ?? 60_000,
    lmpiTimeoutMs: options.lmpiTimeoutMs ?? 10_000,
    alerts: {
      databaseUrl: options.databaseUrl ?? 'sqlite::memory:',
      pollIntervalMs: options.pollIntervalMs ?? 3_600_000,
      alertChannel: options.alertChannel ?? ALERTS_CHANNEL.id,
      thresholdsFile: options.thresholdsFile,
      adminUserIds: ['UADMIN'],
      historyRetentionMs: 86_400_000,
      claimTimeoutMs: 60_000,
      ...(options.alertActions ? { alertActions: options.alertActions } : {}),
      ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
    },
    slack: { mode: 'http', botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, apiUrl: slack.apiUrl },
    lmpi: {
      mode: 'remote',
      baseUrl: sandbox.url,
      accessToken,
      secretKey: options.lmpiSecret ?? secretKey,
      ...(options.lmpiApiVersion ? { apiVersion: options.lmpiApiVersion } : {}),
    },
  };
  const logs: string[] = [];
  const logger = createLogger({
    level: 'debug',
    secrets: secretsOf(config),
    destination: { write: (line: string) => logs.push(line) },
  });
  const bot = await startBot(config, { logger, host: '127.0.0.1', ...(options.now ? { now: options.now } : {}) });

  const post = async (
    body: string,
    secret: string,
    timestamp?: number,
    contentType = 'application/x-www-form-urlencoded',
  ) => {
    const started = performance.now();
    const response = await fetch(`${bot.url}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        ...slackSignatureHeaders(secret, body, timestamp),
      },
      body,
    });
    const text = await response.text();
    return { status: response.status, ackMs: performance.now() - started, body: text };
  };
  const replyFor = (id: string) => (timeoutMs?: number) =>
    slack.waitFor((m) => m.kind === 'response' && m.target === id, timeoutMs);
  /** The answer: in the acknowledgement itself when the bot had everything in memory, else via response_url. */
  const answer =
    (ackBody: string, id: string) =>
    async (timeoutMs?: number): Promise<ReceivedMessage> => {
      const inAck = parseAck(ackBody);
      if (inAck)
        return {
          kind: 'response',
          target: id,
          ts: 'ack',
          payload: inAck,
          violations: blockKitViolations(inAck),
          receivedAt: Date.now(),
        };
      return replyFor(id)(timeoutMs);
    };

  return {
    bot,
    slack,
    sandbox,
    config,
    logs,
    slash: async (text, opts = {}) => {
      const id = randomUUID();
      const body = slashCommandBody({
        text,
        response_url: slack.responseUrl(id, opts.user ?? COMMAND_USER),
        ...(opts.user ? { user_id: opts.user } : {}),
      });
      const acked = await post(body, opts.secret ?? SIGNING_SECRET, opts.timestamp);
      return { ...acked, reply: answer(acked.status === 200 ? acked.body : '', id) };
    },
    click: async (button, target) => {
      const on = target === 'home' ? undefined : target;
      const id = randomUUID();
      const container =
        target === 'home'
          ? { type: 'view', view_id: 'VHOME', channel_id: 'CLOCAL' }
          : on
            ? { type: 'message', message_ts: on.ts, channel_id: on.target, is_ephemeral: false }
            : { type: 'message', message_ts: '1.2', channel_id: 'CLOCAL', is_ephemeral: true };
      const payload = {
        type: 'block_actions',
        user: { id: 'ULOCALUSER', username: 'local-user', team_id: 'TLOCAL' },
        api_app_id: 'ALOCAL',
        token: 'deprecated',
        container,
        ...(target === 'home' ? { view: { id: 'VHOME', type: 'home', blocks: [] } } : {}),
        trigger_id: '1.2.3',
        team: { id: 'TLOCAL', domain: 'local' },
        channel: { id: container.channel_id, name: 'licenses' },
        response_url: slack.responseUrl(id, 'ULOCALUSER'),
        actions: [
          {
            type: 'button',
            block_id: 'licenses_paging',
            action_id: button.action_id,
            value: button.value,
            text: { type: 'plain_text', text: 'x' },
            action_ts: '1.3',
          },
        ],
      };
      const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
      return { ...(await post(body, SIGNING_SECRET)), reply: replyFor(id) };
    },
    interact: (payload) => post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), SIGNING_SECRET),
    event: async (event) => {
      const body = JSON.stringify({
        token: 'deprecated',
        team_id: 'TLOCAL',
        api_app_id: 'ALOCAL',
        type: 'event_callback',
        event_id: `Ev${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`,
        event_time: Math.floor(Date.now() / 1000),
        authorizations: [{ team_id: 'TLOCAL', user_id: 'ULOCALBOT', is_bot: true }],
        event,
      });
      const { status, body: text } = await post(body, SIGNING_SECRET, undefined, 'application/json');
      return { status, body: text };
    },
    lmpiRequests: () => sandbox.countRequests('/LMPI/v2/partners/product'),
    close: async () => {
      await bot.stop();
      await slack.close();
      await sandbox.close();
      assertNoAppErrors(slack, options.allowAppErrors);
    },
  };
}

/** A message carried in an acknowledgement body, if any. */
export function parseAck(body: string): Record<string, unknown> | undefined {
  if (!body.trim()) return undefined;
  try {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    return typeof parsed.text === 'string' || Array.isArray(parsed.blocks) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The product lines of a `/licenses` list, one per product, in the order shown. */
export function productLines(message: ReceivedMessage): string[] {
  const blocks = (message.payload.blocks ?? []) as { type: string; block_id?: string; text?: { text: string } }[];
  return blocks
    .filter((b) => b.type === 'section' && b.block_id?.startsWith('licenses_products'))
    .flatMap((b) => (b.text?.text ?? '').split('\n'));
}

export function buttons(message: ReceivedMessage): { action_id: string; value: string }[] {
  const blocks = (message.payload.blocks ?? []) as {
    type: string;
    elements?: { action_id: string; value: string }[];
  }[];
  return blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements ?? []);
}

/** A Slack stand-in, or a harness holding one: where the message helpers read what Slack received. */
type MessageSource = Pick<SlackStandIn, 'messages'> | { slack: Pick<SlackStandIn, 'messages'> };

/**
 * The messages the bot posted to a channel (`chat.postMessage`, not edits), oldest first: the alert
 * channel unless another is named.
 */
export function posts(from: MessageSource, channel = ALERTS_CHANNEL.id): ReceivedMessage[] {
  const { messages } = 'slack' in from ? from.slack : from;
  return messages.filter((m) => m.kind === 'chat.postMessage' && m.target === channel);
}

/** Everything a message says, its fallback text and its blocks as JSON, to search with `toContain`. */
export function text(message: ReceivedMessage | undefined): string {
  return `${message?.payload.text ?? ''} ${JSON.stringify(message?.payload.blocks ?? '')}`;
}

/**
 * Waits until the bot's start-up cache warm-up has reached LMPI, and its first poll (which also asks
 * LMPI who drained the pools that start out low) is over, so a test's fault hits its own request.
 */
export async function settled(harness: Harness): Promise<void> {
  for (
    let i = 0;
    i < 100 && harness.bot.cache.peek().snapshot === undefined && harness.bot.cache.peek().error === undefined;
    i += 1
  ) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await harness.bot.poller.idle();
}
