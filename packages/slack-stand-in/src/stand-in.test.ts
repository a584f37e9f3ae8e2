import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { manifestBotScopes } from './manifest.js';
import { type SlackStandIn, startSlackStandIn } from './stand-in.js';

const MANIFEST = fileURLToPath(new URL('../test/fixtures/manifest.yml', import.meta.url));

const TOKEN = 'xoxb-unit-test';
let slack: SlackStandIn | undefined;
afterEach(async () => {
  await slack?.close();
  slack = undefined;
});

async function call(method: string, args: Record<string, unknown> = {}, token: string | null = TOKEN) {
  const response = await fetch(`${slack?.apiUrl}${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(args),
  });
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    body: (await response.json()) as Record<string, unknown>,
  };
}

async function standIn(options: Parameters<typeof startSlackStandIn>[0] = {}) {
  slack = await startSlackStandIn({
    botToken: TOKEN,
    manifest: MANIFEST,
    channels: [
      { id: 'CPUB', name: 'alerts' },
      { id: 'CPRIV', name: 'secret', private: true },
      { id: 'CIN', name: 'in', private: true, botIsMember: true },
      { id: 'COLD', name: 'old', archived: true },
    ],
    ...options,
  });
  return slack;
}

describe('the Slack stand-in is as strict as Slack', () => {
  it("grants exactly the scopes in the app's manifest.yml", async () => {
    await standIn();
    expect(slack?.scopes).toEqual(manifestBotScopes(MANIFEST));
    expect(manifestBotScopes(MANIFEST)).toEqual(
      expect.arrayContaining(['chat:write', 'channels:join', 'channels:history']),
    );
  });

  it('will not start without knowing what the app was granted (no silent all-scopes token)', async () => {
    await expect(startSlackStandIn({ botToken: TOKEN })).rejects.toThrow(/manifest.*scopes/);
  });

  it('checks the token', async () => {
    await standIn();
    expect((await call('auth.test', {}, null)).body.error).toBe('not_authed');
    expect((await call('auth.test', {}, 'xoxb-wrong')).body.error).toBe('invalid_auth');
    expect((await call('auth.test', {}, 'xapp-1-app')).body.error).toBe('not_allowed_token_type');
    expect((await call('auth.test')).body).toMatchObject({ ok: true, user_id: 'ULOCALBOT' });
  });

  it('answers missing_scope with needed and provided', async () => {
    await standIn({ scopes: ['chat:write'] });
    expect((await call('conversations.join', { channel: 'CPUB' })).body).toEqual({
      ok: false,
      error: 'missing_scope',
      needed: 'channels:join',
      provided: 'chat:write',
    });
    expect(slack?.appErrors().map((e) => e.needed)).toEqual(['channels:join']);
  });

  it('knows channels and membership', async () => {
    await standIn();
    // The manifest has no chat:write.public: the bot must join (or be invited to) a public channel first.
    expect((await call('chat.postMessage', { channel: 'CPUB', text: 'hi' })).body.error).toBe('not_in_channel');
    expect((await call('chat.postMessage', { channel: 'CPRIV', text: 'hi' })).body.error).toBe('channel_not_found');
    expect((await call('chat.postMessage', { channel: 'CNONE', text: 'hi' })).body.error).toBe('channel_not_found');
    expect((await call('chat.postMessage', { channel: 'COLD', text: 'hi' })).body.error).toBe('is_archived');
    expect((await call('conversations.history', { channel: 'CPUB' })).body.error).toBe('not_in_channel');
    expect((await call('conversations.join', { channel: 'CIN' })).body.error).toBe(
      'method_not_supported_for_channel_type',
    );
    expect((await call('conversations.join', { channel: 'CPUB' })).body.ok).toBe(true);
    expect((await call('conversations.info', { channel: 'CPUB' })).body.channel).toMatchObject({ is_member: true });
    expect((await call('chat.postMessage', { channel: 'CPUB', text: 'hi' })).body.ok).toBe(true);
  });

  it('lets an app with chat:write.public post to a public channel it is not in, never a private one', async () => {
    await standIn({ scopes: ['chat:write', 'chat:write.public'] });
    expect((await call('chat.postMessage', { channel: 'CPUB', text: 'hi' })).body.ok).toBe(true);
    expect((await call('chat.postMessage', { channel: 'CPRIV', text: 'hi' })).body.error).toBe('channel_not_found');
  });

  it('refuses empty posts, updates of other messages, and hides metadata unless asked', async () => {
    await standIn();
    expect((await call('chat.postMessage', { channel: 'CIN' })).body.error).toBe('no_text');
    const metadata = { event_type: 't', event_payload: { id: 'x' } };
    const posted = await call('chat.postMessage', { channel: 'CIN', text: 'hi', metadata });
    expect((await call('chat.update', { channel: 'CIN', ts: '1.000001', text: 'x' })).body.error).toBe(
      'message_not_found',
    );
    expect(
      (await call('chat.update', { channel: 'CIN', ts: posted.body.ts, text: 'x'.repeat(4_001) })).body.error,
    ).toBe('msg_too_long');
    const plain = await call('conversations.history', { channel: 'CIN' });
    expect((plain.body.messages as { metadata?: unknown }[])[0]?.metadata).toBeUndefined();
  });

  it('rate-limits posts per channel and history at 1 a minute, 15 messages, with an integer Retry-After', async () => {
    await standIn();
    const answers = [];
    for (let i = 0; i < 5; i += 1) answers.push(await call('chat.postMessage', { channel: 'CIN', text: `m${i}` }));
    const limited = answers.find((a) => a.status === 429);
    expect(limited?.body).toEqual({ ok: false, error: 'ratelimited' });
    expect(limited?.retryAfter).toMatch(/^\d+$/);
    const history = await call('conversations.history', { channel: 'CIN', limit: 200, include_all_metadata: true });
    expect((history.body.messages as unknown[]).length).toBeLessThanOrEqual(15);
    const again = await call('conversations.history', { channel: 'CIN' });
    expect(again.status).toBe(429);
    expect(Number(again.retryAfter)).toBeGreaterThanOrEqual(1);
  });
});

describe('the Slack stand-in cleans up after itself', () => {
  it('stores uploads in a temporary folder of its own and removes it on close', async () => {
    const { existsSync } = await import('node:fs');
    const { dirname } = await import('node:path');
    const box = await standIn();
    const started = await call('files.getUploadURLExternal', { filename: 'chart.png', length: 3 });
    expect(started.body.ok).toBe(true);
    await fetch(String(started.body.upload_url), { method: 'POST', body: 'PNG' });
    const done = await call('files.completeUploadExternal', { files: [{ id: started.body.file_id }] });
    expect(done.body.ok).toBe(true);
    const path = String(box.files.byId.get(String(started.body.file_id))?.path);
    expect(existsSync(path)).toBe(true);
    expect(dirname(path)).toMatch(/licensewatch-slack-uploads-/);
    await box.close();
    slack = undefined;
    expect(existsSync(dirname(path))).toBe(false);
  });

  it('stalls a method on request (Slack slow on it) and answers the waiting calls once released', async () => {
    await standIn();
    slack?.holdCalls('auth.test', true);
    let answered = false;
    const pending = call('auth.test').then((answer) => {
      answered = true;
      return answer;
    });
    expect((await call('conversations.info', { channel: 'CPUB' })).body.ok).toBe(true); // other methods go on
    expect(answered).toBe(false);
    slack?.holdCalls('auth.test', false);
    expect((await pending).body).toMatchObject({ ok: true, user_id: 'ULOCALBOT' });
  });
});
