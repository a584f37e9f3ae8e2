import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { type SlackStandIn, startSlackStandIn } from './stand-in.js';

const TOKEN = 'xoxb-visibility-test';
const MANIFEST = fileURLToPath(new URL('../test/fixtures/manifest.yml', import.meta.url));
let slack: SlackStandIn | undefined;
afterEach(async () => {
  await slack?.close();
  slack = undefined;
});

async function call(method: string, args: Record<string, unknown>) {
  const response = await fetch(`${slack?.apiUrl}${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify(args),
  });
  return (await response.json()) as Record<string, unknown>;
}

/** Uploads a small file and shares it into `channel`; resolves with its id. */
async function shareInto(channel: string): Promise<string> {
  const bytes = Buffer.from('png-bytes');
  const started = await call('files.getUploadURLExternal', {
    filename: 'c.png',
    length: bytes.length,
    alt_txt: 'a chart',
  });
  await fetch(String(started.upload_url), { method: 'POST', body: bytes });
  const done = await call('files.completeUploadExternal', {
    files: [{ id: started.file_id, title: 't' }],
    channel_id: channel,
  });
  expect(done.ok).toBe(true);
  return String(started.file_id);
}

const imageOf = (file: string) => [{ type: 'image', slack_file: { id: file }, alt_text: 'chart' }];

describe('the stand-in keeps a file shared in a DM private', () => {
  it('opens one DM per person (im:write) with only the bot and that person in it', async () => {
    slack = await startSlackStandIn({ botToken: TOKEN, manifest: MANIFEST });
    const first = await call('conversations.open', { users: 'U0AAA' });
    const again = await call('conversations.open', { users: 'U0AAA' });
    const other = await call('conversations.open', { users: 'U0BBB' });
    expect((first.channel as { id: string }).id).toMatch(/^D/);
    expect(again.channel).toEqual(first.channel);
    expect(other.channel).not.toEqual(first.channel);
    expect((await call('conversations.open', {})).error).toBe('users_list_not_supplied');
  });

  it('refuses conversations.open without im:write', async () => {
    slack = await startSlackStandIn({ botToken: TOKEN, scopes: ['chat:write', 'files:write'] });
    expect(await call('conversations.open', { users: 'U0AAA' })).toMatchObject({
      error: 'missing_scope',
      needed: 'im:write',
    });
  });

  it("flags a channel post or someone else's reply that shows a file shared only in a DM", async () => {
    slack = await startSlackStandIn({
      botToken: TOKEN,
      manifest: MANIFEST,
      channels: [{ id: 'CPUB', name: 'pub', botIsMember: true }],
    });
    const dm = (await call('conversations.open', { users: 'U0AAA' })).channel as { id: string };
    const file = await shareInto(dm.id);
    const inChannel = await call('chat.postMessage', { channel: 'CPUB', text: 'x', blocks: imageOf(file) });
    expect(inChannel.ok).toBe(true); // Slack itself posts it; viewers get a broken image: the stand-in reports it
    const post = slack.messages.find((m) => m.kind === 'chat.postMessage');
    expect(post?.violations.join()).toContain('cannot see');

    const mine = slack.responseUrl('r-mine', 'U0AAA');
    const theirs = slack.responseUrl('r-theirs', 'U0BBB');
    for (const url of [mine, theirs])
      await fetch(url, { method: 'POST', body: JSON.stringify({ text: 'x', blocks: imageOf(file) }) });
    const reply = (id: string) => slack?.messages.find((m) => m.kind === 'response' && m.target === id);
    expect(reply('r-mine')?.violations).toEqual([]);
    expect(reply('r-theirs')?.violations.join()).toContain('U0BBB cannot see');

    // Shared into the channel too: now everyone there can see it.
    const shared = await shareInto('CPUB');
    await call('chat.postMessage', { channel: 'CPUB', text: 'y', blocks: imageOf(shared) });
    expect(slack.messages.filter((m) => m.kind === 'chat.postMessage').at(-1)?.violations).toEqual([]);
  });

  it('refuses an upload into a channel the bot is not in, and alt_txt over 1,000 characters', async () => {
    slack = await startSlackStandIn({ botToken: TOKEN, manifest: MANIFEST, channels: [{ id: 'CPUB', name: 'pub' }] });
    const started = await call('files.getUploadURLExternal', { filename: 'c.png', length: 3 });
    await fetch(String(started.upload_url), { method: 'POST', body: Buffer.from('abc') });
    expect(
      (await call('files.completeUploadExternal', { files: [{ id: started.file_id }], channel_id: 'CPUB' })).error,
    ).toBe('not_in_channel');
    expect(
      (await call('files.getUploadURLExternal', { filename: 'c.png', length: 3, alt_txt: 'a'.repeat(1_001) })).error,
    ).toBe('alt_txt_too_large');
  });
});
