import type { AlertEvent, ProductEvent } from '@licensewatch/alerts';
import type { AlertStore, ClaimedRow } from '@licensewatch/store';
import type { App } from '@slack/bolt';
import type { Logger } from 'pino';
import type { SlackMessage } from '../licenses/blocks.js';
import { DIGEST_CHUNK, digestMessage, lmpiMessage, markProduct, resolutionText } from './messages.js';

/** Slack message metadata type that carries the outbox id of every alert message. */
export const METADATA_TYPE = 'licensewatch_alert';

/** The Web API client Bolt gives an app. */
type WebClient = App['client'];

export interface DispatcherDeps {
  store: AlertStore;
  client: WebClient;
  logger: Logger;
  /** Identifies this process in outbox claims. */
  holder: string;
  now?: () => number;
  /** Minimum gap between posts to one channel (Slack allows about one message per second). */
  channelGapMs?: number;
  /** A claim older than this is taken over (its process died mid-post). */
  staleClaimMs?: number;
}

type SlackMessageRecord = { ts?: string; metadata?: { event_type?: string; event_payload?: { id?: string } } };

/**
 * Posts the outbox: one digest per poll and channel (chunks of {@link DIGEST_CHUNK}), resolutions as
 * thread replies plus an edit of the original alert, LMPI outage notices on their own. Every message
 * carries its outbox id in Slack metadata; a row recovered from a dead claimer is first looked up in
 * the channel, so a crash between posting and recording cannot post it twice.
 */
export class AlertDispatcher {
  private readonly lastPost = new Map<string, number>();
  private running: Promise<number> | undefined;
  private again = false;

  constructor(private readonly deps: DispatcherDeps) {}

  /**
   * Posts everything pending. A call during a run makes that run go round once more (rows recorded
   * meanwhile are not left waiting); callers share the run. Resolves with messages posted.
   */
  flush(): Promise<number> {
    this.again = true;
    this.running ??= (async () => {
      let posted = 0;
      while (this.again) {
        this.again = false;
        posted += await this.run();
      }
      return posted;
    })().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async run(): Promise<number> {
    const { store, holder } = this.deps;
    const now = this.deps.now ?? Date.now;
    const rows = await store.claimOutbox(holder, now(), this.deps.staleClaimMs ?? 60_000);
    const groups = new Map<string, ClaimedRow[]>();
    for (const row of rows) {
      const id = `${row.group}|${row.channel}`;
      groups.set(id, [...(groups.get(id) ?? []), row]);
    }
    let posted = 0;
    for (const group of groups.values()) {
      try {
        posted += await this.postGroup(group);
      } catch (error) {
        const message = (error as { data?: { error?: string } }).data?.error ?? (error as Error).message;
        this.deps.logger.warn({ keys: group.map((r) => r.key), error: message }, 'posting alert failed; will retry');
        await store.releaseFailed(
          group.map((r) => r.key),
          message,
        );
      }
    }
    return posted;
  }

  private async postGroup(rows: ClaimedRow[]): Promise<number> {
    const first = rows[0];
    if (!first) return 0;
    const events = rows.map((row) => row.event as unknown as AlertEvent);
    const recovered = rows.some((row) => row.recovered);
    if (first.group.startsWith('lmpi:')) {
      const event = events[0];
      if (!event || event.kind === 'alert' || !('failures' in event)) return 0;
      await this.post(first.channel, first.key, lmpiMessage(event), recovered);
      await this.deps.store.markPosted([first.key], 'lmpi');
      return 1;
    }
    if (first.group.startsWith('resolve:')) {
      let posted = 0;
      for (const [i, row] of rows.entries()) posted += await this.postResolution(row, events[i] as ProductEvent);
      return posted;
    }
    let posted = 0;
    const productEvents = events as ProductEvent[];
    for (let start = 0; start < rows.length; start += DIGEST_CHUNK) {
      const chunkRows = rows.slice(start, start + DIGEST_CHUNK);
      const chunkEvents = productEvents.slice(start, start + DIGEST_CHUNK);
      const id = `${first.group}|${first.channel}|${start / DIGEST_CHUNK}`;
      const message = digestMessage(chunkEvents);
      const ts = await this.post(first.channel, id, message, recovered);
      await this.deps.store.saveMessage(
        { group: id, channel: first.channel, ts, payload: message as unknown as Record<string, unknown> },
        chunkEvents.filter((e) => e.kind === 'alert' || e.kind === 'renotify').map((e) => e.product.productId),
      );
      await this.deps.store.markPosted(
        chunkRows.map((r) => r.key),
        ts,
      );
      posted += 1;
    }
    return posted;
  }

  private async postResolution(row: ClaimedRow, event: ProductEvent): Promise<number> {
    const original = await this.deps.store.messageForProduct(event.product.productId);
    const text = resolutionText(event);
    const ts = await this.post(
      original?.channel ?? row.channel,
      row.key,
      { text, blocks: [] },
      row.recovered,
      original?.ts,
    );
    if (original) {
      const payload = markProduct(
        original.payload,
        event.product.productId,
        `:large_green_circle: recovered: ${event.available} available`,
      );
      await this.deps.client.chat.update({
        channel: original.channel,
        ts: original.ts,
        text: String(payload.text ?? text),
        blocks: payload.blocks as never,
      });
      await this.deps.store.updateMessagePayload(original.group, payload);
    }
    await this.deps.store.markPosted([row.key], ts);
    return 1;
  }

  /** Posts (paced per channel) unless a recovered row's message is already there. Returns its ts. */
  private async post(
    channel: string,
    id: string,
    message: SlackMessage,
    recovered: boolean,
    threadTs?: string,
  ): Promise<string> {
    if (recovered) {
      const existing = await this.findPosted(channel, id, threadTs);
      if (existing) {
        this.deps.logger.info({ id, ts: existing }, 'alert already posted before a crash; not posting again');
        return existing;
      }
    }
    await this.pace(channel);
    const result = await this.deps.client.chat.postMessage({
      channel,
      text: message.text,
      ...(message.blocks.length > 0 ? { blocks: message.blocks as never } : {}),
      ...(threadTs ? { thread_ts: threadTs } : {}),
      metadata: { event_type: METADATA_TYPE, event_payload: { id } },
      unfurl_links: false,
    });
    return String(result.ts);
  }

  private async findPosted(channel: string, id: string, threadTs?: string): Promise<string | undefined> {
    const response = threadTs
      ? await this.deps.client.conversations.replies({ channel, ts: threadTs, include_all_metadata: true, limit: 200 })
      : await this.deps.client.conversations.history({ channel, include_all_metadata: true, limit: 200 });
    const messages = (response.messages ?? []) as SlackMessageRecord[];
    return messages.find((m) => m.metadata?.event_type === METADATA_TYPE && m.metadata.event_payload?.id === id)?.ts;
  }

  private async pace(channel: string): Promise<void> {
    const gap = this.deps.channelGapMs ?? 1_000;
    const now = Date.now();
    const wait = (this.lastPost.get(channel) ?? 0) + gap - now;
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    this.lastPost.set(channel, Date.now());
  }
}
