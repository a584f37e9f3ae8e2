// Pacing of Tier-limited Slack calls, end to end: the first poll of a large catalogue (100 pools
// critical at once) through the real bot and the strict Slack stand-in, which answers 429 as Slack
// does past a method's tier or a channel's posting pace. The alerts go out at Slack's pace, none of
// them waits for a chart, and the charts follow in their threads without one 429.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ALERTS_CHANNEL, type Harness, startHarness } from './harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  harness?.slack.holdCalls('files.completeUploadExternal', false); // a failed test leaves no upload stalled
  await harness?.close();
  harness = undefined;
});

const CRITICAL_POOLS = 100;

function criticalCatalogue(count: number) {
  return Array.from({ length: count }, (_, i) => ({
    product_id: `0000${String(i).padStart(4, '0')}-aaaa-4bbb-8ccc-000000000000`,
    product_code: `CRIT${String(i).padStart(3, '0')}X`,
    product_name: `Critical Product ${i}`,
    type: 'SaaS',
    version: 'Full',
    available: 5, // below the default critical level: every pool alerts on the first poll
    service_plans: [],
  }));
}

describe('a large first poll through the real bot and the strict Slack stand-in', () => {
  it('posts every alert while chart uploads are stalled, then shares the charts in their threads, with no 429', async () => {
    harness = await startHarness({ sandbox: { catalogue: criticalCatalogue(CRITICAL_POOLS) } });
    const h = harness;
    const alertPosts = () =>
      h.slack.messages.filter(
        (m) => m.kind === 'chat.postMessage' && m.target === ALERTS_CHANNEL.id && m.payload.thread_ts === undefined,
      );
    const charts = () =>
      h.slack.messages.filter((m) => m.kind === 'files.completeUploadExternal' && m.target === ALERTS_CHANNEL.id);

    // Slack is slow on uploads: no chart can be completed until the alerts are all out.
    h.slack.holdCalls('files.completeUploadExternal', true);
    // Resolves once the poll's alerts are delivered: were an alert held behind a chart, it would not.
    await h.bot.poller.poll();
    const digests = alertPosts();
    expect(digests).toHaveLength(CRITICAL_POOLS / 20); // 20 products per digest
    expect(digests.map((d) => d.payload.text)).toEqual(
      digests.map(() => expect.stringMatching(/^20 license pools need attention \(20 critical\)/)),
    );
    expect(charts()).toEqual([]); // every alert went out without waiting for a chart

    h.slack.holdCalls('files.completeUploadExternal', false);
    // Three charts per alert, each in its alert's thread.
    await vi.waitFor(() => expect(charts()).toHaveLength(digests.length * 3), { timeout: 120_000, interval: 250 });
    const threads = charts().map((c) => {
      const fileId = (c.payload.files as { id: string }[])[0]?.id ?? '';
      return h.slack.files.byId.get(fileId)?.shares[0]?.threadTs;
    });
    for (const digest of digests) expect(threads.filter((ts) => ts === digest.ts)).toHaveLength(3);

    expect(h.slack.refused.filter((r) => r.error === 'ratelimited')).toEqual([]);
  }, 180_000);
});
