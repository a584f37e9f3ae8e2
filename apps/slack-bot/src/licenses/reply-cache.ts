// `/licenses` replies kept rendered, gated and serialised. A reply is a pure function of the
// catalogue snapshot, the rules and forecasts in force, the query text, the page, the data's age as
// the reply words it ("as of 2 min ago") and the demo flag (fixed per process): the first three are
// the generation (compared by identity: each poll or rule change makes new objects), the rest the key.
import type { SlackMessage } from '../block-kit/blocks.js';
import { formatAge } from '../block-kit/format.js';

/** Distinct queries kept per generation; the oldest goes first (query text is whatever users type). */
export const MAX_STORED_REPLIES = 128;

/** A reply as acknowledged: the gated message and its JSON bytes. */
export interface StoredReply {
  message: SlackMessage;
  bytes: Buffer;
}

/** What a reply is built from besides its query: compared by identity. */
export interface ReplyGeneration {
  snapshot: object | undefined;
  levelsFor: unknown;
  forecasts: unknown;
}

/**
 * The replies of the current generation, by query. A new generation (a new snapshot, new rules or
 * forecasts) drops them all; at most {@link MAX_STORED_REPLIES} are kept.
 *
 * @example
 * ```ts
 * const stored = replies.get(generation, replyKey(text, 0, fetchedAt, now)) ?? replies.set(generation, key, gated)
 * ```
 */
export class ReplyCache {
  private generation: ReplyGeneration = { snapshot: undefined, levelsFor: undefined, forecasts: undefined };
  private readonly replies = new Map<string, StoredReply>();

  /** The reply stored under `key` for exactly this generation. */
  get(generation: ReplyGeneration, key: string): StoredReply | undefined {
    return this.isCurrent(generation) ? this.replies.get(key) : undefined;
  }

  /** Stores an already gated reply (serialised once, here) and returns it. */
  set(generation: ReplyGeneration, key: string, message: SlackMessage): StoredReply {
    if (!this.isCurrent(generation)) {
      this.replies.clear();
      this.generation = { ...generation };
    }
    const stored = { message, bytes: Buffer.from(JSON.stringify(message)) };
    if (this.replies.size >= MAX_STORED_REPLIES) this.replies.delete(this.replies.keys().next().value as string);
    this.replies.set(key, stored);
    return stored;
  }

  /** Replies stored now (for tests and metrics). */
  get size(): number {
    return this.replies.size;
  }

  private isCurrent(generation: ReplyGeneration): boolean {
    const current = this.generation;
    return (
      current.snapshot === generation.snapshot &&
      current.levelsFor === generation.levelsFor &&
      current.forecasts === generation.forecasts
    );
  }
}

/**
 * The key of one reply within a generation: the data's age as the reply words it, page and text.
 *
 * @example
 * ```ts
 * replyKey('low', 0, snapshot.fetchedAt, Date.now()) // 'just now\u00000\u0000low'
 * ```
 */
export function replyKey(text: string, page: number, fetchedAt: number | undefined, now: number): string {
  return `${fetchedAt === undefined ? '' : formatAge(now - fetchedAt)}\u0000${page}\u0000${text}`;
}
