import { type ConsumptionAnalysis, type HistoryPoint, type ResolvedRule, withReading } from '@licensewatch/alerts';
import type { ProductProfile } from '@licensewatch/schema';
import type { Store } from '@licensewatch/store';

const DAY = 86_400_000;

/** A product's last 30 days, its burn-rate analysis, and the chart of both. */
export interface PoolPicture {
  history: readonly HistoryPoint[];
  analysis: ConsumptionAnalysis;
  png: Buffer;
}

/**
 * Reads a product's 30-day history (plus its current count), analyses it and renders the chart
 * (`@licensewatch/charts`, loaded on first use: a native module).
 *
 * @example
 * ```ts
 * const { png, analysis } = await poolPicture(store, product, ruleFor(product), Date.now())
 * ```
 */
export async function poolPicture(
  store: Store,
  product: ProductProfile,
  rule: Pick<ResolvedRule, 'low' | 'critical'>,
  now: number,
  note?: string,
): Promise<PoolPicture> {
  const stored = await store.history.forProduct(product.productId, now - 30 * DAY);
  const history = withReading(stored, { at: now, available: product.available });
  const { renderProductChart } = await import('@licensewatch/charts');
  const { png, analysis } = renderProductChart({ product, history, levels: rule, now, subtitle: note });
  return { history, analysis, png };
}
