// The start-up self-check of the Slack side: the token works, and every alert channel exists and
// can take alerts. A public channel the bot is not in is joined, so that the history lookups that
// prevent duplicate alerts after a crash work; a private one must be invited to, which only a
// person can do: that is reported (log, /healthz) and the rest of the bot keeps working.
import type { ThresholdConfig } from '@licensewatch/alerts';
import type { App } from '@slack/bolt';
import type { Logger } from 'pino';

/** What the check found about one alert channel. */
export interface AlertChannelStatus {
  channel: string;
  /** `#name` when Slack told it. */
  name: string | undefined;
  /** True when alerts can be posted there and their history read. */
  ready: boolean;
  /** True when the bot joined it during this check. */
  joined: boolean;
  /** What is wrong and how to fix it, when not ready. */
  problem: string | undefined;
}

/** The outcome of the start-up check. */
export interface SlackSetupReport {
  /** The bot's user id (from auth.test). */
  botUserId: string | undefined;
  channels: AlertChannelStatus[];
}

/** The token was refused: the bot cannot work at all. */
export class SlackSetupError extends Error {
  override name = 'SlackSetupError';
  readonly code = 'ERR_SLACK_SETUP';
}

type WebClient = App['client'];

const slackError = (error: unknown): string =>
  (error as { data?: { error?: string } }).data?.error ??
  ((error as { code?: string }).code === 'slack_webapi_rate_limited_error' ? 'ratelimited' : String(error));

/**
 * Every channel alerts may go to: the default ALERT_CHANNEL and each rule's `channel`.
 *
 * @example
 * ```ts
 * alertChannels('C0ALERTS', thresholds) // ['C0ALERTS', 'C0NETWORK']
 * ```
 */
export function alertChannels(defaultChannel: string | undefined, thresholds: ThresholdConfig): string[] {
  const all = [defaultChannel, thresholds.default.channel, ...thresholds.products.map((p) => p.channel)];
  return [...new Set(all.filter((c): c is string => typeof c === 'string' && c.length > 0))];
}

function problemFor(channel: string, error: string, name?: string): string {
  const where = name ? `#${name} (${channel})` : channel;
  switch (error) {
    case 'channel_not_found':
      return `alert channel ${channel} was not found: it does not exist, or it is private and @licensewatch is not in it: invite @licensewatch to the channel (/invite @licensewatch in it), or fix ALERT_CHANNEL / the rule's channel`;
    case 'private_not_member':
      return `alert channel ${where} is private and @licensewatch is not in it: invite @licensewatch to #${name ?? channel} (/invite @licensewatch)`;
    case 'is_archived':
      return `alert channel ${where} is archived: unarchive it or choose another ALERT_CHANNEL / rule channel`;
    case 'missing_scope':
      return `Slack refused to describe or join ${where} (missing_scope): reinstall the app from manifest.yml so it has every scope`;
    default:
      return `could not check alert channel ${where} (${error}); alerts will still be tried`;
  }
}

async function checkChannel(client: WebClient, channel: string): Promise<AlertChannelStatus> {
  const status = { channel, name: undefined as string | undefined, ready: false, joined: false, problem: undefined };
  let info: { name?: string; is_private?: boolean; is_archived?: boolean; is_member?: boolean };
  try {
    info = (await client.conversations.info({ channel })).channel ?? {};
  } catch (error) {
    return { ...status, problem: problemFor(channel, slackError(error)) };
  }
  const name = info.name;
  if (info.is_archived) return { ...status, name, problem: problemFor(channel, 'is_archived', name) };
  if (info.is_member) return { ...status, name, ready: true };
  if (info.is_private) return { ...status, name, problem: problemFor(channel, 'private_not_member', name) };
  try {
    await client.conversations.join({ channel });
    return { ...status, name, ready: true, joined: true };
  } catch (error) {
    return { ...status, name, problem: problemFor(channel, slackError(error), name) };
  }
}

/**
 * Checks the token (auth.test) and every alert channel, joining public ones the bot is not in.
 * Channel problems are logged and returned, never thrown: alerts to other channels keep working.
 *
 * @throws {SlackSetupError} when Slack refuses the bot token.
 * @example
 * ```ts
 * const report = await checkSlackSetup(app.client, alertChannels(config.alerts.alertChannel, thresholds), logger)
 * ```
 */
export async function checkSlackSetup(
  client: WebClient,
  channels: readonly string[],
  logger: Logger,
): Promise<SlackSetupReport> {
  let botUserId: string | undefined;
  try {
    botUserId = (await client.auth.test()).user_id;
  } catch (error) {
    const reason = slackError(error);
    if (['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired'].includes(reason))
      throw new SlackSetupError(
        `Slack refused SLACK_BOT_TOKEN (${reason}): copy the Bot User OAuth Token (xoxb-…) from the Slack app's OAuth & Permissions page`,
      );
    logger.warn({ err: error, reason }, 'auth.test failed; Slack set-up not checked');
    return { botUserId: undefined, channels: [] };
  }
  const results: AlertChannelStatus[] = [];
  for (const channel of channels) {
    const status = await checkChannel(client, channel);
    results.push(status);
    if (status.problem) logger.error({ channel, problem: status.problem }, 'alert channel not usable');
    else if (status.joined) logger.info({ channel, name: status.name }, 'joined alert channel');
  }
  return { botUserId, channels: results };
}
