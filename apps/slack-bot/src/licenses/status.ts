import { type AlertLevel, DEFAULT_THRESHOLDS, type ThresholdLevels, targetLevel } from '@licensewatch/alerts';
import type { ProductProfile } from '@licensewatch/schema';

/** Seat levels a product is judged against (the alert engine's, so /licenses and alerts agree). */
export type SeatLevels = Pick<ThresholdLevels, 'warning' | 'critical'>;

/** Levels used until thresholds are configured: the alert engine's default. */
export const DEFAULT_LEVELS: SeatLevels = DEFAULT_THRESHOLDS.default;

/** Where a pool stands: `critical`, `warning` (shown as Low) or `ok`. */
export type AvailabilityStatus = AlertLevel;

const RANK: Record<AvailabilityStatus, number> = { critical: 0, warning: 1, ok: 2 };

/** Finds the levels for a product (per-product thresholds later; the default until then). */
export type LevelsFor = (product: ProductProfile) => SeatLevels;

export interface RatedProduct {
  product: ProductProfile;
  status: AvailabilityStatus;
  levels: SeatLevels;
}

// One collator for every comparison: localeCompare with options builds a new one per call.
const byName = new Intl.Collator('en', { sensitivity: 'base' });

/** Rates products and orders them: critical, then warning, then ok; by name within each. */
export function rateProducts(products: readonly ProductProfile[], levelsFor: LevelsFor): RatedProduct[] {
  return products
    .map((product) => {
      const levels = levelsFor(product);
      return { product, levels, status: targetLevel('ok', product.available, levels) };
    })
    .sort(
      (a, b) =>
        RANK[a.status] - RANK[b.status] ||
        byName.compare(a.product.productName, b.product.productName) ||
        (a.product.productCode < b.product.productCode ? -1 : a.product.productCode > b.product.productCode ? 1 : 0),
    );
}
