import { describe, expect, it } from 'vitest';
import { DeliveryError } from './notifier.js';
import { judgeFailure, type OutboxRetryOptions } from './retry-stage.js';

const options: OutboxRetryOptions = { baseMs: 1_000, maxMs: 300_000, maxAttempts: 100, random: () => 0 };

/** The wait judged for a retryable failure on attempt `attempts` (Retry-After as the destination said). */
function delay(attempts: number, extra: { retryAfterMs?: number; random?: () => number } = {}): number | undefined {
  const error = new DeliveryError('busy', {
    retryable: true,
    ...(extra.retryAfterMs ? { retryAfterMs: extra.retryAfterMs } : {}),
  });
  const judged = judgeFailure(error, attempts, { ...options, ...(extra.random ? { random: extra.random } : {}) });
  return judged.verdict === 'retry' ? judged.delayMs : undefined;
}

describe('the retry delay (the shared retry policy, as the outbox uses it)', () => {
  it('doubles from the base per attempt, up to the cap', () => {
    expect([1, 2, 3, 4].map((attempts) => delay(attempts))).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(delay(20)).toBe(300_000);
    expect(delay(0)).toBe(1_000);
  });

  it('adds up to half again as jitter', () => {
    expect(delay(3, { random: () => 1 })).toBe(6_000);
    expect(delay(3, { random: () => 0.5 })).toBe(5_000);
  });

  it('never retries before the destination’s Retry-After', () => {
    expect(delay(1, { retryAfterMs: 30_000 })).toBe(30_000);
    expect(delay(4, { retryAfterMs: 2_000 })).toBe(8_000);
  });

  it('waits out a Retry-After of any length (an outbox row has time)', () => {
    expect(delay(1, { retryAfterMs: 3_600_000 })).toBe(3_600_000);
  });
});

describe('the verdict', () => {
  it('gives up at once on a refusal for good, whatever the attempt', () => {
    const refused = new DeliveryError('channel_not_found', { retryable: false });
    expect(judgeFailure(refused, 1, options)).toEqual({
      verdict: 'dead',
      why: 'refused for good',
      message: 'channel_not_found',
    });
  });

  it('retries any other error until the attempt limit, then gives up and says how often it failed', () => {
    const limited = { ...options, maxAttempts: 3 };
    expect(judgeFailure(new Error('socket hang up'), 2, limited)).toMatchObject({ verdict: 'retry', delayMs: 2_000 });
    expect(judgeFailure('not even an Error', 2, limited)).toMatchObject({
      verdict: 'retry',
      message: 'not even an Error',
    });
    expect(judgeFailure(new Error('socket hang up'), 3, limited)).toEqual({
      verdict: 'dead',
      why: 'failed 3 times',
      message: 'socket hang up',
    });
  });
});
