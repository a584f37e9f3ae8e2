import type { App } from '@slack/bolt';
import type { Logger } from 'pino';
import type { SlackMessage } from '../../licenses/blocks.js';
import { type Delivered, type Delivery, DeliveryError, type Notifier } from '../notifier.js';
import { attributionText, digestMessage, lmpiMessage, resolutionText } from './render.js';

/** Slack message metadata type that carries the delivery id of every alert message. */
export const METADATA_TYPE = 'licensewatch_alert';

/** Where a Slack message is: the reference this notifier stores in the outbox. */
interface SlackRef {
  channel: string;
  ts: string;
}

/** The delivery id in a message's metadata payload (typed `{}` by the Web API client). */
function payloadId(payload: object | undefined): unknown {
  return payload && 'id' in payload ? payload.id : undefined;
}

const toRef = (ref: SlackRef): string => JSON.stringify(ref);

function fromRef(text: string | undefined): SlackRef | undefined {
  if (!text) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && 'channel' in value && 'ts' in value) {
      const { channel, ts } = value;
      if (typeof channel === 'string' && typeof ts === 'string') return { channel, ts };
    }
  } catch {
    // not ours: treated as no reference
  }
  return undefined;
}

/** The Web API client Bolt gives an app. */
type WebClient = App['client'];

export interface SlackNotifierDeps {
  /** The Web API client of the Bolt app. */
  client: WebClient;
  logger: Logger;
  /** Minimum gap between posts to one channel (Slack allows about one message per second). */
  channelGapMs?: number;
}

// Slack platform errors that a later attempt can get past; any other platform error (unknown
// channel, not in channel, invalid blocks) will fail the same way again.
const TRANSIENT = new Set(['ratelimited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);

function classify(error: unknown): DeliveryError {
  const e = error as { code?: string; data?: { error?: string }; retryAfter?: number; message?: string };
  if (e.code === 'slack_webapi_platform_error') {
    const reason = e.data?.error ?? 'unknown';
    return new DeliveryError(`Slack: ${reason}`, { retryable: TRANSIENT.has(reason), cause: error });
  }
  if (e.code === 'slack_webapi_rate_limited_error') {
    return new DeliveryError('Slack: rate limited', {
      retryable: true,
      ...(e.retryAfter !== undefined ? { retryAfterMs: e.retryAfter * 1000 } : {}),
      cause: error,
    });
  }
  return new DeliveryError(`Slack: ${e.message ?? String(error)}`, { retryable: true, cause: error });
}

/**
 * Delivers alerts to Slack: an alert group is one digest message with buttons; a resolution is a
 * thread reply on the original alert plus an edit of it; an acknowledgement or snooze edits the
 * original; LMPI notices are messages of their own. Every message carries its delivery id in
 * message metadata, which is how {@link SlackNotifier.findDelivered} finds it after a crash.
 */
export class SlackNotifier implements Notifier {
  readonly name = 'slack';
  private readonly lastPost = new Map<string, number>();

  constructor(private readonly deps: SlackNotifierDeps) {}

  async deliver(delivery: Delivery, alreadyDelivered?: string): Promise<Delivered> {
    try {
      return await this.send(delivery, fromRef(alreadyDelivered));
    } catch (error) {
      throw error instanceof DeliveryError ? error : classify(error);
    }
  }

  async findDelivered(delivery: Delivery): Promise<string | undefined> {
    const thread =
      delivery.kind === 'resolution' || delivery.kind === 'attribution' ? fromRef(delivery.original?.ref) : undefined;
    const channel = thread?.channel ?? delivery.target;
    if (delivery.kind === 'acknowledgement' || !channel) return undefined; // edits are idempotent
    try {
      const response = thread
        ? await this.deps.client.conversations.replies({
            channel,
            ts: thread.ts,
            include_all_metadata: true,
            limit: 200,
          })
        : await this.deps.client.conversations.history({ channel, include_all_metadata: true, limit: 200 });
      const found = (response.messages ?? []).find(
        (m) => m.metadata?.event_type === METADATA_TYPE && payloadId(m.metadata.event_payload) === delivery.id,
      );
      return found?.ts ? toRef({ channel, ts: found.ts }) : undefined;
    } catch (error) {
      throw classify(error);
    }
  }

  private async send(delivery: Delivery, existing: SlackRef | undefined): Promise<Delivered> {
    switch (delivery.kind) {
      case 'product-alerts':
        return {
          ref: toRef(existing ?? (await this.post(delivery.target, delivery.id, digestMessage(delivery.alerts)))),
        };
      case 'lmpi-notice':
        return {
          ref: toRef(existing ?? (await this.post(delivery.target, delivery.id, lmpiMessage(delivery.notice)))),
        };
      case 'resolution':
      case 'attribution': {
        const original = fromRef(delivery.original?.ref);
        const text =
          delivery.kind === 'resolution' ? resolutionText(delivery.resolution) : attributionText(delivery.attribution);
        const reply =
          existing ??
          (await this.post(original?.channel ?? delivery.target, delivery.id, { text, blocks: [] }, original?.ts));
        if (original && delivery.original?.alerts) await this.update(original, digestMessage(delivery.original.alerts));
        return { ref: toRef(reply) };
      }
      case 'acknowledgement': {
        const original = fromRef(delivery.original?.ref);
        if (!original || !delivery.original?.alerts) return { ref: undefined }; // nothing posted to mark
        await this.update(original, digestMessage(delivery.original.alerts));
        return { ref: toRef(original) };
      }
    }
  }

  private async post(channel: string, id: string, message: SlackMessage, threadTs?: string): Promise<SlackRef> {
    await this.pace(channel);
    const result = await this.deps.client.chat.postMessage({
      channel,
      text: message.text,
      ...(message.blocks.length > 0 ? { blocks: message.blocks } : {}),
      ...(threadTs ? { thread_ts: threadTs } : {}),
      metadata: { event_type: METADATA_TYPE, event_payload: { id } },
      unfurl_links: false,
    });
    if (!result.ts) throw new DeliveryError('Slack: chat.postMessage returned no ts', { retryable: true });
    return { channel: result.channel ?? channel, ts: result.ts };
  }

  private async update(ref: SlackRef, message: SlackMessage): Promise<void> {
    await this.deps.client.chat.update({
      channel: ref.channel,
      ts: ref.ts,
      text: message.text,
      blocks: message.blocks,
    });
  }

  private async pace(channel: string): Promise<void> {
    const gap = this.deps.channelGapMs ?? 1_000;
    const wait = (this.lastPost.get(channel) ?? 0) + gap - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    this.lastPost.set(channel, Date.now());
  }
}
