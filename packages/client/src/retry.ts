// The one retry policy of licensewatch, like Alertmanager's `Retrier`: which answers are worth
// retrying, how `Retry-After` is read, how long to back off and when to give up. The LMPI client
// retries within one call with it; the Slack bot's delivery dispatcher reschedules outbox rows and
// the PagerDuty notifier classifies refusals with it. Published as `@licensewatch/client/retry`
// (not from the index: it is about HTTP, not LMPI).

/**
 * How the delay spreads around the exponential backoff, so that callers that failed together do not
 * retry together:
 * - `equal`: between half and all of the backoff (the LMPI client's default);
 * - `full`: anywhere from 0 up to the backoff ("full jitter");
 * - `above`: the backoff plus up to half again, for rescheduled deliveries that must never come sooner
 *   than the backoff.
 */
export type RetryJitter = 'equal' | 'full' | 'above';

/** How often and how patiently to retry. */
export interface RetryPolicy {
  /** Retries after the first attempt. 0 disables retrying. Default 2. */
  limit: number;
  /** First backoff delay; doubles each retry. Default 300 ms. */
  baseDelayMs: number;
  /** Upper bound of the backoff before jitter. Default 5,000 ms. */
  maxDelayMs: number;
  /** A `Retry-After` longer than this is not waited for: the caller gives up. Default 30,000 ms. */
  maxRetryAfterMs: number;
  /** Default `equal`. */
  jitter?: RetryJitter;
}

/** The LMPI client's policy: two quick retries, equal jitter, at most 30 s of `Retry-After`. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  limit: 2,
  baseDelayMs: 300,
  maxDelayMs: 5_000,
  maxRetryAfterMs: 30_000,
  jitter: 'equal',
};

/**
 * Statuses worth retrying: the request may succeed unchanged later (408, 429, 5xx). Never
 * 400/401/403/404/415: sending the same thing again gets the same answer.
 *
 * @example
 * ```ts
 * isRetryableStatus(408) // true
 * isRetryableStatus(400) // false
 * ```
 */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * Reads `Retry-After` in both of its forms (delta seconds, or an HTTP date) as milliseconds from
 * `nowMs`. `undefined` when absent or unreadable; a date in the past is 0.
 *
 * @example
 * ```ts
 * parseRetryAfter('120', now) // 120_000
 * parseRetryAfter('Wed, 21 Oct 2026 07:28:00 GMT', Date.parse('Wed, 21 Oct 2026 07:27:00 GMT')) // 60_000
 * ```
 */
export function parseRetryAfter(header: string | null | undefined, nowMs: number): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/**
 * Backoff before retry number `retry` (0-based): `baseDelayMs` doubled per retry, capped at
 * `maxDelayMs`, then spread by the policy's {@link RetryJitter}.
 *
 * @example
 * ```ts
 * backoffDelay(DEFAULT_RETRY_POLICY, 1) // 300–600 (equal jitter of 600)
 * backoffDelay({ baseDelayMs: 1_000, maxDelayMs: 300_000, jitter: 'above' }, 2) // 4_000–6_000
 * ```
 */
export function backoffDelay(
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs' | 'jitter'>,
  retry: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry));
  switch (policy.jitter) {
    case 'above':
      return Math.round(ceiling * (1 + random() / 2));
    case 'full':
      return Math.round(random() * ceiling);
    default:
      return Math.round(ceiling / 2 + random() * (ceiling / 2));
  }
}

/**
 * The wait before retry number `retries` (0-based), or `undefined` to give up: the attempt limit is
 * reached, or the destination asked (`retryAfterMs`) for a longer wait than the policy allows.
 * Never sooner than `Retry-After`, never sooner than the jittered backoff.
 *
 * @example
 * ```ts
 * nextRetryDelay(DEFAULT_RETRY_POLICY, { retries: 0, retryAfterMs: 1_000 }) // 1_000
 * nextRetryDelay(DEFAULT_RETRY_POLICY, { retries: 2 }) // undefined: limit reached
 * ```
 */
export function nextRetryDelay(
  policy: RetryPolicy,
  attempt: { retries: number; retryAfterMs?: number | undefined; random?: () => number },
): number | undefined {
  if (attempt.retries >= policy.limit) return undefined;
  const { retryAfterMs } = attempt;
  if (retryAfterMs !== undefined && retryAfterMs > policy.maxRetryAfterMs) return undefined;
  return Math.max(backoffDelay(policy, attempt.retries, attempt.random), retryAfterMs ?? 0);
}

/**
 * Resolves after `ms`, or rejects with the signal's reason when aborted first.
 *
 * @example
 * ```ts
 * await sleep(nextRetryDelay(policy, { retries }) ?? 0, signal)
 * ```
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
