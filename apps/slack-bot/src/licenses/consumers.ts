// `/licenses <code>`: who took the product's licenses this month and last month (LMPI's transaction
// report). Its own section, appended to the product reply, so other sections can sit beside it.
import {
  type ConsumerAttribution,
  formatMonthYear,
  previousMonth,
  reportMonthOf,
  TOP_CONSUMERS,
  topConsumers,
} from '@licensewatch/alerts';
import { explainLmpiFailure } from '@licensewatch/client';
import type { ProductProfile } from '@licensewatch/schema';
import type { KnownBlock } from '@slack/types';
import { context, type SlackMessage, section } from '../block-kit/blocks.js';
import { consumerParts, customerName } from '../block-kit/customers.js';
import { escapeMrkdwn } from '../block-kit/format.js';
import type { LicensesQuery } from './query.js';
import type { LicenseReports } from './reports.js';

/** "July 2025". */
export const monthName = (cycle: { year: number; month: number }) =>
  formatMonthYear(Date.UTC(cycle.year, cycle.month - 1, 1));

/**
 * The one product a query names by its exact product code (case-insensitive), if any: only then
 * does `/licenses` add who drained it.
 *
 * @example
 * ```ts
 * exactProduct(parseLicensesQuery('nnzbxxe1x'), products) // the NNZBXXE1X profile
 * ```
 */
export function exactProduct(
  query: LicensesQuery,
  products: readonly ProductProfile[] | undefined,
): ProductProfile | undefined {
  if (query.kind !== 'list' || !query.filter || !products) return undefined;
  const code = query.filter.trim().toUpperCase();
  const matches = products.filter((p) => p.productCode.toUpperCase() === code);
  return matches.length === 1 ? matches[0] : undefined;
}

/**
 * True when the reply needs one of LMPI's reports (not only the cached product list), so it cannot
 * ride in the acknowledgement: `/licenses usage`, and `/licenses <exact product code>`.
 *
 * @example
 * ```ts
 * readsReports(parseLicensesQuery('usage'), products) // true
 * ```
 */
export function readsReports(query: LicensesQuery, products: readonly ProductProfile[] | undefined): boolean {
  return query.kind === 'usage' || exactProduct(query, products) !== undefined;
}

function monthLine(
  label: string,
  cycle: { year: number; month: number },
  result: PromiseSettledResult<ConsumerAttribution>,
): string {
  const name = `*${monthName(cycle)}* (${label})`;
  if (result.status === 'rejected') {
    const { reason } = explainLmpiFailure(result.reason);
    return `${name}: :warning: ${escapeMrkdwn(reason)}`;
  }
  const parts = consumerParts(result.value, customerName);
  return parts.length > 0 ? `${name}: ${parts.join(', ')}` : `${name}: no licenses allocated to customers`;
}

/**
 * The "who took its licenses" section for one product: net units per customer this month and last
 * month, top {@link TOP_CONSUMERS} then "N others". A failed report says why (by error kind), never
 * "nobody".
 *
 * @example
 * ```ts
 * const blocks = await consumersSection(product, reports, Date.now())
 * ```
 */
export async function consumersSection(
  product: ProductProfile,
  reports: LicenseReports,
  now: number,
): Promise<KnownBlock[]> {
  const thisMonth = reportMonthOf(now);
  const lastMonth = previousMonth(thisMonth);
  const attribution = async (cycle: { year: number; month: number }) =>
    topConsumers(await reports.transactions({ ...cycle, productId: product.productId }), cycle);
  const [current, previous] = await Promise.allSettled([attribution(thisMonth), attribution(lastMonth)]);
  const failure = [current, previous].find((r) => r.status === 'rejected');
  const blocks: KnownBlock[] = [
    section(
      [
        ':busts_in_silhouette: *Who took its licenses* (net units per customer)',
        `• ${monthLine('this month, so far', thisMonth, current)}`,
        `• ${monthLine('last month', lastMonth, previous)}`,
      ].join('\n'),
    ),
  ];
  if (failure?.status === 'rejected') blocks.push(context(escapeMrkdwn(explainLmpiFailure(failure.reason).check)));
  else blocks.push(context('From LMPI’s customer transaction report (UTC months); returns reduce a customer’s count.'));
  return blocks;
}

/**
 * The reply with extra sections placed before its footer (the last block).
 *
 * @example
 * ```ts
 * withSections(buildLicensesReply(input), await consumersSection(product, reports, now))
 * ```
 */
export function withSections(message: SlackMessage, sections: readonly KnownBlock[]): SlackMessage {
  if (sections.length === 0) return message;
  const blocks = [...message.blocks];
  const footer = blocks.pop();
  return { ...message, blocks: [...blocks, ...sections, ...(footer ? [footer] : [])] };
}
