// Block Kit rendering of the neutral alert views: the only place alert text gets mrkdwn, emoji,
// mentions and escaping.

import {
  type ConsumerAttribution,
  compareUrgency,
  describeForecast,
  describeTrigger,
  formatDuration,
  formatRate,
  LEVEL_SEVERITY,
} from '@licensewatch/alerts';
import { describeLmpiFailure } from '@licensewatch/client';
import type { AlertHandling } from '@licensewatch/store';
import type { ActionsBlock, Button, KnownBlock } from '@slack/types';
import { context, header, type SlackMessage, section } from '../../block-kit/blocks.js';
import { consumerParts, customerName } from '../../block-kit/customers.js';
import { escapeMrkdwn, formatCount, truncate } from '../../block-kit/format.js';
import { LIMITS } from '../../block-kit/limits.js';
import { dataCode, dataName, plainData } from '../../block-kit/mrkdwn.js';
import {
  type AlertNote,
  type AttributionView,
  handlingNote,
  type LmpiNoticeView,
  type ProductAlertView,
  type ResolutionView,
} from '../views.js';

const LEVEL_LABEL = {
  critical: ':red_circle: *Critical*',
  low: ':large_orange_circle: *Low*',
  ok: ':large_green_circle: *OK*',
} as const;

/** The level words of /licenses, the CLI and help. */
const LEVEL_WORD = { critical: 'critical', low: 'low', ok: 'ok' } as const;

/** How snooze lengths read in notes (the buttons offer these three). */
const SNOOZE_LABELS = new Map([
  [3_600_000, '1 hour'],
  [86_400_000, '1 day'],
  [604_800_000, '1 week'],
]);

function change(view: { available: number; previousAvailable: number | undefined }): string {
  if (view.previousAvailable === undefined) return 'first seen';
  if (view.previousAvailable === view.available) return 'no change since last poll';
  const delta = view.available - view.previousAvailable;
  return `${delta > 0 ? '+' : '−'}${formatCount(Math.abs(delta))} since last poll`;
}

/** The note on an alert's section; a mute or snooze over an acknowledgement shows both. */
function noteLines(note: AlertNote): string {
  const covered = (note.kind === 'muted' || note.kind === 'snoozed') && note.covers ? note.covers : undefined;
  return covered ? `${noteText(covered)}\n${noteText(note)}` : noteText(note);
}

function noteText(note: AlertNote): string {
  switch (note.kind) {
    case 'recovered':
      return `:large_green_circle: recovered: ${formatCount(note.available)} available`;
    case 'acknowledged':
      return `:white_check_mark: acknowledged by <@${note.actor}>: no reminders until it recovers`;
    case 'snoozed':
      return `:zzz: snoozed by <@${note.actor}> for ${SNOOZE_LABELS.get(note.snoozeMs) ?? formatDuration(note.snoozeMs)}`;
    case 'muted':
      return `:no_bell: muted by <@${note.actor}> for ${formatDuration(note.muteMs)} (\`/licenses unmute\` ends it)`;
  }
}

/**
 * "this month: Acme Corp +40, Globex +25, 3 others +12", or that no customer took licenses.
 *
 * @example
 * ```ts
 * consumersLine(attribution) // ':busts_in_silhouette: this month: Acme Corp +40, Globex +25'
 * ```
 */
export function consumersLine(attribution: ConsumerAttribution): string {
  const parts = consumerParts(attribution, customerName);
  return parts.length > 0
    ? `:busts_in_silhouette: this month: ${parts.join(', ')}`
    : ':busts_in_silhouette: this month: no licenses allocated to customers (LMPI transaction report)';
}

/** `*Name* \`CODE\``: the product as every alert text names it, its data made inert. */
function productLabel(product: { productName: string; productCode: string }): string {
  return `*${dataName(product.productName)}* \`${dataCode(product.productCode)}\``;
}

function productName(view: ProductAlertView): string {
  return `*${dataName(view.product.productName)}*  \`${dataCode(view.product.productCode)}\``;
}

