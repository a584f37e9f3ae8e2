// Paces the bot's Tier-limited Web API calls per method, below Slack's limits, so a burst (the
// first poll of a large catalogue shares a chart under every critical alert) waits its turn here
// instead of drawing 429s. Limits are per method, so charts (files.*) never queue alerts
// (chat.postMessage, paced per channel by the notifier) behind them; and within a method, work a
// person is waiting for goes before background work (alert charts), which also leaves a few
// calls of headroom so a person's request finds one free.
// Tiers: https://docs.slack.dev/apis/web-api/rate-limits (T2 20+, T3 50+, T4 100+ per minute).
import { AsyncLocalStorage } from 'node:async_hooks';

/** One method's budget: calls per minute, and how many may go at once. */
export interface MethodBudget {
  perMinute: number;
  burst: number;
}

const tier = (perMinute: number): MethodBudget => ({ perMinute, burst: Math.max(2, Math.floor(perMinute / 10)) });

/** The Tier-limited methods the bot calls, at their tier's documented floor. */
export const SLACK_METHOD_BUDGETS: Readonly<Record<string, MethodBudget>> = {
  'files.getUploadURLExternal': tier(100), // Tier 4
  'files.completeUploadExternal': tier(100), // Tier 4
  'views.publish': tier(100), // Tier 4
  'conversations.open': tier(50), // Tier 3
  'conversations.info': tier(50), // Tier 3
  'conversations.join': tier(50), // Tier 3
  'chat.update': tier(50), // Tier 3
  'chat.postEphemeral': tier(100), // Tier 4
};

const background = new AsyncLocalStorage<true>();

/**
 * Runs `work` as background work: its Slack calls yield to calls someone is waiting for.
 *
 * @example
 * ```ts
 * void inBackground(() => shareCharts(alert, products))
 * ```
 */
export function inBackground<T>(work: () => Promise<T>): Promise<T> {
  return background.run(true, work);
}

interface Waiter {
  background: boolean;
  resolve: () => void;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
  queue: Waiter[];
  timer: ReturnType<typeof setTimeout> | undefined;
}

/**
 * Token buckets per method. `take` resolves when the call may go.
 *
 * @example
 * ```ts
 * const pacer = new MethodPacer(SLACK_METHOD_BUDGETS)
 * await pacer.take('files.completeUploadExternal')
 * ```
 */
export class MethodPacer {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly budgets: Readonly<Record<string, MethodBudget>>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Waits for a call of `method` (unlimited methods go at once). */
  take(method: string, isBackground = background.getStore() === true): Promise<void> {
    const budget = this.budgets[method];
    if (!budget) return Promise.resolve();
    const bucket = this.bucketFor(method, budget);
    return new Promise((resolve) => {
      bucket.queue.push({ background: isBackground, resolve });
      this.pump(bucket, budget);
    });
  }

  /** Calls waiting, per method (for tests and metrics). */
  waiting(method: string): number {
    return this.buckets.get(method)?.queue.length ?? 0;
  }

  private bucketFor(method: string, budget: MethodBudget): Bucket {
    let bucket = this.buckets.get(method);
    if (!bucket) {
      bucket = { tokens: budget.burst, updatedAt: this.now(), queue: [], timer: undefined };
      this.buckets.set(method, bucket);
    }
    return bucket;
  }

  private pump(bucket: Bucket, budget: MethodBudget): void {
    const perMs = budget.perMinute / 60_000;
    const now = this.now();
    bucket.tokens = Math.min(budget.burst, bucket.tokens + (now - bucket.updatedAt) * perMs);
    bucket.updatedAt = now;
    // Background work leaves this many calls for people (at most half the burst).
    const reserve = Math.min(2, Math.floor(budget.burst / 2));
    while (bucket.queue.length > 0) {
      const index = Math.max(
        0,
        bucket.queue.findIndex((w) => !w.background),
      );
      const next = bucket.queue[index] as Waiter;
      const needed = next.background ? 1 + reserve : 1;
      if (bucket.tokens < needed) {
        // (Re)armed for whoever is first in line now: a person may need fewer calls than background work.
        if (bucket.timer) clearTimeout(bucket.timer);
        const wait = Math.ceil((needed - bucket.tokens) / perMs);
        bucket.timer = setTimeout(() => {
          bucket.timer = undefined;
          this.pump(bucket, budget);
        }, wait);
        bucket.timer.unref?.();
        return;
      }
      bucket.tokens -= 1;
      bucket.queue.splice(index, 1);
      next.resolve();
    }
  }
}

type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * The fetch of the Bolt app, paced: a Web API call of a budgeted method waits for its turn.
 *
 * @example
 * ```ts
 * new App({ clientOptions: { fetch: pacedSlackFetch(fetch, new MethodPacer(SLACK_METHOD_BUDGETS)) } })
 * ```
 */
export function pacedSlackFetch(inner: Fetch, pacer: MethodPacer): Fetch {
  return async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const method = /\/api\/([a-zA-Z]+(?:\.[a-zA-Z]+)+)$/.exec(new URL(url).pathname)?.[1];
    if (method) await pacer.take(method);
    return inner(input, init);
  };
}
