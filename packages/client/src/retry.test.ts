import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_RETRY_POLICY, isRetryableStatus, nextRetryDelay, parseRetryAfter } from './retry.js';

describe('the retry policy', () => {
  it('retries timeouts, rate limits and server errors, never a request LMPI or PagerDuty refused', () => {
    expect([408, 429, 500, 502, 503].map(isRetryableStatus)).toEqual([true, true, true, true, true]);
    expect([400, 401, 403, 404, 415].map(isRetryableStatus)).toEqual([false, false, false, false, false]);
  });

  it('reads Retry-After as delta seconds and as an HTTP date', () => {
    const now = Date.parse('Wed, 21 Oct 2026 07:27:00 GMT');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Wed, 21 Oct 2026 07:28:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('Wed, 21 Oct 2026 07:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('backs off exponentially up to the cap, with full jitter by default', () => {
    const policy = { baseDelayMs: 100, maxDelayMs: 1_000 };
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
    expect(nextRetryDelay(DEFAULT_RETRY_POLICY, { retries: 0, random })).toBe(0);
    expect(nextRetryDelay(DEFAULT_RETRY_POLICY, { retries: 1, retryAfterMs: 2_000, random })).toBe(2_000);
    expect(nextRetryDelay(DEFAULT_RETRY_POLICY, { retries: 2, random })).toBeUndefined();
    expect(nextRetryDelay(DEFAULT_RETRY_POLICY, { retries: 0, retryAfterMs: 31_000, random })).toBeUndefined();
    expect(nextRetryDelay({ ...DEFAULT_RETRY_POLICY, limit: 0 }, { retries: 0, random })).toBeUndefined();
  });
});