function productLine(view: ProductAlertView): string {
  const name = productName(view);
  if (view.note) return `${name}\n${noteLines(view.note)}`;
  // "critical in ~N days" only for a pool that is not critical yet.
  const forecast =
    view.forecast && view.level !== 'critical' ? ` · ${describeForecast(view.forecast, 'critical')}` : '';
  switch (view.reason) {
    case 'vanished':
      return `${name}\n:grey_question: no longer listed by LMPI (last seen with ${formatCount(view.available)} available)`;
    case 'forecast':
      return `${name}\n:chart_with_downwards_trend: ${formatCount(view.available)} available, ${describeForecast(view.forecast ?? { days: 0, perDay: 0 }, 'critical')} at ${formatRate(view.forecast?.perDay ?? 0)}`;
    default: {
      const crossed =
        view.threshold === undefined ? '' : ` (${LEVEL_WORD[view.level]} at ≤ ${formatCount(view.threshold)})`;
      const again = view.reason === 'renotify' ? ' · still low' : '';
      const consumers = view.consumers ? `\n${consumersLine(view.consumers)}` : '';
      if (view.trigger?.kind === 'runway') {
        // The runway fired, not the count: say when it runs out and how fast, not "N left".
        const runway = `*${escapeMrkdwn(describeTrigger(view.trigger, view.available))}*`;
        return `${name}\n${LEVEL_LABEL[view.level]}: ${runway} · ${formatCount(view.available)} available · ${change(view)}${again}${consumers}`;
      }
      return `${name}\n${LEVEL_LABEL[view.level]}: *${formatCount(view.available)}* available${crossed} · ${change(view)}${forecast}${again}${consumers}`;
    }
  }
}

function buttons(productId: string, index: number): ActionsBlock {
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

const urgencyKey = (alert: ProductAlertView) => ({
  ...alert.product,
  level: alert.level,
  runwayDays: alert.forecast?.daysToZero,
  available: alert.available,
});

function title(alerts: readonly ProductAlertView[]): string {
  const [only] = alerts;
  if (alerts.length === 1 && only) {
    const what =
      only.level === 'critical'
        ? 'Critical'
        : only.reason === 'vanished'
          ? 'Product gone'
          : only.reason === 'forecast'
            ? 'Running out soon'
            : 'Low';
    return `${what}: ${plainData(only.product.productName, 120)}`;
  }
  const critical = alerts.filter((a) => a.level === 'critical').length;
  return `${alerts.length} license pools need attention${critical ? ` (${critical} critical)` : ''}`;
}

/**
 * Products per digest message. Slack allows {@link LIMITS.blocksPerMessage} (50) blocks; a digest
 * takes a header, a section and a button row per product, a mention line and a context line
 * (2n + 3), so 23 would fit: 20 leaves room for a block added later. The Slack notifier's batch size.
 */
export const ALERTS_PER_DIGEST = Math.min(20, Math.floor((LIMITS.blocksPerMessage - 3) / 2));

/**
 * One digest message for an alert group (at most {@link ALERTS_PER_DIGEST} products). Each low product without a note
 * gets Snooze and Acknowledge buttons; one with a note (recovered, acknowledged, snoozed) shows it.
 *
 * @example
 * ```ts
 * await client.chat.postMessage({ channel, ...digestMessage(alerts) })
 * ```
 */
export function digestMessage(unordered: readonly ProductAlertView[], mentions: readonly string[] = []): SlackMessage {
  // The urgency order of /licenses and the CLI: critical, low, the rest; fewest available first.
  const alerts = [...unordered].sort((a, b) => compareUrgency(urgencyKey(a), urgencyKey(b)));
  const heading = title(alerts);
  const blocks: KnownBlock[] = [header(truncate(heading, 150))];
  alerts.forEach((alert, index) => {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: productLine(alert) },
      block_id: `alert_product:${alert.product.productId}`.slice(0, 255),
    });
    if (alert.reason !== 'vanished' && !alert.note) blocks.push(buttons(alert.product.productId, index));
  });
  const cc = alerts.some((a) => a.level === 'critical' && !a.note) ? mentionLine(mentions) : '';
  if (cc) blocks.push(section(`:rotating_light: ${cc}`));
  blocks.push(context('Acknowledge stops reminders until the pool recovers · `/licenses low` lists every low pool'));
  // The fallback text is what notifications show, and Slack parses markup in it: product names are
  // LMPI data and must never mention anyone (the header is plain_text and cannot).
  const fallback = dataName(heading, 4_000);
  return { text: cc ? `${fallback} ${cc}` : fallback, blocks };
}

/**
 * Slack mention markup for configured mentions (rule `mention:`; validated, never from LMPI data):
 * user ids, user group ids, `here`, `channel`. Anything else is left out.
 *
 * @example
 * ```ts
 * mentionLine(['U0ONCALL', 'S0NETOPS', 'here']) // '<@U0ONCALL> <!subteam^S0NETOPS> <!here>'
 * ```
 */
