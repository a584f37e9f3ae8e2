import { RateLimits, tierLimit } from '@licensewatch/slack-stand-in';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MethodPacer, SLACK_METHOD_BUDGETS } from './slack-pacing.js';

beforeEach(() => {
  vi.useFakeTimers({ now: 1_800_000_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

const UPLOAD = 'files.completeUploadExternal';

describe('MethodPacer: Tier-limited calls paced per method', () => {
  it("lets 300 chart uploads through without one call Slack (the stand-in's Tier 4 model) would refuse", async () => {
    const pacer = new MethodPacer(SLACK_METHOD_BUDGETS);
    const slack = new RateLimits();
    const refused: number[] = [];
    let done = 0;
    for (let i = 0; i < 300; i += 1)
      void pacer.take(UPLOAD, true).then(() => {
        if (slack.take(UPLOAD, tierLimit(4), Date.now()) !== undefined) refused.push(i);
        done += 1;
      });
    await vi.advanceTimersByTimeAsync(4 * 60_000);
    expect(done).toBe(300);
    expect(refused).toEqual([]);
    // …and no faster than the tier allows: 300 calls take about three minutes, not one.
    expect(Date.now()).toBeGreaterThan(1_800_000_000_000 + 2.5 * 60_000);
  });

  it('serves a person before queued background work, at once while background leaves headroom', async () => {
    const pacer = new MethodPacer(SLACK_METHOD_BUDGETS);
    const order: string[] = [];
    for (let i = 0; i < 100; i += 1) void pacer.take(UPLOAD, true).then(() => order.push(`chart ${i}`));
    await vi.advanceTimersByTimeAsync(0);
    const burst = order.length;
    expect(burst).toBeLessThan(SLACK_METHOD_BUDGETS[UPLOAD]?.burst ?? 0); // headroom kept for people
    const started = Date.now();
    let servedAt = 0;
    void pacer.take(UPLOAD, false).then(() => {
      servedAt = Date.now();
      order.push('person');
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(servedAt).toBe(started); // a token was left for them
    expect(order.indexOf('person')).toBe(burst);
    expect(pacer.waiting(UPLOAD)).toBe(100 - burst);
  });

  it('never holds up another method: alerts do not wait behind charts', async () => {
    const pacer = new MethodPacer(SLACK_METHOD_BUDGETS);
    for (let i = 0; i < 200; i += 1) void pacer.take(UPLOAD, true);
    let posted = false;
    void pacer.take('chat.postMessage', true).then(() => {
      posted = true;
    });
    let updated = false;
    void pacer.take('chat.update', true).then(() => {
      updated = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(posted).toBe(true);
    expect(updated).toBe(true);
  });
});
