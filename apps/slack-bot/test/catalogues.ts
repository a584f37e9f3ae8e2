import type { StoredProduct } from '@licensewatch/lmpi-sandbox';

/** A small catalogue where every pool starts healthy, so only what a test does causes alerts. */
export function healthyCatalogue(count = 3): StoredProduct[] {
  return Array.from({ length: count }, (_, i) => ({
    product_id: `0000000${i}-aaaa-4bbb-8ccc-00000000000${i}`,
    product_code: `TESTP${i}XXX`,
    product_name: `Test Product ${String.fromCharCode(65 + i)}`,
    type: 'SaaS',
    version: 'Full',
    available: 500,
    service_plans: [],
  }));
}
