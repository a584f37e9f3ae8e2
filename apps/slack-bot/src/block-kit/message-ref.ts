// How the Slack notifier refers to a message it posted (channel and ts), as stored in the outbox:
// written by the notifier, read back by it and by the alert buttons to find the delivery of the
// message that was clicked.

/** Where a Slack message is: the reference the Slack notifier stores in the outbox. */
export interface SlackRef {
  channel: string;
  ts: string;
}

/**
 * The stored form of a message reference.
 *
 * @example
 * ```ts
 * toRef({ channel: 'C0123', ts: '1700000000.000100' }) // '{"channel":"C0123","ts":"1700000000.000100"}'
 * ```
 */
export const toRef = (ref: SlackRef): string => JSON.stringify({ channel: ref.channel, ts: ref.ts });

/**
 * The Slack notifier's reference to a message, as stored in the outbox (e.g. for the message an
 * alert button was clicked on).
 *
 * @example
 * ```ts
 * slackMessageRef(body.container.channel_id, body.container.message_ts)
 * ```
 */
export const slackMessageRef = (channel: string, ts: string): string => toRef({ channel, ts });

/**
 * A stored message reference read back; undefined for anything this module did not write.
 *
 * @example
 * ```ts
 * fromRef(delivery.original?.ref) // { channel: 'C0123', ts: '1700000000.000100' } or undefined
 * ```
 */
export function fromRef(text: string | undefined): SlackRef | undefined {
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
