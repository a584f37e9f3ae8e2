import {
  type ConsumptionAnalysis,
  describeRunway,
  describeTrigger,
  forecastFrom,
  formatDuration,
  formatRate,
  formatRunway,
  type ProductAlertState,
  type RatedProduct,
  type RunwayBasis,
} from '@licensewatch/alerts';
import type { ProductProfile } from '@licensewatch/schema';
import type { ImageBlock, KnownBlock } from '@slack/types';
import type { CurrentHandling } from '../alerts/handling.js';
import { context, header, type SlackMessage, section } from '../block-kit/blocks.js';
import { escapeMrkdwn, formatAge, formatCount } from '../block-kit/format.js';
import { dataCode, dataName, plainData } from '../block-kit/mrkdwn.js';
import { slackDate } from '../block-kit/slack-dates.js';
import { shareChartButton } from '../charts/share-chart.js';
import { BADGE } from './product-line.js';
import { type ServicePlansView, servicePlansText } from './service-plans.js';

const LEVEL_NAME = { critical: 'Critical', low: 'Low', ok: 'OK' } as const;

/** Everything `/licenses <code>` shows about one product. */
export interface ProductDetailInput {
  rated: RatedProduct<ProductProfile>;
  analysis: ConsumptionAnalysis;
  /** The chart, uploaded and shared: its file id. */
  chartFileId: string | undefined;
  /** Why there is no chart, when there is none (e.g. the bot is not in the channel). */
  chartProblem: string | undefined;
  /** Where the rule came from, when set in Slack: who and when. */
  override: { by: string; at: number } | undefined;
  alert: ProductAlertState | undefined;
  /** False when the alert database could not be read (the view says so instead of "no alert"). */
  alertStateKnown?: boolean;
  handling: CurrentHandling | undefined;
  fetchedAt: number;
  now: number;
  demoNote?: string | undefined;
  /** The product's service plans (Trend Vision One ones marked); absent: the section is left out. */
  servicePlans?: ServicePlansView | undefined;
  /**
   * Which end of the runway interval the levels use (the thresholds file's `runway_basis`,
   * pessimistic by default): "critical level in …" uses it too, so it never falls after the runway.
   */
  runwayBasis?: RunwayBasis | undefined;
}

const days = (ms: number) => formatDuration(ms).replace(/ days?$/, ' d');

function ruleText({ rated, override }: ProductDetailInput): string {
  const { levels } = rated;
  const runway = (ms: number | undefined) => (ms ? ` or within ${days(ms)} of empty` : '');
  const source =
    levels.source === 'override'
      ? `set in Slack${override ? ` by <@${override.by}> ${slackDate(override.at, '{date_short_pretty}')}` : ''} (\`/licenses threshold\`)`
      : levels.source === 'rule'
        ? 'a product rule of the thresholds file'
        : 'the default levels';
  return `*Rule in force* (${source})\nLow at ≤ ${formatCount(levels.low)}${runway(levels.lowRunwayMs)} · critical at ≤ ${formatCount(levels.critical)}${runway(levels.criticalRunwayMs)}`;
}

function burnText({ analysis, rated, now, runwayBasis }: ProductDetailInput): string {
  if (analysis.status === 'insufficient') {
    const have = analysis.have.spanMs > 0 ? formatDuration(analysis.have.spanMs) : 'no';
    return `*Burn rate*\nNot enough data yet: ${have} of readings (${analysis.have.points}), ${formatDuration(analysis.need.spanMs)} and ${analysis.need.points} readings needed.`;
  }
  if (analysis.emptySince !== undefined) {
    const before = analysis.perDay > 0 ? ` (consumed at ${formatRate(analysis.perDay)} before)` : '';
    return `*Burn rate*\nEmpty since ${slackDate(analysis.emptySince)}${before}: nothing left to forecast.`;
  }
  if (analysis.perDay <= 0 || !analysis.runway)
    return `*Burn rate*\nNo consumption in the last ${formatDuration(analysis.basis.spanMs)}: no depletion forecast.`;
  // "critical level in …" only for a pool that is not critical yet.
  const notCritical = rated.level !== 'critical' && analysis.latest.available > rated.levels.critical;
  const toCritical = notCritical
    ? forecastFrom(analysis, rated.levels.critical, runwayBasis ?? 'pessimistic')
    : undefined;
  // Never a date in the past: the readings may be a poll old.
  const empty = analysis.latest.at + analysis.runway.expected * 86_400_000;
  const when = empty > now ? ` (around ${slackDate(empty, '{date_short_pretty}')})` : '';
  return [
    '*Burn rate*',
    `${formatRate(analysis.perDay)} (confidence ${analysis.confidence}, ${formatDuration(analysis.basis.spanMs)} of readings) · runs out ${describeRunway(analysis.runway)}${when}${toCritical ? ` · critical level in ${formatRunway(toCritical.days)}` : ''}`,
  ].join('\n');
}

