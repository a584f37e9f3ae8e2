import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from '@slack/bolt';
import type { SlackConnection } from '../app.js';

/** Where the bot listens: its URL (for logs, `pnpm slash` and tests) and port. */
export interface Listening {
  url: string;
  port: number;
}

/**
 * Starts the Bolt app's HTTP surface: `/slack/events` and the operations routes on `port` (HTTP
 * mode; port 0 picks a free one), or, in Socket Mode, the receiver's server for the probes and
 * metrics only. Local mode answers this machine only; HTTP mode must be reachable by Slack.
 *
 * @example
 * ```ts
 * const { url } = await listen(app, connection, { port: 3000 })
 * ```
 */
export async function listen(
  app: App,
  connection: SlackConnection,
  where: { port: number; host?: string | undefined },
): Promise<Listening> {
  if (connection.mode === 'socket') {
    await app.start();
    return { url: `http://127.0.0.1:${where.port}`, port: where.port };
  }
  const host = where.host ?? (connection.local ? '127.0.0.1' : undefined);
  const server = (await app.start({ port: where.port, ...(host ? { host } : {}) })) as Server;
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, port };
}
