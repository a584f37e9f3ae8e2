// The retry stage of the delivery pipeline (Alertmanager's RetryStage): what a failed delivery
// becomes. It only decides; the pipeline (dispatcher.ts) records the verdict in the outbox. The
// rules are the shared retry policy's (`@licensewatch/client/retry`): exponential backoff with
// jitter above it, never sooner than the destination's Retry-After, an attempt limit.
import { nextRetryDelay, type RetryPolicy } from '@licensewatch/client/retry';
import { isDeliveryError } from './notifier.js';

/** Attempts before a row that keeps failing is given up on, by default. */
export const DEFAULT_MAX_ATTEMPTS = 8;

/** How patiently the outbox retries: the dispatcher's options, with their defaults filled in. */
export interface OutboxRetryOptions {
  /** First retry delay; doubles per attempt up to `maxMs`. */
  baseMs: number;
  maxMs: number;
  /** Attempts (claims) before a row that keeps failing becomes a dead letter. */
  maxAttempts: number;
  /** Jitter source (tests fix it). */
  random: () => number;
}

/** What a failed delivery becomes: a dead letter, or a retry after `delayMs`. */
export type FailureVerdict =
  | { verdict: 'dead'; why: 'refused for good' | `failed ${number} times`; message: string }
  | { verdict: 'retry'; delayMs: number; message: string };

/**
 * The verdict on a delivery that failed on its `attempts`-th attempt: dead at once when the
 * destination refused it for good (a {@link DeliveryError} that is not retryable), dead when it ran
 * out of attempts, otherwise a retry after the shared policy's delay: exponential from `baseMs`,
 * capped at `maxMs`, plus up to half again as jitter so replicas that failed together do not retry
 * together, and never sooner than the destination's Retry-After (any Retry-After is waited for: an
 * outbox row has time, unlike a request someone waits on). Any error other than a DeliveryError
 * counts as retryable.
 *
 * @example
 * ```ts
 * judgeFailure(new DeliveryError('rate limited', { retryable: true, retryAfterMs: 120_000 }), 1, options)
 * // { verdict: 'retry', delayMs: 120_000, message: 'rate limited' }
 * ```
 */
export function judgeFailure(error: unknown, attempts: number, options: OutboxRetryOptions): FailureVerdict {
  const message = error instanceof Error ? error.message : String(error);
  if (isDeliveryError(error) && !error.retryable) return { verdict: 'dead', why: 'refused for good', message };
  const policy: RetryPolicy = {
    limit: options.maxAttempts - 1,
    baseDelayMs: options.baseMs,
    maxDelayMs: options.maxMs,
    maxRetryAfterMs: Number.POSITIVE_INFINITY,
    jitter: 'above',
  };
  const delayMs = nextRetryDelay(policy, {
    retries: attempts - 1,
    retryAfterMs: isDeliveryError(error) ? error.retryAfterMs : undefined,
    random: options.random,
  });
  if (delayMs === undefined) return { verdict: 'dead', why: `failed ${attempts} times`, message };
  return { verdict: 'retry', delayMs, message };
}