export function mentionLine(mentions: readonly string[]): string {
  return [...new Set(mentions)]
    .flatMap((m) => {
      if (m === 'here' || m === 'channel') return [`<!${m}>`];
      if (/^S[A-Z0-9]{2,}$/.test(m)) return [`<!subteam^${m}>`];
      if (/^[UW][A-Z0-9]{2,}$/.test(m)) return [`<@${m}>`];
      return [];
    })
    .join(' ');
}

/**
 * The thread reply for a later alert of an episode: escalated, back down a level, or a reminder.
 *
 * @example
 * ```ts
 * episodeUpdateText(previous, update) // ':red_circle: *Apex One* `NNZBXXE1X` is now *Critical*: *10* available (critical at ≤ 20) · −70 since last poll'
 * ```
 */
export function episodeUpdateText(previous: ProductAlertView, update: ProductAlertView): string {
  const crossed =
    update.threshold === undefined ? '' : ` (${LEVEL_WORD[update.level]} at ≤ ${formatCount(update.threshold)})`;
  const state = `*${formatCount(update.available)}* available${crossed} · ${change(update)}`;
  const level = update.level === 'critical' ? 'Critical' : update.level === 'low' ? 'Low' : 'OK';
  const emoji = update.level === 'critical' ? ':red_circle:' : ':large_orange_circle:';
  const name = productLabel(update.product);
  if (update.reason === 'renotify') return `:bell: Reminder: ${name} is still *${level}*: ${state}`;
  if (LEVEL_SEVERITY[update.level] > LEVEL_SEVERITY[previous.level])
    return `${emoji} ${name} is now *${level}*: ${state}`;
  return `${emoji} ${name} is back to *${level}* (was ${previous.level === 'critical' ? 'Critical' : 'Low'}): ${state}`;
}

/**
 * The thread reply noting an acknowledgement or snooze of a product's alert.
 *
 * @example
 * ```ts
 * handlingText(handling) // ':zzz: *Apex One* `NNZBXXE1X` snoozed by <@U0123> for 1 day'
 * ```
 */
export function handlingText(handling: AlertHandling): string {
  const name = productLabel(handling.product);
  const handled = handlingNote(handling);
  if (!handled) return `:bell: ${name} unmuted by <@${handling.actor}>: alerts resume from the next poll`;
  const note = noteText(handled);
  // noteText starts with the emoji: put the product name after it.
  const space = note.indexOf(' ');
  return `${note.slice(0, space)} ${name}${note.slice(space)}`;
}

/** The thread reply announcing that a product recovered (or left the catalogue). */
export function resolutionText(view: ResolutionView): string {
  const name = productLabel(view.product);
  if (view.vanished) return `:grey_question: ${name} is no longer listed by LMPI.`;
  return `:large_green_circle: ${name} recovered: ${formatCount(view.available)} available (${change(view)}).`;
}

/** The thread reply with who drained the pool, when LMPI's report came after the alert. */
export function attributionText(view: AttributionView): string {
  const name = productLabel(view.product);
  return `${name}\n${consumersLine(view.consumers)}`;
}

/** The LMPI outage alert and its resolution. */
export function lmpiMessage(notice: LmpiNoticeView): SlackMessage {
  if (notice.state === 'catalogue-shrank') {
    const { listed = 0, previous = 0 } = notice.catalogue ?? {};
    const text = `:warning: LMPI returned a much smaller catalogue: ${listed} of ${previous} products. Until later polls confirm it, products missing from it keep their alerts and are not reported as gone; \`/licenses\` shows the last full list.`;
    return {
      text: 'LMPI returned a much smaller catalogue',
      blocks: [header('LMPI catalogue much smaller'), section(text)],
    };
  }
  if (notice.state === 'recovered') {
    const text = `:large_green_circle: LMPI answers again${notice.since ? ` after ${formatDuration(notice.at - notice.since)}` : ''}. Alerts are evaluated again.`;
    return { text, blocks: [section(text)] };
  }
  // The same words /licenses, Home and the CLI use for this kind, never the kind's code.
  const why = notice.reason ? `: ${escapeMrkdwn(describeLmpiFailure(notice.reason).reason)}` : '';
  const text = `:warning: LMPI has failed ${notice.failures} polls in a row${why}. No license alerts can be evaluated until it answers; counts are not assumed to be zero.`;
  return { text: 'LMPI unreachable', blocks: [header('LMPI unreachable'), section(text)] };
}
