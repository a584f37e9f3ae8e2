import { describe, expect, it } from 'vitest';
import { isSchemaViolationError } from './errors.js';
import { generateProductListResponse, monthTransactionReportResponse } from './fixtures/index.js';
import { parseProductCatalogue } from './product-profiles.js';
import { parseTransactionReport } from './transaction-report.js';

// A malformed record is set aside, named, and the rest of the response is used (on request); the
// default stays "reject", and a response mostly made of malformed records is still rejected.

const clone = <T>(value: T): T => structuredClone(value) as T;

function catalogueWith(count: number, patches: Record<number, Record<string, unknown>>) {
  const body = clone(generateProductListResponse({ count, seed: 7 })) as unknown as {
    products: Record<string, unknown>[];
  };
  for (const [index, patch] of Object.entries(patches)) Object.assign(body.products[Number(index)] ?? {}, patch);
  return body;
}

const rejects = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return isSchemaViolationError(error);
  }
  return false;
};

describe('parseProductCatalogue with malformed: set-aside', () => {
  it('sets a product with available -5 aside, naming it, and keeps every other product', () => {
    const body = catalogueWith(10, { 3: { available: -5 } });
    const bad = body.products[3] as { product_id: string; product_code: string; product_name: string };
    const { data, setAside } = parseProductCatalogue(body, { malformed: 'set-aside' });
    expect(data.products).toHaveLength(9);
    expect(data.products.map((p) => p.productId)).not.toContain(bad.product_id);
    expect(setAside).toEqual([
      {
        path: '$.products[3]',
        record: `product ${bad.product_code} (${bad.product_id})`,
        productId: bad.product_id,
        productCode: bad.product_code,
        productName: bad.product_name,
        issues: [expect.objectContaining({ field: 'available', message: expect.stringContaining('got number -5') })],
      },
    ]);
  });

  it('names a record it cannot identify by its place, and one that is not an object', () => {
    const body = catalogueWith(6, { 1: { product_id: 42, product_code: null } });
    body.products[4] = 'junk' as unknown as Record<string, unknown>;
    const { data, setAside } = parseProductCatalogue(body, { malformed: 'set-aside' });
    expect(data.products).toHaveLength(4);
    expect(setAside?.map((s) => [s.record, s.productId, s.productCode])).toEqual([
      ['products[1]', undefined, undefined],
      ['products[4]', undefined, undefined],
    ]);
  });

  it('still rejects by default, and when more than half of the products are unusable', () => {
    expect(rejects(() => parseProductCatalogue(catalogueWith(10, { 3: { available: -5 } })))).toBe(true);
    const mostly = catalogueWith(4, { 0: { available: -1 }, 1: { available: 'x' }, 2: { available: null } });
    expect(rejects(() => parseProductCatalogue(mostly, { malformed: 'set-aside' }))).toBe(true);
    const half = catalogueWith(4, { 0: { available: -1 }, 1: { available: 'x' } });
    expect(parseProductCatalogue(half, { malformed: 'set-aside' }).data.products).toHaveLength(2);
  });

  it('reports no setAside when asked to reject (the default)', () => {
    expect(parseProductCatalogue(catalogueWith(3, {})).setAside).toBeUndefined();
    expect(parseProductCatalogue(catalogueWith(3, {}), { malformed: 'set-aside' }).setAside).toEqual([]);
  });
});

describe('parseTransactionReport with malformed: set-aside', () => {
  it('sets a row with unreadable change_units aside with its product name, and keeps the others', () => {
    const body = clone(monthTransactionReportResponse) as unknown as { transaction: Record<string, unknown>[] };
    const rows = body.transaction.length;
    expect(rows).toBeGreaterThanOrEqual(3);
    Object.assign(body.transaction[0] ?? {}, { change_units: 'lots' });
    const { data, setAside } = parseTransactionReport(body, { malformed: 'set-aside' });
    expect(data.transactions).toHaveLength(rows - 1);
    expect(setAside).toEqual([
      expect.objectContaining({
        path: '$.transaction[0]',
        productName: body.transaction[0]?.product_name,
        issues: [expect.objectContaining({ field: 'change_units' })],
      }),
    ]);
    expect(rejects(() => parseTransactionReport(body))).toBe(true);
  });
});
