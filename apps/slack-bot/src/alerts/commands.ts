import { formatDuration, parseDuration, type ThresholdConfig } from '@licensewatch/alerts';
import type { ProductProfile } from '@licensewatch/schema';
import type { Store } from '@licensewatch/store';
import { context, header, type SlackMessage, section } from '../block-kit/blocks.js';
import { echo, formatCount } from '../block-kit/format.js';
import { fitLines } from '../block-kit/gate.js';
import { dataCode, dataName } from '../block-kit/mrkdwn.js';
import { slackDate } from '../block-kit/slack-dates.js';
import type { CatalogueCache } from '../catalogue-cache.js';
import { type AlertAction, type AlertActionsDeps, applyAlertAction, muteDurationProblem } from './admin-actions.js';
import { auditLine } from './audit-lines.js';
import { type AlertsCommand, parseAlertsCommand, retryDeadAlerts, undeliveredAlerts } from './dead-letters.js';

/** A `/licenses` subcommand that reads or changes alert settings. */
export type AdminCommand =
  | { kind: 'threshold-list' }
  | { kind: 'threshold-set'; product: string; low: number; critical: number | undefined }
  | { kind: 'mute'; product: string; durationMs: number }
  | { kind: 'unmute'; product: string }
  | AlertsCommand
  | { kind: 'usage'; message: string };

const USAGE = {
  threshold:
    '`/licenses threshold list` or `/licenses threshold <product code> <low> [critical]`, e.g. `/licenses threshold NNZBXXE1X 500 100`',
  mute: '`/licenses mute <product code> <duration>`, e.g. `/licenses mute NNZBXXE1X 1d` (30m, 4h, 2d, 1w)',
  unmute: '`/licenses unmute <product code>`',
};

const count = (text: string | undefined) => (text !== undefined && /^\d{1,9}$/.test(text) ? Number(text) : undefined);

/**
 * Recognises `threshold …`, `mute …`, `unmute …` and `alerts [retry]`; anything else is not an
 * admin command.
 *
 * @example
 * ```ts
 * parseAdminCommand('threshold NNZBXXE1X 500 100') // { kind: 'threshold-set', product: 'NNZBXXE1X', low: 500, critical: 100 }
 * ```
 */
export function parseAdminCommand(text: string): AdminCommand | undefined {
  const words = text.trim().split(/\s+/);
  const verb = words[0]?.toLowerCase();
  if (verb === 'threshold' || verb === 'thresholds') {
    if (words.length === 1 || words[1]?.toLowerCase() === 'list') return { kind: 'threshold-list' };
    const low = count(words[2]);
    const critical = words[3] === undefined ? undefined : count(words[3]);
    if (!words[1] || low === undefined || (words[3] !== undefined && critical === undefined) || words.length > 4) {
      return { kind: 'usage', message: `Levels are whole numbers of licenses. Usage: ${USAGE.threshold}` };
    }
    if (critical !== undefined && critical > low)
      return { kind: 'usage', message: 'The critical level cannot be above the low level.' };
    return { kind: 'threshold-set', product: words[1], low, critical };
  }
  if (verb === 'mute') {
    const durationMs = words[2] ? parseDuration(words[2]) : undefined;
    if (!words[1] || durationMs === undefined || durationMs <= 0 || words.length > 3)
      return { kind: 'usage', message: `Usage: ${USAGE.mute}` };
    const tooLong = muteDurationProblem(durationMs);
    if (tooLong) return { kind: 'usage', message: tooLong };
    return { kind: 'mute', product: words[1], durationMs };
  }
  if (verb === 'alerts') return parseAlertsCommand(words);
  if (verb === 'unmute') {
    if (!words[1] || words.length > 2) return { kind: 'usage', message: `Usage: ${USAGE.unmute}` };
    return { kind: 'unmute', product: words[1] };
  }
  return undefined;
}

export interface AdminContext {
  store: Store;
  cache: CatalogueCache;
  thresholds: ThresholdConfig;
  adminUserIds: readonly string[];
  now: () => number;
  /** Called after a threshold change so `/licenses` shows it at once. */
  rulesChanged: () => Promise<void>;
  /** The alert buttons (acknowledge, snooze): state, audit and message updates through the outbox. */
  alertActions: AlertActionsDeps;
}

const reply = (text: string, extra: string[] = []): SlackMessage => ({
  response_type: 'ephemeral',
  text,
  blocks: [section(text), ...extra.map((e) => context(e))],
});

function findProduct(products: readonly ProductProfile[], match: string): ProductProfile | undefined {
  const key = match.toUpperCase();
  return products.find((p) => p.productCode.toUpperCase() === key || p.productId.toUpperCase() === key);
}

