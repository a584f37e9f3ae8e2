/** How the client retries idempotent requests. */
export interface RetryPolicy {
  /** Retries after the first attempt. 0 disables retrying. Default 2. */
  limit: number;
  /** First backoff delay; doubles each retry. Default 300 ms. */
  baseDelayMs: number;
  /** Upper bound of one backoff delay. Default 5,000 ms. */
  maxDelayMs: number;
  /** A `Retry-After` longer than this is not waited for: the error is thrown. Default 30,000 ms. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  limit: 2,
  baseDelayMs: 300,
  maxDelayMs: 5_000,
  maxRetryAfterMs: 30_000,
};

/** Statuses worth retrying: the request may succeed unchanged later. Never 400/401/403/415. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * Backoff before retry number `retry` (0-based): exponential, capped, with "equal jitter" so that
 * many clients failing together do not retry together (the delay is between half and all of the cap).
 */
export function backoffDelay(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/**
 * Reads `Retry-After` (delta seconds or an HTTP date) as milliseconds from `nowMs`.
 * Returns `undefined` when absent or unreadable.
 */
export function parseRetryAfter(header: string | null, nowMs: number): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/** Resolves after `ms`, or rejects with the signal's reason when aborted first. */
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
