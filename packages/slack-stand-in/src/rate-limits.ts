// Slack's rate limits as token buckets: per method (its tier) and, for chat.postMessage, per
// channel. Over the limit, Slack answers HTTP 429 with an integer Retry-After.

/** Slack's Web API tiers, in requests per minute (T1 1+, T2 20+, T3 50+, T4 100+). */
export const TIER_PER_MINUTE = { 1: 1, 2: 20, 3: 50, 4: 100 } as const;
export type Tier = keyof typeof TIER_PER_MINUTE;

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** One limit: `capacity` requests at once, refilled at `perSecond`. */
export interface Limit {
  capacity: number;
  perSecond: number;
}

/** A tier's limit: its per-minute budget, usable as a burst. */
export const tierLimit = (tier: Tier): Limit => ({
  capacity: TIER_PER_MINUTE[tier],
  perSecond: TIER_PER_MINUTE[tier] / 60,
});

/** chat.postMessage: about one message per second per channel, with short bursts. */
export const POST_PER_CHANNEL: Limit = { capacity: 3, perSecond: 1 };

/**
 * Counts requests per key. `take` answers undefined when the request may go ahead, else the whole
 * seconds to wait (Slack's Retry-After).
 *
 * @example
 * ```ts
 * const wait = limits.take('chat.postMessage:C1', POST_PER_CHANNEL, Date.now())
 * ```
 */
export class RateLimits {
  private readonly buckets = new Map<string, Bucket>();

  take(key: string, limit: Limit, now: number): number | undefined {
    const bucket = this.buckets.get(key) ?? { tokens: limit.capacity, updatedAt: now };
    bucket.tokens = Math.min(limit.capacity, bucket.tokens + ((now - bucket.updatedAt) / 1000) * limit.perSecond);
    bucket.updatedAt = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return undefined;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / limit.perSecond));
  }
}
