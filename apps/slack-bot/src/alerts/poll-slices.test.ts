import { ruleResolver } from '@licensewatch/alerts';
import type { ProductProfile } from '@licensewatch/schema';
import { describe, expect, it } from 'vitest';
import { poolTrends } from './forecasts.js';
import { PRODUCTS_PER_SLICE, poolTrendsInSlices } from './poll-slices.js';

const DAY = 86_400_000;
const AT = Date.UTC(2026, 11, 1);

function product(i: number): ProductProfile {
  return {
    productId: `id-${i}`,
    productCode: `P${i}`,
    productName: `Product ${i}`,
    type: 'SaaS',
    version: 'Full',
    available: 50 + (i % 300),
    servicePlans: [],
  } as unknown as ProductProfile;
}

describe('poolTrendsInSlices', () => {
  it('gives every product of a catalogue larger than a slice the same trends as one poolTrends call', async () => {
    const products = Array.from({ length: PRODUCTS_PER_SLICE * 2 + 7 }, (_, i) => product(i));
    const history = new Map(
      products.map((p, i) => [
        p.productId,
        Array.from({ length: 10 }, (_, d) => ({
          at: AT - (10 - d) * DAY,
          available: p.available + (10 - d) * (i % 5),
        })),
      ]),
    );
    const ruleFor = ruleResolver({ default: { low: 100, critical: 20, recovery: 10 }, products: [] });
    const sliced = await poolTrendsInSlices(products, history, ruleFor, AT);
    const whole = poolTrends(products, history, ruleFor, AT);
    expect(sliced.daily.size).toBe(products.length);
    expect(sliced).toEqual(whole);
  });
});
