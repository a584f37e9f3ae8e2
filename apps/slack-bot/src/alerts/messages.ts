import {
  compareUrgency,
  describeForecast,
  formatDuration,
  type LmpiEvent,
  type ProductEvent,
} from '@licensewatch/alerts';
import type { Block, Button, SlackMessage } from '../licenses/blocks.js';
import { context, header, section } from '../licenses/blocks.js';
import { escapeMrkdwn, formatCount, truncate } from '../licenses/format.js';

/** Products per digest message: two blocks each keeps far below Slack's 50 blocks. */
export const DIGEST_CHUNK = 20;

/** Snooze choices on alert buttons. */
export const SNOOZES = { '1h': 3_600_000, '1d': 86_400_000, '1w': 604_800_000 } as const;
export type SnoozeChoice = keyof typeof SNOOZES;
/** How each snooze choice reads, on buttons and in notes. */
export const SNOOZE_LABELS: Record<SnoozeChoice, string> = { '1h': '1 hour', '1d': '1 day', '1w': '1 week' };

const LEVEL_LABEL = {
  critical: ':red_circle: *Critical*',
  warning: ':large_orange_circle: *Low*',
  ok: ':large_green_circle: *OK*',
} as const;

function change(event: ProductEvent): string {
  if (event.previousAvailable === undefined) return 'first seen';
  if (event.previousAvailable === event.available) return 'no change since last poll';
  const delta = event.available - event.previousAvailable;
  return `${delta > 0 ? '+' : '−'}${formatCount(Math.abs(delta))} since last poll`;
}

function productLine(event: ProductEvent): string {
  const name = `*${escapeMrkdwn(truncate(event.product.productName, 150))}*  \`${escapeMrkdwn(event.product.productCode)}\``;
  const forecast = event.forecast ? ` · ${describeForecast(event.forecast, 'critical')}` : '';
  switch (event.kind) {
    case 'vanished':
      return `${name}\n:grey_question: no longer listed by LMPI (last seen with ${formatCount(event.available)} available)`;
    case 'forecast':
      return `${name}\n:chart_with_downwards_trend: ${formatCount(event.available)} available, ${describeForecast(event.forecast ?? { days: 0, perDay: 0 }, 'critical')} at ${formatCount(event.forecast?.perDay ?? 0)}/day`;
    default: {
      const crossed = event.threshold === undefined ? '' : ` (${event.level} at ≤ ${formatCount(event.threshold)})`;
      const again = event.kind === 'renotify' ? ' · still low' : '';
      return `${name}\n${LEVEL_LABEL[event.level]}: *${formatCount(event.available)}* available${crossed} · ${change(event)}${forecast}${again}`;
    }
  }
}

function buttons(productId: string, index: number): Block {
  const button = (id: string, label: string): Button => ({
    type: 'button',
    action_id: `${id}:${index}`,
    text: { type: 'plain_text', text: label },
    value: productId,
  });
  return {
    type: 'actions',
    block_id: `alert_actions:${productId}`.slice(0, 255),
    elements: [
      button('alert_snooze_1h', 'Snooze 1 h'),
      button('alert_snooze_1d', 'Snooze 1 day'),
      button('alert_snooze_1w', 'Snooze 1 week'),
      button('alert_ack', 'Acknowledge'),
    ],
  };
}

const urgencyKey = (event: ProductEvent) => ({ ...event.product, level: event.level, available: event.available });

/**
 * One digest message for the product events of one poll and channel (at most {@link DIGEST_CHUNK}).
 * Each low product gets Snooze and Acknowledge buttons.
 *
 * @example
 * ```ts
 * await client.chat.postMessage({ channel, ...digestMessage(events) })
 * ```
 */
export function digestMessage(unordered: readonly ProductEvent[]): SlackMessage {
  // The urgency order of /licenses and the CLI: critical, low, the rest; fewest available first.
  const events = [...unordered].sort((a, b) => compareUrgency(urgencyKey(a), urgencyKey(b)));
  const critical = events.filter((e) => e.level === 'critical').length;
  const title =
    events.length === 1 && events[0]
      ? `${events[0].level === 'critical' ? 'Critical' : events[0].kind === 'vanished' ? 'Product gone' : events[0].kind === 'forecast' ? 'Running out soon' : 'Low'}: ${truncate(events[0].product.productName, 120)}`
      : `${events.length} license pools need attention${critical ? ` (${critical} critical)` : ''}`;
  const blocks: Block[] = [header(truncate(title, 150))];
  events.forEach((event, index) => {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: productLine(event) },
      block_id: `alert_product:${event.product.productId}`.slice(0, 255),
    });
    if (event.kind !== 'vanished') blocks.push(buttons(event.product.productId, index));
  });
  blocks.push(context('Acknowledge stops reminders until the pool recovers · `/licenses low` lists every low pool'));
  return { text: title, blocks };
}

/** The thread reply announcing that a product recovered. */
export function resolutionText(event: ProductEvent): string {
  return `:large_green_circle: *${escapeMrkdwn(truncate(event.product.productName, 150))}* \`${escapeMrkdwn(event.product.productCode)}\` recovered: ${formatCount(event.available)} available (${change(event)}).`;
}

/** The LMPI outage alert and its resolution. */
export function lmpiMessage(event: LmpiEvent): SlackMessage {
  if (event.kind === 'lmpi-recovered') {
    const text = `:large_green_circle: LMPI answers again${event.since ? ` after ${formatDuration(event.at - event.since)}` : ''}. Alerts are evaluated again.`;
    return { text, blocks: [section(text)] };
  }
  const text = `:warning: LMPI has failed ${event.failures} polls in a row${event.reason ? ` (${escapeMrkdwn(event.reason)})` : ''}. No license alerts can be evaluated until it answers; counts are not assumed to be zero.`;
  return { text: 'LMPI unreachable', blocks: [header('LMPI unreachable'), section(text)] };
}

type Json = Record<string, unknown> & { blocks?: Record<string, unknown>[] };

/**
 * The posted digest with one product's section marked (resolved, snoozed, acknowledged) and its
 * buttons removed, for `chat.update`.
 */
export function markProduct(payload: Json, productId: string, note: string): Json {
  const blocks = (payload.blocks ?? []).flatMap((block) => {
    if (block.block_id === `alert_actions:${productId}`.slice(0, 255)) return [];
    if (block.block_id === `alert_product:${productId}`.slice(0, 255)) {
      const text = (block.text as { text: string }).text.split('\n')[0];
      return [{ ...block, text: { type: 'mrkdwn', text: `${text}\n${note}` } }];
    }
    return [block];
  });
  return { ...payload, blocks };
}
