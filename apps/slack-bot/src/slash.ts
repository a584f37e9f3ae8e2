#!/usr/bin/env node
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorMessage } from '@licensewatch/schema';
import { ConfigError, LOCAL_SLACK, readBotConfig } from './env.js';
import { slackSignatureHeaders, slashCommandBody } from './slack-signature.js';
import { importSlackStandIn, LocalSlackUnavailableError } from './slack-stand-in.js';

// Sends a correctly signed slash command to the running bot (local or HTTP mode, PORT), receives
// its reply on a response URL of its own, and prints the reply as text.
// Usage: pnpm slash "/licenses low"

async function main(argv: string[]): Promise<void> {
  const input = argv.join(' ').trim() || '/licenses';
  const found = /^(\/\S+)\s*([\s\S]*)$/.exec(input);
  const command = found?.[1] ?? '/licenses';
  const text = found ? (found[2] ?? '') : input;
  const config = readBotConfig();
  if (config.slack.mode === 'socket') throw new Error('the bot runs in Socket Mode: slash needs local or HTTP mode');
  const signingSecret = config.slack.mode === 'http' ? config.slack.signingSecret : LOCAL_SLACK.signingSecret;
  // Replies are printed as the stand-in prints them; where it is not installed (a production bundle,
  // checking a bot in HTTP mode) as the JSON Slack received.
  const renderMessageText = await importSlackStandIn(() => import('@licensewatch/slack-stand-in')).then(
    (standIn) => standIn.renderMessageText,
    (error: unknown) => {
      if (!(error instanceof LocalSlackUnavailableError)) throw error;
      return (payload: unknown) => `${JSON.stringify(payload, null, 2)}\n`;
    },
  );

  let deliver: (body: string) => void = () => undefined;
  const reply = new Promise<string>((resolve) => {
    deliver = resolve;
  });
  const sink = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      deliver(Buffer.concat(chunks).toString('utf8'));
    });
  });
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  const responseUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}/response`;

  const body = slashCommandBody({ command, text, response_url: responseUrl });
  const target = `http://127.0.0.1:${config.port}/slack/events`;
  const started = Date.now();
  let ack: Response;
  try {
    ack = await fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...slackSignatureHeaders(signingSecret, body) },
      body,
    });
  } catch {
    throw new Error(`no bot answering at ${target}: start it first with pnpm start (or set PORT)`);
  }
  process.stdout.write(`${command} ${text}\n(acknowledged: HTTP ${ack.status} in ${Date.now() - started} ms)\n\n`);
  if (!ack.ok) throw new Error(`the bot refused the command (HTTP ${ack.status})`);
  const inAck = (await ack.text()).trim();
  if (inAck) {
    // The bot had everything in memory and answered in the acknowledgement itself.
    process.stdout.write(renderMessageText(JSON.parse(inAck)));
    sink.close();
    return;
  }
  const timer = setTimeout(() => {
    process.stderr.write('slash: no reply within 30 s\n');
    process.exit(1);
  }, 30_000);
  const payload = JSON.parse(await reply);
  clearTimeout(timer);
  process.stdout.write(renderMessageText(payload));
  sink.close();
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`slash: ${errorMessage(error)}\n`);
  process.exit(error instanceof ConfigError ? 64 : 1);
});
