import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, productLines, settled, startHarness } from './harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
type Block = { type: string; slack_file?: { id: string }; alt_text?: string; text?: { text: string } };

describe('/licenses <code>: one product with its 30-day chart (real Bolt, stand-in file upload)', () => {
  it('uploads a PNG through the upload flow, shares it, and replies with it', async () => {
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
    // Shared into the channel the command came from, and the bytes arrived intact.
    const shares = h.slack.messages.filter((m) => m.kind === 'files.completeUploadExternal' && m.target === 'CLOCAL');
    expect(shares.map((m) => (m.payload.files as { id: string }[])[0]?.id)).toEqual([fileId]);
    const file = h.slack.files.byId.get(fileId);
    expect(file?.bytes?.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(file?.bytes?.readUInt32BE(16)).toBe(960);
    expect(file?.shares).toEqual([{ channel: 'CLOCAL', threadTs: undefined }]);
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
    // The bot is not in the channel: Slack refuses to share the file.
    const original = h.slack.files.complete;
    h.slack.files.complete = () => ({ ok: false, error: 'not_in_channel' });
    const refused = await (await h.slash('NNZBXXE1X')).reply(20_000);
    h.slack.files.complete = original;
    expect(refused.violations).toEqual([]);
    expect(JSON.stringify(refused.payload.blocks)).toContain(
      'No chart: invite the bot to this channel to see charts (Slack said not_in_channel)',
    );
    const partial = await (await h.slash('NNZBXXE1')).reply();
    expect(productLines(partial)).toHaveLength(1);
  });
});
