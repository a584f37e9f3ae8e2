import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buffer } from 'node:stream/consumers';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { type SlackStandIn, startSlackStandIn } from '../stand-in.js';

// The web view against a fake app that checks Slack's signature with its own HMAC code.

const MANIFEST = fileURLToPath(new URL('../../test/fixtures/manifest.yml', import.meta.url));
const SECRET = 'view-test-signing-secret';
let slack: SlackStandIn | undefined;
let app: Server | undefined;
afterEach(async () => {
  await slack?.close();
  await new Promise((resolve) => (app ? app.close(resolve) : resolve(undefined)));
  slack = undefined;
  app = undefined;
});

interface AppRequest {
  contentType: string;
  body: string;
  signed: boolean;
}

/** A fake app: records each request and whether Slack's v0 signature over it is right. */
async function fakeApp(answer: (request: AppRequest) => { status?: number; body?: string; delayMs?: number }) {
  const received: AppRequest[] = [];
  app = createServer(async (req: IncomingMessage, res) => {
    const body = (await buffer(req)).toString('utf8');
    const ts = String(req.headers['x-slack-request-timestamp']);
    const expected = `v0=${createHmac('sha256', SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
    const request = {
      contentType: String(req.headers['content-type']),
      body,
      signed: req.headers['x-slack-signature'] === expected && Math.abs(Date.now() / 1000 - Number(ts)) < 300,
    };
    received.push(request);
    const { status = 200, body: reply = '', delayMs = 0 } = answer(request);
    setTimeout(() => res.writeHead(status, { 'content-type': 'application/json' }).end(reply), delayMs);
  });
  await new Promise<void>((resolve) => app?.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(app.address() as AddressInfo).port}/slack/events`, received };
}

async function standIn() {
  slack = await startSlackStandIn({
    manifest: MANIFEST,
    appName: 'testapp',
    user: { id: 'UVIEWER', name: 'viewer' },
    channels: [{ id: 'CHERE', name: 'here', botIsMember: true }],
  });
  return slack;
}

const post = (path: string, body: unknown, contentType = 'application/json') =>
  fetch(`${slack?.url}/local/${path}`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: JSON.stringify(body),
  });
const view = async (channel: string) =>
  (await (await fetch(`${slack?.url}/local/view?channel=${channel}`)).json()) as {
    conversation: string;
    sidebar: string;
  };

describe('the local Slack web view', () => {
  it('sends a typed slash command as Slack does: signed form fields, and shows the reply in the ack', async () => {
    const target = await fakeApp(() => ({ body: JSON.stringify({ text: 'Licenses: 3 products' }) }));
    (await standIn()).connectApp({ requestUrl: target.url, signingSecret: SECRET });
    expect((await post('command', { channel: 'CHERE', text: '/licenses low' })).status).toBe(200);
    const [request] = target.received;
    expect(request?.signed).toBe(true);
    expect(request?.contentType).toBe('application/x-www-form-urlencoded');
    const fields = Object.fromEntries(new URLSearchParams(request?.body));
    expect(fields).toMatchObject({ command: '/licenses', text: 'low', channel_id: 'CHERE', user_id: 'UVIEWER' });
    expect(fields.response_url).toMatch(new RegExp(`^${slack?.url}/response/`));
    const { conversation, sidebar } = await view('CHERE');
    expect(sidebar).toContain('# here');
    expect(conversation).toContain('You used /licenses low');
    expect(conversation).toMatch(
      /testapp<small>Only visible to you<\/small><\/div><div class="section">Licenses: 3 products/,
    );
  });

  it('sends a button press as a signed block_actions payload naming the message it was on', async () => {
    const target = await fakeApp(() => ({}));
    (await standIn()).connectApp({ requestUrl: target.url, signingSecret: SECRET });
    const posted = await fetch(`${slack?.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer xoxb-slack-stand-in-not-a-real-token' },
      body: JSON.stringify({
        channel: 'CHERE',
        text: 'Low: Apex',
        blocks: [
          {
            type: 'actions',
            block_id: 'b1',
            elements: [
              { type: 'button', action_id: 'ack', value: 'P1', text: { type: 'plain_text', text: 'Acknowledge' } },
            ],
          },
        ],
      }),
    });
    const { ts } = (await posted.json()) as { ts: string };
    await post('press', { entry: `CHERE:${ts}`, block: 0, element: '0' });
    const [request] = target.received;
    expect(request?.signed).toBe(true);
    const payload = JSON.parse(new URLSearchParams(request?.body).get('payload') ?? '{}');
    expect(payload).toMatchObject({
      type: 'block_actions',
      user: { id: 'UVIEWER' },
      container: { type: 'message', channel_id: 'CHERE', message_ts: ts, is_ephemeral: false },
      actions: [{ type: 'button', action_id: 'ack', block_id: 'b1', value: 'P1' }],
    });
    // Its response URL answers 5 times, then Slack's limit applies.
    const uses = [];
    for (let i = 0; i < 6; i += 1)
      uses.push((await fetch(payload.response_url, { method: 'POST', body: '{"text":"ok"}' })).status);
    expect(uses).toEqual([200, 200, 200, 200, 200, 404]);
  });

  it('says so in the channel when the app does not acknowledge within 3 seconds or fails', async () => {
    const target = await fakeApp((request) => (request.body.includes('slow') ? { delayMs: 3_500 } : { status: 500 }));
    (await standIn()).connectApp({ requestUrl: target.url, signingSecret: SECRET });
    await post('command', { channel: 'CHERE', text: '/licenses slow' });
    await post('command', { channel: 'CHERE', text: '/licenses broken' });
    const { conversation } = await view('CHERE');
    expect(conversation).toContain('/licenses failed: testapp did not answer within 3 seconds');
    expect(conversation).toContain('/licenses failed: testapp answered HTTP 500');
  }, 15_000);

  it('accepts its own POSTs as JSON only (another site cannot submit a form to it)', async () => {
    await standIn();
    expect((await post('command', { channel: 'CHERE', text: '/licenses' }, 'text/plain')).status).toBe(415);
    expect((await fetch(`${slack?.url}/local/files/FNONE`)).status).toBe(404);
  });
});
