// `/licenses alerts`: alerts waiting to be delivered and dead letters (given up on), and
// `/licenses alerts retry` to re-queue the dead ones (admins, audited).

import type { OutboxEntry, Store } from '@licensewatch/store';
import { context, header, type SlackMessage, section } from '../block-kit/blocks.js';
import { escapeMrkdwn, formatCount } from '../block-kit/format.js';
import { fitLines } from '../block-kit/gate.js';
import { dataCode, dataName } from '../block-kit/mrkdwn.js';
import { slackDate } from '../block-kit/slack-dates.js';

/** The alerts subcommands. */
export type AlertsCommand = { kind: 'alerts-list' } | { kind: 'alerts-retry' };

/** Rows shown per status. */
const SHOWN = 15;

/**
 * Recognises `alerts` and `alerts retry` (the words after `/licenses`).
 *
 * @example
 * ```ts
 * parseAlertsCommand(['alerts', 'retry']) // { kind: 'alerts-retry' }
 * ```
 */
export function parseAlertsCommand(words: readonly string[]): AlertsCommand | { kind: 'usage'; message: string } {
  const sub = words[1]?.toLowerCase();
  if (words.length === 1 || sub === 'list') return { kind: 'alerts-list' };
  if (sub === 'retry' && words.length === 2) return { kind: 'alerts-retry' };
  return {
    kind: 'usage',
    message:
      'Usage: `/licenses alerts` lists undelivered alerts; `/licenses alerts retry` re-queues dead ones (admins).',
  };
}

function what(row: OutboxEntry): string {
  switch (row.kind) {
    case 'product-alerts':
    case 'resolution': {
      const { event } = row;
      const name = `*${dataName(event.product.productName)}* \`${dataCode(event.product.productCode)}\``;
      if (row.kind === 'resolution') return `${name} recovered`;
      const level = event.level === 'critical' ? 'Critical' : event.level === 'low' ? 'Low' : 'OK';
      return `${level}: ${name}, ${formatCount(event.available)} available`;
    }
    case 'lmpi-notice':
      return row.event.kind === 'lmpi-unreachable' ? 'LMPI unreachable' : 'LMPI answers again';
    case 'acknowledgement':
      return `${row.handling.action} *${dataName(row.handling.product.productName)}* \`${dataCode(row.handling.product.productCode)}\` by <@${row.handling.actor}>`;
    case 'attribution':
      return `who drained *${dataName(row.product.productName)}* \`${dataCode(row.product.productCode)}\``;
  }
}

function where(row: OutboxEntry): string {
  if (row.destination.notifier === 'slack') return row.destination.target ? `<#${row.destination.target}>` : 'Slack';
  return row.destination.notifier === 'pagerduty' ? 'PagerDuty' : escapeMrkdwn(row.destination.notifier);
}

const plural = (n: number, one: string, many = `${one}s`) => `${formatCount(n)} ${n === 1 ? one : many}`;

function line(row: OutboxEntry): string {
  const tries = plural(row.attempts, 'attempt');
  const error = row.lastError ? ` · last error: \`${dataCode(row.lastError, 200)}\`` : '';
  const next = row.status === 'pending' && row.nextAttemptAt > 0 ? ` · next try ${slackDate(row.nextAttemptAt)}` : '';
  return `• ${what(row)} → ${where(row)} · ${slackDate(row.createdAt)} · ${tries}${error}${next}`;
}

/**
 * The undelivered alerts: waiting (pending or being sent) and dead letters.
 *
 * @example
 * ```ts
 * await respond(await undeliveredAlerts(store))
 * ```
 */
export async function undeliveredAlerts(store: Store): Promise<SlackMessage> {
  const rows = await store.outbox.list(['pending', 'sending', 'dead']);
  const dead = rows.filter((r) => r.status === 'dead');
  const waiting = rows.filter((r) => r.status !== 'dead');
  if (rows.length === 0) {
    const text = 'Every alert has been delivered: none waiting, no dead letters.';
    return { response_type: 'ephemeral', text, blocks: [section(`:white_check_mark: ${text}`)] };
  }
  const text = `${plural(waiting.length, 'alert')} waiting, ${plural(dead.length, 'dead letter')}`;
  const block = (title: string, list: OutboxEntry[]) =>
    list.length === 0
      ? []
      : [
          section(
            fitLines(
              `*${title}*\n${list.slice(0, SHOWN).map(line).join('\n')}`,
              2_900,
              Math.max(0, list.length - SHOWN),
            ),
          ),
        ];
  return {
    response_type: 'ephemeral',
    text,
    blocks: [
      header('Undelivered alerts'),
      ...block('Dead letters (given up on)', dead),
      ...block('Waiting to be delivered', waiting),
      context(
        dead.length > 0
          ? 'Fix the cause (e.g. invite @licensewatch to a private channel), then `/licenses alerts retry` (admins) re-queues the dead letters.'
          : 'Waiting alerts are retried automatically with backoff.',
      ),
    ],
  };
}

/**
 * Re-queues every dead letter for delivery, audited, then delivers.
 *
 * @example
 * ```ts
 * await retryDeadAlerts(store, 'U0123ADMIN', Date.now(), () => dispatcher.flush())
 * ```
 */
export async function retryDeadAlerts(
  store: Store,
  actor: string,
  at: number,
  deliver: () => Promise<unknown>,
): Promise<SlackMessage> {
  const keys = await store.transaction(async (tx) => {
    const requeued = await tx.outbox.requeueDead();
    if (requeued.length > 0)
      await tx.rules.audit({
        at,
        actor,
        action: 'alerts.retry',
        target: plural(requeued.length, 'dead letter'),
        oldValue: null,
        newValue: { requeued: requeued.length },
      });
    return requeued;
  });
  if (keys.length === 0) {
    const text = 'There are no dead letters to retry.';
    return { response_type: 'ephemeral', text, blocks: [section(text)] };
  }
  await deliver();
  const text = `Re-queued ${plural(keys.length, 'dead letter')}; \`/licenses alerts\` shows what is still undelivered.`;
  return { response_type: 'ephemeral', text, blocks: [section(text)] };
}
