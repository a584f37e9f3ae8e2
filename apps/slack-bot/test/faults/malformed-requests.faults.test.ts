// Fault case 2: no input crashes the process. Signed but malformed bodies (Bolt 5.1 crashed on
// `payload=null`), timestamps from the future, and a response_url that is not Slack's, sent to
// a real bot process.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSandbox } from '@licensewatch/lmpi-sandbox';
import { type SlackStandIn, startSlackStandIn } from '@licensewatch/slack-stand-in';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANIFEST_PATH } from '../../src/manifest-path.js';
import { slackSignatureHeaders, slashCommandBody } from '../../src/slack-signature.js';
import { healthyCatalogue } from '../catalogues.js';
import { ALERTS_CHANNEL, assertNoAppErrors } from '../harness.js';
import { type BotProcess, spawnBot } from '../processes.js';
import { NONE, reportFault } from './fault-summary.js';

const SECRET = 'fault-test-signing-secret';
let cleanups: (() => Promise<unknown> | unknown)[] = [];
// One bot process for every case (fewer processes under a loaded CI): each case checks it is alive.
let world: { bot: BotProcess; slack: SlackStandIn };
beforeAll(async () => {
  world = await startBot();
}, 30_000);
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

async function startBot(): Promise<{ bot: BotProcess; slack: SlackStandIn }> {
  const slack = await startSlackStandIn({
    manifest: MANIFEST_PATH,
    botToken: 'xoxb-fault-test',
    channels: [ALERTS_CHANNEL],
  });
  const sandbox = await createSandbox({ catalogue: healthyCatalogue() });
  cleanups.push(
    () => assertNoAppErrors(slack),
    () => slack.close(),
    () => sandbox.close(),
  );
  const { accessToken, secretKey } = sandbox.credentials.distributor;
  const bot = await spawnBot({
    SLACK_BOT_TOKEN: 'xoxb-fault-test',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.apiUrl,
    LMPI_BASE_URL: sandbox.url,
    LMPI_ACCESS_TOKEN: accessToken,
    LMPI_SECRET_KEY: secretKey,
    DATABASE_URL: 'sqlite::memory:',
    ALERT_CHANNEL: 'CALERTS',
    POLL_INTERVAL: '1h',
  });
  cleanups.push(() => bot.child.kill('SIGKILL'));
  return { bot, slack };
}

async function post(
  bot: BotProcess,
  body: string,
  contentType: string,
  timestamp = Math.floor(Date.now() / 1000),
): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${bot.port}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': contentType, ...slackSignatureHeaders(SECRET, body, timestamp) },
    body,
  });
  await response.arrayBuffer();
  return response.status;
}

const FORM = 'application/x-www-form-urlencoded';
const alive = (bot: BotProcess) => bot.child.exitCode === null && bot.child.signalCode === null;

describe('fault 2: malformed and hostile requests', () => {
  it('answers 4xx to signed malformed bodies and keeps serving', async () => {
    const { bot, slack } = world;
    const bodies: [string, string][] = [
      ['payload=null', FORM],
      ['payload=1', FORM],
      ['payload=%22text%22', FORM],
      ['payload=%5B%5D', FORM],
      ['payload=%7Bnot%20json', FORM],
      ['null', 'application/json'],
      ['{not json', 'application/json'],
      ['[1,2]', 'application/json'],
      // Objects Bolt cannot make sense of: an action without user, actions or anything else.
      [`payload=${encodeURIComponent('{"type":"block_actions"}')}`, FORM],
      [`payload=${encodeURIComponent('{"type":"block_actions","actions":[null]}')}`, FORM],
    ];
    const statuses: number[] = [];
    for (const [body, type] of bodies) statuses.push(await post(bot, body, type));
    expect(statuses.filter((s) => s < 400 || s >= 500)).toEqual([]);
    // Still answering afterwards.
    const id = randomUUID();
    const status = await post(bot, slashCommandBody({ text: '', response_url: slack.responseUrl(id) }), FORM);
    expect(status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const counts = reportFault('malformed-bodies', { ...NONE, crashes: alive(bot) ? 0 : 1 });
    expect(counts).toEqual(NONE);
    expect(bot.output()).not.toMatch(/Cannot read properties of null/);
  });

  it('refuses timestamps more than 5 minutes away in either direction with 401', async () => {
    const { bot, slack } = world;
    const body = slashCommandBody({ text: '', response_url: slack.responseUrl() });
    const now = Math.floor(Date.now() / 1000);
    expect(await post(bot, body, FORM, now + 301)).toBe(401);
    expect(await post(bot, body, FORM, now + 86_400)).toBe(401);
    expect(await post(bot, body, FORM, now - 301)).toBe(401);
    expect(await post(bot, body, FORM, now + 60)).toBe(200); // ordinary clock skew is fine
    expect(alive(bot)).toBe(true);
  });

  it('never sends a reply to a response_url that is not Slack', async () => {
    const { bot } = world;
    let hits = 0;
    const foreign = createServer((_req, res) => {
      hits += 1;
      res.end('ok');
    });
    await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => foreign.close(resolve)));
    const url = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}/steal`;
    // An admin command is always answered through respond(), i.e. the response_url.
    const status = await post(bot, slashCommandBody({ text: 'mute TESTP0XXX 1d', response_url: url }), FORM);
    expect(status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(hits).toBe(0);
    expect(bot.output()).toContain('refused to send to a URL that is not Slack');
    const counts = reportFault('foreign-response-url', { ...NONE, crashes: alive(bot) ? 0 : 1, false: hits });
    expect(counts).toEqual(NONE);
  });
});
