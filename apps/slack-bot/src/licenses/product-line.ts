import { type AlertLevel, formatRunway, type RatedProduct, sparkline } from '@licensewatch/alerts';
import type { ProductProfile } from '@licensewatch/schema';
import type { SectionBlock } from '@slack/types';
import { formatCount } from '../block-kit/format.js';
import { dataCode, dataName } from '../block-kit/mrkdwn.js';

/** Products per section block: 10 lines of at most ~130 characters stay far below 3,000. */
export const LINES_PER_SECTION = 10;

/** `block_id` prefix of the sections that list products (one line per product). */
export const PRODUCT_LINES_BLOCK = 'licenses_products';

/** The status badge: one emoji per level (the legend in the footer names them). */
export const BADGE: Record<AlertLevel, string> = {
  critical: ':red_circle:',
  low: ':large_orange_circle:',
  ok: ':large_green_circle:',
};

/** A product's recent trend: one value per day, oldest first (undefined: no reading yet). */
export type DailyTrend = readonly (number | undefined)[];

/**
 * One compact line: badge, name, code, available, a 14-day sparkline and the runway. The part that
 * put the product at its level is bold (the count, or the runway when the runway fired).
 *
 * @example
 * ```ts
 * productLine(rated, [900, 850, 800]) // ':red_circle: *Apex One* `NNZBXXE1X` · *120* · `█▇▆` · ~3 d'
 * ```
 */
export function productLine(rated: RatedProduct<ProductProfile>, trend: DailyTrend | undefined): string {
  const cached = lineCache.get(rated);
  if (cached && cached.trend === trend) return cached.line;
  const line = buildLine(rated, trend);
  lineCache.set(rated, { trend, line });
  return line;
}

// A line depends only on the rated product (one object per snapshot, levels and forecasts: see
// ratedCatalogue in message.ts) and its trend (one array per poll): built once, then shared by
// every reply that shows it (number formatting, escaping and truncation were a tenth of the bot's
// CPU under load when rebuilt per command).
const lineCache = new WeakMap<RatedProduct<ProductProfile>, { trend: DailyTrend | undefined; line: string }>();

function buildLine(rated: RatedProduct<ProductProfile>, trend: DailyTrend | undefined): string {
  const { product, level, trigger, runwayDays } = rated;
  const name = dataName(product.productName || product.productCode, 48);
  const code = dataCode(product.productCode, 40);
  const count = formatCount(product.available);
  const runwayFired = trigger?.kind === 'runway';
  const available = level !== 'ok' && !runwayFired ? `*${count}*` : count;
  const parts = [`${BADGE[level]} *${name}* \`${code}\``, available];
  if (trend?.some((v) => v !== undefined)) parts.push(`\`${sparkline(trend)}\``);
  if (runwayDays !== undefined) {
    const runway = formatRunway(runwayDays);
    parts.push(runwayFired ? `*${runway}*` : runway);
  }
  return parts.join(' · ');
}

/**
 * The product lines grouped into section blocks of {@link LINES_PER_SECTION}.
 *
 * @example
 * ```ts
 * blocks.push(...productSections(shown, (id) => trends.get(id)))
 * ```
 */
export function productSections(
  rated: readonly RatedProduct<ProductProfile>[],
  trendFor: ((productId: string) => DailyTrend | undefined) | undefined,
): SectionBlock[] {
  const sections: SectionBlock[] = [];
  for (let i = 0; i < rated.length; i += LINES_PER_SECTION) {
    const lines = rated.slice(i, i + LINES_PER_SECTION).map((r) => productLine(r, trendFor?.(r.product.productId)));
    sections.push({
      type: 'section',
      block_id: `${PRODUCT_LINES_BLOCK}:${i / LINES_PER_SECTION}`,
      text: { type: 'mrkdwn', text: lines.join('\n') },
    });
  }
  return sections;
}

/** The footer legend for the compact lines. */
export const LINES_LEGEND =
  ':red_circle: Critical · :large_orange_circle: Low · :large_green_circle: OK · bars: available over 14 days (▁ empty … █ fullest) · ~N d: runway, days until zero (the early end of its 80 % range unless set otherwise)';
