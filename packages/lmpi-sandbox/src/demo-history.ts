import type { StoredProduct } from './catalogue.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** One product's synthetic `available` readings. */
export interface DemoSeries {
  productId: string;
  productCode: string;
  points: { at: number; available: number }[];
}

/** What a product's demo history looks like, by its position in the catalogue. */
type Profile = { perDayOfNow: number; refillDaysAgo?: number };

/**
 * Profiles by catalogue position: steady burns, flat pools, refills (12 and 20 days ago), and two
 * pools about to run dry (positions 20 and 22: ~5 and ~2.5 days left at their recent rate).
 */
function profileOf(index: number): Profile {
  if (index === 20) return { perDayOfNow: 1 / 5 };
  if (index === 22) return { perDayOfNow: 1 / 2.5, refillDaysAgo: 9 };
  switch (index % 8) {
    case 0:
      return { perDayOfNow: 1 / 40 };
    case 2:
      return { perDayOfNow: 1 / 25, refillDaysAgo: 12 };
    case 3:
      return { perDayOfNow: 1 / 100 };
    case 5:
      return { perDayOfNow: 1 / 60 };
    case 6:
      return { perDayOfNow: 1 / 30, refillDaysAgo: 20 };
    case 7:
      return { perDayOfNow: 1 / 50 };
    default:
      return { perDayOfNow: 0 }; // flat
  }
}

/**
 * Deterministic synthetic history for a catalogue: hourly `available` readings for the `days`
 * before `now`, each ending near the product's current count, so a bot's first `/licenses` already
 * shows trends, refills (upward jumps) and pools about to run dry. For local demos only: it is
 * invented, and whoever shows it must say so.
 *
 * @example
 * ```ts
 * for (const series of demoHistory(sandbox.controls.catalogue(), Date.now())) console.log(series.productCode, series.points.length)
 * ```
 */
export function demoHistory(products: readonly StoredProduct[], now: number, days = 30): DemoSeries[] {
  const out: DemoSeries[] = [];
  products.forEach((product, index) => {
    const current = product.available;
    if (typeof current !== 'number' || !Number.isFinite(current)) return;
    const profile = profileOf(index);
    // An empty pool ran dry 10 days ago at 50 a day; others burn a share of what they have now.
    const perDay = current === 0 ? 50 : current * profile.perDayOfNow;
    const dryFor = current === 0 ? 10 * DAY : 0;
    const refillAt = profile.refillDaysAgo === undefined ? undefined : now - profile.refillDaysAgo * DAY;
    const refill = Math.max(100, Math.round(perDay * 6)); // six days of consumption: a visible jump
    let seed = index * 7_919 + 17;
    const jitter = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return (seed / 2_147_483_648 - 0.5) * 0.2 * (perDay / 24); // ±10 % of an hour's consumption
    };
    const points: DemoSeries['points'] = [];
    for (let at = now - days * DAY; at < now; at += HOUR) {
      const consumedSince = (perDay * Math.max(0, now - dryFor - at)) / DAY;
      const beforeRefill = refillAt !== undefined && at < refillAt ? refill : 0;
      const noise = consumedSince > 0 ? jitter() : 0;
      const available = Math.max(0, Math.round(current + consumedSince - beforeRefill + noise));
      // Pools only go down (allocations) except at the refill: noise never invents a tiny "refill".
      const previous = points[points.length - 1];
      const refilled = refillAt !== undefined && previous !== undefined && previous.at < refillAt && at >= refillAt;
      points.push({ at, available: previous && !refilled ? Math.min(available, previous.available) : available });
    }
    out.push({ productId: product.product_id, productCode: product.product_code, points });
  });
  return out;
}
