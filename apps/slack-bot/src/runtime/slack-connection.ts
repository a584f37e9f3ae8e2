import type { SlackStandIn } from '@licensewatch/slack-stand-in';
import type { SlackConnection } from '../app.js';
import { LOCAL_SLACK, type SlackSettings } from '../env.js';
import { MANIFEST_PATH } from '../manifest-path.js';
import { importSlackStandIn } from '../slack-stand-in.js';

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
 * stand-in on loopback (@licensewatch/slack-stand-in) that prints what the bot posts and serves the
 * local web view.
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
  // Loaded only here: the stand-in is a devDependency, which production installs leave out.
  const { startSlackStandIn } = await importSlackStandIn(() => import('@licensewatch/slack-stand-in'));
  const standIn = await startSlackStandIn({
    print: options.print ?? ((text) => process.stdout.write(text)),
    botToken: LOCAL_SLACK.botToken,
    manifest: MANIFEST_PATH,
    // The local web view (/local): the person using it is local mode's admin.
    appName: 'licensewatch',
    user: { id: LOCAL_SLACK.adminUserId, name: 'local-user' },
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
