import type { ProductProfile } from '@licensewatch/schema';

/** Seat levels a product is judged against. */
export interface SeatLevels {
  /** At or below: the pool is running low. */
  warning: number;
  /** At or below: act now. */
  critical: number;
}

/** Levels used until thresholds are configured. */
export const DEFAULT_LEVELS: SeatLevels = { warning: 100, critical: 20 };

export type AvailabilityStatus = 'critical' | 'warning' | 'ok';

/**
 * Where a pool stands against its levels.
 *
 * @example
 * ```ts
 * availabilityStatus(15, { warning: 100, critical: 20 }) // 'critical'
 * ```
 */
export function availabilityStatus(available: number, levels: SeatLevels): AvailabilityStatus {
  if (available <= levels.critical) return 'critical';
  if (available <= levels.warning) return 'warning';
  return 'ok';
}

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
      return { product, levels, status: availabilityStatus(product.available, levels) };
    })
    .sort(
      (a, b) =>
        RANK[a.status] - RANK[b.status] ||
        byName.compare(a.product.productName, b.product.productName) ||
        (a.product.productCode < b.product.productCode ? -1 : a.product.productCode > b.product.productCode ? 1 : 0),
    );
}
