// When the client waits before trying LMPI again: backoff with jitter, LMPI's Retry-After, and a
// wait a caller can cancel.
import { describe, expect, it } from 'vitest';
import {
  backoffDelay,
  DEFAULT_RETRY_POLICY,
  isRetryableStatus,
  nextRetryDelay,
  parseRetryAfter,
  sleep,
} from './retry.js';

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

describe('the retry policy shared with the bot (isRetryableStatus, other jitters, nextRetryDelay)', () => {
  it('retries timeouts, rate limits and server errors, never a request LMPI or PagerDuty refused', () => {
    expect([408, 429, 500, 502, 503].map(isRetryableStatus)).toEqual([true, true, true, true, true]);
    expect([400, 401, 403, 404, 415].map(isRetryableStatus)).toEqual([false, false, false, false, false]);
  });

  it('spreads `full` jitter from 0 to the backoff', () => {
    const policy = { baseDelayMs: 100, maxDelayMs: 1_000, jitter: 'full' as const };
    expect([0, 1, 2, 3, 4, 10].map((retry) => backoffDelay(policy, retry, () => 1))).toEqual([
      100, 200, 400, 800, 1_000, 1_000,
    ]);
    expect(backoffDelay(policy, 3, () => 0)).toBe(0);
    expect(backoffDelay(policy, 3, () => 0.5)).toBe(400);
  });

  it('spreads `above` jitter between the backoff and half again', () => {
    const policy = { baseDelayMs: 1_000, maxDelayMs: 300_000, jitter: 'above' as const };
    expect(backoffDelay(policy, 2, () => 0)).toBe(4_000);
    expect(backoffDelay(policy, 2, () => 1)).toBe(6_000);
  });

  it('gives up at the attempt limit or when Retry-After asks for too long, and never retries sooner than it', () => {
    const random = () => 0;
    expect(nextRetryDelay(DEFAULT_RETRY_POLICY, { retries: 0, random })).toBe(150);
    expect(nextRetryDelay(DEFAULT_RETRY_POLICY, { retries: 1, retryAfterMs: 2_000, random })).toBe(2_000);
    expect(nextRetryDelay(DEFAULT_RETRY_POLICY, { retries: 2, random })).toBeUndefined();
    expect(nextRetryDelay(DEFAULT_RETRY_POLICY, { retries: 0, retryAfterMs: 31_000, random })).toBeUndefined();
    expect(nextRetryDelay({ ...DEFAULT_RETRY_POLICY, limit: 0 }, { retries: 0, random })).toBeUndefined();
  });
});
