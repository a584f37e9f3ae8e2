import type { SlackConnection } from '../app.js';
import { LOCAL_SLACK, type SlackSettings } from '../env.js';
import { type SlackStandIn, startSlackStandIn } from '../local-slack/stand-in.js';

/** The Slack side's slice of the configuration. */
export interface SlackSlice {
  slack: SlackSettings;
  /** `PORT`: Socket Mode serves the probes and metrics there. */
  port: number;
}

/** How the Bolt app reaches Slack, and the local stand-in when there is no Slack. */
export interface SlackLink {
  connection: SlackConnection;
  /** The Slack stand-in, in local mode. */
  standIn: SlackStandIn | undefined;
}

/**
 * Where the bot's Slack is: the workspace (HTTP or Socket Mode) as configured, or in local mode a
 * stand-in on loopback that prints what the bot posts.
 *
 * @example
 * ```ts
 * const { connection, standIn } = await linkToSlack({ slack: config.slack, port: config.port }, { print })
 * createSlackApp({ connection, ... })
 * ```
 */
export async function linkToSlack(slice: SlackSlice, options: { print?: (text: string) => void }): Promise<SlackLink> {
  if (slice.slack.mode === 'socket')
    return { connection: { ...slice.slack, healthPort: slice.port }, standIn: undefined };
  if (slice.slack.mode === 'http') return { connection: slice.slack, standIn: undefined };
  const standIn = await startSlackStandIn({
    print: options.print ?? ((text) => process.stdout.write(text)),
    channels: [
      { id: LOCAL_SLACK.alertChannel, name: 'license-alerts' },
      // Where `pnpm slash` commands come from; the bot is in it, so /licenses <code> can share charts.
      { id: 'CLOCAL', name: 'licenses', botIsMember: true },
    ],
  });
  return {
    connection: {
      mode: 'http',
      botToken: LOCAL_SLACK.botToken,
      signingSecret: LOCAL_SLACK.signingSecret,
      apiUrl: standIn.apiUrl,
      local: true,
    },
    standIn,
  };
}
