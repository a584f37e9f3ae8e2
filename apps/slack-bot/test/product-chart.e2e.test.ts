import { afterEach, describe, expect, it } from 'vitest';
import { buttons, type Harness, productLines, settled, startHarness } from './harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
type Block = { type: string; slack_file?: { id: string }; alt_text?: string; text?: { text: string } };

describe('/licenses <code>: one product with its 30-day chart (real Bolt, stand-in file upload)', () => {
  it("uploads a PNG through the upload flow into the requester's DM only, and replies with it", async () => {
    harness = await startHarness();
    const h = harness;
    await settled(h);
    await h.bot.poller.poll();
    const reply = await (await h.slash('aaaqxxe1x')).reply(20_000);
    expect(reply.violations).toEqual([]);
    expect(reply.payload.text).toBe('Trend Micro Apex One Advanced (AAAQXXE1X): 1,944 available, OK');
    const blocks = reply.payload.blocks as Block[];
    const image = blocks.find((b) => b.type === 'image');
    const fileId = image?.slack_file?.id ?? '';
    expect(image?.alt_text).toContain('30-day chart of available licenses for Trend Micro Apex One Advanced');
    // Shared only into the requester's DM with the bot (nobody else is in it), never the channel.
    // (Critical alerts of the first poll share their charts in #alerts threads: not this request's.)
    const uploads = h.slack.messages.filter((m) => m.kind === 'files.completeUploadExternal' && m.target !== 'CALERTS');
    expect(uploads).toHaveLength(1);
    const dm = uploads[0]?.target ?? '';
    expect(dm).toMatch(/^D/);
    expect(h.slack.calls.get('conversations.open')).toBe(1);
    expect(uploads.map((m) => (m.payload.files as { id: string }[])[0]?.id)).toEqual([fileId]);
    const file = h.slack.files.byId.get(fileId);
    expect(file?.bytes?.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    // A screen reader describes the file itself too (the upload's alt text, under the method's own name).
    expect(file?.altText).toContain('30-day chart of available licenses for Trend Micro Apex One Advanced');
    expect(file?.bytes?.readUInt32BE(16)).toBe(960);
    expect(file?.shares).toEqual([{ channel: dm, threadTs: undefined }]);
    expect(h.slack.messages.some((m) => m.target === 'CLOCAL' && m.kind !== 'response')).toBe(false);
    expect(file?.path).toMatch(/AAAQ|aaaq/i);
    const text = JSON.stringify(blocks);
    expect(text).toContain('*Rule in force* (the default levels)');
    expect(text).toContain('Low at ≤ 100 or within 14 d of empty · critical at ≤ 20 or within 3 d of empty');
    expect(text).toContain('*Burn rate*\\nNot enough data yet');
    expect(text).toContain('No open alert.');
    // The other section of this view (who took its licenses) sits before the footer.
    expect(text).toContain('Who took its licenses');
    expect(blocks.at(-1)?.type).toBe('context');
  });

  it('still answers, saying why, when Slack refuses the upload; part of a code is still a search', async () => {
    harness = await startHarness();
    const h = harness;
    await settled(h);
    const reply = await (await h.slash('NNZBXXE1X')).reply(20_000);
    expect(reply.violations).toEqual([]);
    expect((reply.payload.blocks as Block[]).some((b) => b.type === 'image')).toBe(true);
    // Slack refuses to share the file: the reply still comes, saying why.
    const original = h.slack.files.complete;
    h.slack.files.complete = () => ({ ok: false, error: 'file_not_found' });
    const refused = await (await h.slash('NNZBXXE1X')).reply(20_000);
    h.slack.files.complete = original;
    expect(refused.violations).toEqual([]);
    expect(JSON.stringify(refused.payload.blocks)).toContain('No chart: the upload failed (file_not_found)');
    const partial = await (await h.slash('NNZBXXE1')).reply();
    expect(productLines(partial)).toHaveLength(1);
  });

  it('shares the chart with the channel only when the requester presses Share, naming who shared it', async () => {
    harness = await startHarness();
    const h = harness;
    await settled(h);
    const reply = await (await h.slash('NNZBXXE1X')).reply(20_000);
    const share = buttons(reply).find((b) => b.action_id === 'chart_share');
    expect(share?.value).toBe('NNZBXXE1X');
    expect(h.slack.messages.filter((m) => m.target === 'CLOCAL' && m.kind === 'files.completeUploadExternal')).toEqual(
      [],
    );
    const clicked = await h.click(share ?? { action_id: '', value: '' });
    expect(clicked.status).toBe(200);
    const answer = await clicked.reply(20_000);
    expect(answer.payload.text).toBe('Shared the chart in this channel.');
    const shared = h.slack.messages.find((m) => m.target === 'CLOCAL' && m.kind === 'files.completeUploadExternal');
    expect(shared?.payload.initial_comment).toBe(
      '<@ULOCALUSER> shared the 30-day chart of *Worry-Free Business Security Services* `NNZBXXE1X`',
    );
    const fileId = ((shared?.payload.files ?? []) as { id: string }[])[0]?.id ?? '';
    expect(h.slack.files.byId.get(fileId)?.shares).toEqual([{ channel: 'CLOCAL', threadTs: undefined }]);
  });

  it('says how to fix it when Share is pressed in a channel the bot is not in', async () => {
    harness = await startHarness({
      channels: [
        { id: 'CALERTS', name: 'alerts' },
        { id: 'CLOCAL', name: 'licenses' },
      ],
    });
    const h = harness;
    await settled(h);
    const reply = await (await h.slash('NNZBXXE1X')).reply(20_000);
    // The private chart works anywhere: it goes to the DM, not the channel.
    expect((reply.payload.blocks as Block[]).some((b) => b.type === 'image')).toBe(true);
    const clicked = await h.click({ action_id: 'chart_share', value: 'NNZBXXE1X' });
    const answer = await clicked.reply(20_000);
    expect(answer.payload.text).toContain('licensewatch is not in this channel. `/invite @licensewatch` first');
    expect(h.slack.messages.some((m) => m.target === 'CLOCAL' && m.kind !== 'response')).toBe(false);
  });
});