/**
 * Runs an admin command for `userId`. Changes are refused politely to non-admins, audited (who,
 * when, old, new) and take effect at the next poll.
 */
export async function runAdminCommand(command: AdminCommand, userId: string, ctx: AdminContext): Promise<SlackMessage> {
  if (command.kind === 'usage') return reply(command.message);
  if (command.kind === 'threshold-list') return thresholdList(ctx);
  if (command.kind === 'alerts-list') return undeliveredAlerts(ctx.store);
  if (!ctx.adminUserIds.includes(userId)) {
    const what = command.kind === 'alerts-retry' ? 'retry dead alerts' : 'change thresholds or mute alerts';
    return reply(`Sorry, only licensewatch admins can ${what}.`, [
      ctx.adminUserIds.length
        ? `Admins: ${ctx.adminUserIds.map((id) => `<@${id}>`).join(', ')}`
        : 'No admins are configured (ADMIN_USER_IDS).',
    ]);
  }
  if (command.kind === 'alerts-retry') return retryDeadAlerts(ctx.store, userId, ctx.now(), ctx.alertActions.deliver);
  const products = (await ctx.cache.read()).snapshot?.catalogue.products ?? [];
  const product = findProduct(products, command.product);
  if (!product)
    return reply(
      `No product with code or id “${echo(command.product)}” in the catalogue. \`/licenses ${echo(command.product)}\` searches by name.`,
    );
  const at = ctx.now();
  const label = `*${dataName(product.productName)}* \`${dataCode(product.productCode)}\``;
  if (command.kind === 'threshold-set') {
    const critical = command.critical ?? Math.min(command.low, ctx.thresholds.default.critical);
    await ctx.store.rules.setOverride(product.productCode, { low: command.low, critical }, userId, at);
    await ctx.rulesChanged();
    return reply(
      `Thresholds for ${label}: low at ≤ ${formatCount(command.low)}, critical at ≤ ${formatCount(critical)}.`,
      ['Alerts use them from the next poll. `/licenses threshold list` shows every rule and change.'],
    );
  }
  const action: AlertAction =
    command.kind === 'mute' ? { kind: 'mute', durationMs: command.durationMs } : { kind: 'unmute' };
  const result = await applyAlertAction(ctx.alertActions, product.productId, action, userId, at);
  if (!result.ok)
    return reply(
      result.reason === 'too-long'
        ? (muteDurationProblem(command.kind === 'mute' ? command.durationMs : 0) ?? 'That mute is too long.')
        : result.reason === 'not-muted'
          ? `Alerts for ${label} were not muted or snoozed: nothing changed.`
          : `${label} has not been polled yet; try again after the next poll.`,
    );
  return reply(
    command.kind === 'mute'
      ? `Alerts for ${label} are muted for ${formatDuration(command.durationMs)}, until ${slackDate(at + command.durationMs)}. \`/licenses unmute ${dataCode(product.productCode)}\` ends it sooner.`
      : `Alerts for ${label} are unmuted: they resume from the next poll.`,
  );
}

async function thresholdList(ctx: AdminContext): Promise<SlackMessage> {
  const { thresholds } = ctx;
  const overrides = await ctx.store.rules.overrides();
  const audit = await ctx.store.rules.recentAudit(5);
  const lines = [
    `*Default*: low at ≤ ${formatCount(thresholds.default.low)}, critical at ≤ ${formatCount(thresholds.default.critical)}${thresholds.default.recovery ? `, recovery margin ${thresholds.default.recovery}` : ''}`,
    ...thresholds.products.map(
      (rule) =>
        `*${dataName(rule.match)}* (file): low ≤ ${formatCount(rule.low ?? thresholds.default.low)}, critical ≤ ${formatCount(rule.critical ?? thresholds.default.critical)}${rule.channel ? ` → <#${rule.channel}>` : ''}`,
    ),
    ...overrides.map(
      (o) =>
        `*${dataName(o.match)}* (set by <@${o.updatedBy}> ${slackDate(o.updatedAt)}): low ≤ ${formatCount(o.low)}, critical ≤ ${formatCount(o.critical)}`,
    ),
  ];
  const changes = audit.map(auditLine);
  return {
    response_type: 'ephemeral',
    text: 'Alert thresholds',
    blocks: [
      header('Alert thresholds'),
      // Cut at a line, saying how many rules are left out (a character cut lost them silently).
      section(fitLines(lines.join('\n'), 2_900)),
      ...(changes.length ? [section(fitLines(`*Recent changes*\n${changes.join('\n')}`, 2_900))] : []),
      context('Change: `/licenses threshold <code> <low> [critical]` (admins) · mute: `/licenses mute <code> 1d`'),
    ],
  };
}
