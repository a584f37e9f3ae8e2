// `/licenses usage [customer]`: LMP's customer summary for last month (provisioned vs used), paged
// like `/licenses`, with totals per product that match LMP's own report.

import {
  containsText,
  type ProductUsageTotals,
  previousMonth,
  reportMonthOf,
  usageTotalsByProduct,
} from '@licensewatch/alerts';
import { explainLmpiFailure } from '@licensewatch/client';
import type { CustomerUsageSummary } from '@licensewatch/schema';
import type { ActionsBlock, Button, KnownBlock } from '@slack/types';
import { context, divider, header, type SlackMessage, section } from '../block-kit/blocks.js';
import { customerName } from '../block-kit/customers.js';
import { echo, escapeMrkdwn, formatCount, truncate } from '../block-kit/format.js';
import { dataName } from '../block-kit/mrkdwn.js';
import { monthName } from './consumers.js';
import { PAGE_ACTIONS, type PageRequest } from './message.js';
import type { LicensesQuery } from './query.js';
import type { LicenseReports } from './reports.js';

/** Report rows per page: with the frame and split sections, far below 50 blocks and 12,000 characters. */
export const USAGE_PAGE_SIZE = 15;

/** A section's text stays below Slack's 3,000 characters. */
const SECTION_MAX = 2_900;

const collator = new Intl.Collator('en', { sensitivity: 'base' });

function usedText(row: CustomerUsageSummary): string {
  if (row.usage === 'reported' && row.used !== undefined) return `used *${formatCount(row.used)}*`;
  if (row.usage === 'unreadable') return 'used: _unreadable in LMP’s report_';
  return 'used: _not reported_ (LMP bills provisioned)';
}

function rowLine(row: CustomerUsageSummary): string {
  const plan = row.servicePlan ? ` · ${dataName(row.servicePlan, 40)}` : '';
  return `• ${customerName(row.customer)}${plan}: provisioned *${formatCount(row.provisioned)}* · ${usedText(row)}`;
}

function totalsLine(total: ProductUsageTotals): string {
  const used =
    total.reporting === 0
      ? 'no customer reports usage'
      : `used ${formatCount(total.used)} (${formatCount(total.reporting)} of ${formatCount(total.customers)} customers report usage)`;
  return `*${dataName(total.productName, 80)}*: total provisioned *${formatCount(total.provisioned)}* · ${used}`;
}

/** Lines packed into as few sections as fit Slack's per-section limit. */
function sections(lines: readonly string[]): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  let text = '';
  for (const line of lines) {
    if (text && text.length + line.length + 1 > SECTION_MAX) {
      blocks.push(section(text));
      text = '';
    }
    text = text ? `${text}\n${line}` : truncate(line, SECTION_MAX);
  }
  if (text) blocks.push(section(text));
  return blocks;
}

function pageButtons(text: string, page: number, pages: number): ActionsBlock | undefined {
  if (pages <= 1) return undefined;
  const button = (actionId: string, label: string, target: number): Button => ({
    type: 'button',
    action_id: actionId,
    text: { type: 'plain_text', text: label, emoji: true },
    value: JSON.stringify({ q: text, p: target } satisfies PageRequest),
  });
  const elements: Button[] = [];
  if (page > 0) elements.push(button(PAGE_ACTIONS.previous, `◀ Previous (${page}/${pages})`, page - 1));
  if (page < pages - 1) elements.push(button(PAGE_ACTIONS.next, `Next (${page + 2}/${pages}) ▶`, page + 1));
  return { type: 'actions', block_id: 'licenses_paging', elements };
}

function failedMessage(error: unknown, month: string): SlackMessage {
  const { reason, check } = explainLmpiFailure(error);
  return {
    response_type: 'ephemeral',
    text: `Could not get the usage report for ${month}: ${reason}.`,
    blocks: [
      section(
        `:warning: *Could not get the usage report for ${month}: ${escapeMrkdwn(reason)}.*\n${escapeMrkdwn(check)}`,
      ),
      context('Try again in a minute · `/licenses help`'),
    ],
  };
}

/**
 * The `/licenses usage [customer]` reply for one page: last month's customer summary (LMP's usage
 * reports summarise the previous month), rows sorted by product then customer, provisioned vs used
 * ("not reported" where the product reports no usage, never 0), totals per product over every
 * matching row, Previous/Next buttons. An LMPI failure is explained by its kind.
 *
 * @example
 * ```ts
 * await respond(await usageReply(parseLicensesQuery('usage acme'), reports, Date.now(), 0))
 * ```
 */
export async function usageReply(
  query: LicensesQuery & { kind: 'usage' },
  reports: LicenseReports,
  now: number,
  requestedPage: number,
): Promise<SlackMessage> {
  const cycle = previousMonth(reportMonthOf(now));
  const month = monthName(cycle);
  let rows: readonly CustomerUsageSummary[];
  try {
    rows = await reports.summary(cycle);
  } catch (error) {
    return failedMessage(error, month);
  }
  const matching = rows
    .filter((row) => !query.customer || containsText([row.customer], query.customer))
    .sort(
      (a, b) =>
        collator.compare(a.productName, b.productName) ||
        collator.compare(a.customer ?? '\uffff', b.customer ?? '\uffff') ||
        b.provisioned - a.provisioned,
    );
  const totals = new Map(usageTotalsByProduct(matching).map((total) => [total.productName, total]));
  const pages = Math.max(1, Math.ceil(matching.length / USAGE_PAGE_SIZE));
  const page = Math.min(Math.max(0, Math.trunc(requestedPage) || 0), pages - 1);
  const shown = matching.slice(page * USAGE_PAGE_SIZE, (page + 1) * USAGE_PAGE_SIZE);

  const title = `Usage: ${month}`;
  const scope = query.customer
    ? `${formatCount(matching.length)} of ${formatCount(rows.length)} rows for customers matching “${echo(query.customer)}”`
    : `${formatCount(rows.length)} rows`;
  const blocks: KnownBlock[] = [
    header(title),
    context(
      `LMP’s usage reports summarise the previous month: this is *${month}* (UTC) · ${scope}${pages > 1 ? ` · page ${page + 1} of ${pages}` : ''}`,
    ),
    divider,
  ];
  if (shown.length === 0) {
    blocks.push(
      section(
        rows.length === 0
          ? `LMP’s customer summary for ${month} has no rows.`
          : `No customer name contains “${echo(query.customer ?? '')}” in ${month}. Try part of a name, or \`/licenses usage\`.`,
      ),
    );
  }
  const products = [...new Set(shown.map((row) => row.productName))];
  for (const product of products) {
    const total = totals.get(product);
    const lines = shown.filter((row) => row.productName === product).map(rowLine);
    blocks.push(...sections(total ? [totalsLine(total), ...lines] : lines));
  }
  const buttons = pageButtons(query.text, page, pages);
  if (buttons) blocks.push(buttons);
  blocks.push(
    context(
      `Totals are per product over every ${query.customer ? 'matching ' : ''}row of the report (all pages) · units as LMP reports them · no pricing · \`/licenses help\``,
    ),
  );
  return { response_type: 'ephemeral', text: `${title} (${formatCount(matching.length)} rows)`, blocks };
}
