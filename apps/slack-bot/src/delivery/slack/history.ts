// Reading back what the bot posted, within Slack's 2025 limits for apps not approved for the
// Marketplace: conversations.history and replies at 1 request a minute, at most 15 messages each.
import type { App } from '@slack/bolt';

type WebClient = App['client'];

/** A message as history/replies return it (only what the dedup lookup needs). */
export interface PostedMessage {
  ts: string;
  metadata: { event_type?: string; event_payload?: object } | undefined;
}

/** Messages per history/replies request (the non-Marketplace maximum). */
export const HISTORY_PAGE = 15;
/** One history/replies request a minute (the non-Marketplace tier). */
export const HISTORY_INTERVAL_MS = 60_000;

/**
 * The bot's recent messages in a channel or thread, with metadata. A lookup made within a minute
 * of the previous one for the same channel or thread reuses its answer instead of asking Slack
 * again, so recovering several alerts after a crash costs one request, not one per alert - unless
 * the bot posted there since (see `postedSince`).
 *
 * @example
 * ```ts
 * const messages = await history.recent('C0ALERTS')
 * ```
 */
export class RecentMessages {
  private readonly cache = new Map<string, { at: number; messages: PostedMessage[] }>();

  constructor(
    private readonly client: WebClient,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * `postedSince`: when this process last posted to the channel; an answer older than that may
   * miss the message looked for (a post whose reply was lost), so Slack is asked again - and a
   * 429 then says when (the caller retries), rather than a stale answer causing a duplicate.
   */
  async recent(channel: string, threadTs?: string, postedSince = 0): Promise<PostedMessage[]> {
    const key = `${channel}/${threadTs ?? ''}`;
    const cached = this.cache.get(key);
    if (cached && this.now() - cached.at < HISTORY_INTERVAL_MS && cached.at > postedSince) return cached.messages;
    const response = threadTs
      ? await this.client.conversations.replies({
          channel,
          ts: threadTs,
          include_all_metadata: true,
          limit: HISTORY_PAGE,
        })
      : await this.client.conversations.history({ channel, include_all_metadata: true, limit: HISTORY_PAGE });
    const messages = (response.messages ?? []).flatMap((m) =>
      m.ts ? [{ ts: m.ts, metadata: m.metadata as PostedMessage['metadata'] }] : [],
    );
    this.cache.set(key, { at: this.now(), messages });
    return messages;
  }
}