function alertText({ rated, alert, alertStateKnown, handling, now }: ProductDetailInput): string {
  const lines = ['*Alert*'];
  if (alertStateKnown === false) return `*Alert*\n:warning: Unknown right now: the alert database is unreachable.`;
  const level = alert?.level ?? 'ok';
  if (!alert || level === 'ok') lines.push('No open alert.');
  else
    lines.push(
      `${LEVEL_NAME[level]} since ${slackDate(alert.episode?.startedAt ?? alert.since)}${alert.alertOpen ? ' · alert sent' : ''}${rated.trigger ? ` · ${escapeMrkdwn(describeTrigger(rated.trigger, rated.product.available))}` : ''}`,
    );
  if (handling?.acknowledged)
    lines.push(
      `:white_check_mark: acknowledged${handling.acknowledged.by ? ` by <@${handling.acknowledged.by}>` : ''}: no reminders until it recovers`,
    );
  if (handling?.muted) {
    const [emoji, verb] = handling.muted.kind === 'snooze' ? [':zzz:', 'snoozed'] : [':no_bell:', 'muted'];
    lines.push(
      `${emoji} ${verb}${handling.muted.by ? ` by <@${handling.muted.by}>` : ''} until ${slackDate(handling.muted.until)} (${formatDuration(handling.muted.until - now)} left)`,
    );
  }
  return lines.join('\n');
}

function eventsText(analysis: ConsumptionAnalysis): string | undefined {
  if (analysis.status !== 'estimate') return undefined;
  const drops = analysis.largestDrops.map((d) => `−${formatCount(d.consumed)} ${slackDate(d.at)}`);
  const refills = analysis.refills
    .slice(-5)
    .reverse()
    .map((r) => `+${formatCount(r.added)} ${slackDate(r.at)}`);
  const parts = [
    `*Largest recent drops*\n${drops.length ? drops.join(' · ') : 'none'}`,
    `*Refills detected* (excluded from the burn rate)\n${refills.length ? refills.join(' · ') : 'none in the last 28 days'}`,
  ];
  return parts.join('\n');
}

/**
 * The `/licenses <code>` reply: level and count, the 30-day chart (an uploaded file), burn rate
 * and runway, the rule in force and its source, the alert episode (acknowledged or snoozed by
 * whom, until when), the largest recent drops and the refills detected, with Slack date tokens.
 * The footer is the last block, so other features add sections before it (`withSections`).
 *
 * @example
 * ```ts
 * await respond(productDetailMessage({ rated, analysis, chartFileId, … }))
 * ```
 */
export function productDetailMessage(input: ProductDetailInput): SlackMessage {
  const { product, level } = input.rated as { product: ProductProfile; level: keyof typeof LEVEL_NAME };
  const title = plainData(`${product.productName} (${product.productCode})`, 150);
  const blocks: KnownBlock[] = [
    header(title),
    context(
      `${BADGE[level]} *${LEVEL_NAME[level]}* · *${formatCount(product.available)}* available · runway ${product.available <= 0 ? 'empty' : formatRunway(input.rated.runwayDays)} · as of ${formatAge(input.now - input.fetchedAt)}`,
    ),
  ];
  if (input.chartFileId) {
    const image: ImageBlock = {
      type: 'image',
      slack_file: { id: input.chartFileId },
      alt_text: plainData(
        `30-day chart of available licenses for ${product.productName}: now ${product.available}, low at ${input.rated.levels.low}, critical at ${input.rated.levels.critical}`,
        2_000,
      ),
    };
    blocks.push(
      image,
      context(':lock: Only you can see this chart (it is in your direct messages with licensewatch).'),
      { type: 'actions', block_id: 'chart_share', elements: [shareChartButton(product.productCode)] },
    );
  } else if (input.chartProblem) {
    blocks.push(context(`:warning: No chart: ${escapeMrkdwn(input.chartProblem)}`));
  }
  blocks.push(section(burnText(input)), section(ruleText(input)), section(alertText(input)));
  const events = eventsText(input.analysis);
  if (events) blocks.push(section(events));
  if (input.servicePlans) blocks.push(section(servicePlansText(product, input.servicePlans)));
  blocks.push(
    context(
      `${input.demoNote ? `:test_tube: ${escapeMrkdwn(input.demoNote)} · ` : ''}\`/licenses\` lists every product · \`/licenses help\``,
    ),
  );
  return {
    response_type: 'ephemeral',
    // The notification fallback: Slack parses markup here too, so the name is escaped like any data.
    text: `${dataName(product.productName)} (${dataCode(product.productCode)}): ${formatCount(product.available)} available, ${LEVEL_NAME[level]}`,
    blocks,
  };
}
