// When the client waits before trying LMPI again: backoff with jitter, LMPI's Retry-After, and a
// wait a caller can cancel.
import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_RETRY_POLICY, parseRetryAfter, sleep } from './retry.js';

describe('backoffDelay', () => {
  const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 300, maxDelayMs: 5_000 };

  it('doubles per retry, waiting between half and all of it (equal jitter)', () => {
    expect([0, 1, 2].map((retry) => backoffDelay(policy, retry, () => 0))).toEqual([150, 300, 600]);
    expect([0, 1, 2].map((retry) => backoffDelay(policy, retry, () => 1))).toEqual([300, 600, 1_200]);
    expect(backoffDelay(policy, 1, () => 0.5)).toBe(450);
  });

  it('never waits longer than the cap', () => {
    expect(backoffDelay(policy, 10, () => 1)).toBe(5_000);
    expect(backoffDelay(policy, 10, () => 0)).toBe(2_500);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-12-03T08:00:00Z');

  it('reads whole seconds, with surrounding spaces', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 5 ', now)).toBe(5_000);
  });

  it('reads an HTTP date as the time left until it, never negative', () => {
    expect(parseRetryAfter('Thu, 03 Dec 2026 08:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Thu, 03 Dec 2026 07:59:00 GMT', now)).toBe(0);
  });

  it('ignores what it cannot read', () => {
    for (const header of [null, '', 'soon', '5s', 'in 5 seconds'])
      expect(parseRetryAfter(header, now), header ?? 'null').toBeUndefined();
  });
});

describe('sleep', () => {
  it('waits, or stops waiting with the reason the moment the caller gives up', async () => {
    await expect(sleep(1)).resolves.toBeUndefined();
    const gone = new AbortController();
    gone.abort(new Error('shutting down'));
    await expect(sleep(60_000, gone.signal)).rejects.toThrow('shutting down');
    const later = new AbortController();
    const waiting = sleep(60_000, later.signal);
    later.abort(new Error('cancelled'));
    await expect(waiting).rejects.toThrow('cancelled');
  });
});
