import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSchemaViolationError, SchemaViolationError } from './errors.js';
import {
  distributorProductListResponse,
  emptyProductListResponse,
  generateProductListResponse,
  mspProductListResponse,
  sampleProductListResponse,
} from './fixtures/index.js';
import { parseProductCatalogue, parseProductCatalogueStrict } from './product-profiles.js';

const clone = <T>(value: T): T => structuredClone(value) as T;

function firstProductWith(patch: Record<string, unknown>, remove: string[] = []) {
  const body = clone(distributorProductListResponse) as unknown as { products: Record<string, unknown>[] };
  const product = body.products[0] as Record<string, unknown>;
  Object.assign(product, patch);
  for (const key of remove) delete product[key];
  return body;
}

function violation(run: () => unknown): SchemaViolationError {
  try {
    run();
  } catch (error) {
    if (error instanceof SchemaViolationError) return error;
    throw error;
  }
  throw new Error('expected a SchemaViolationError');
}

describe('parseProductCatalogueStrict', () => {
  it('accepts the documented Distributor, MSP and empty responses', () => {
    const distributor = parseProductCatalogueStrict(distributorProductListResponse);
    expect(distributor.products.map((p) => [p.productCode, p.available, p.used])).toEqual([
      ['NNZBXXE1X', 120, 0],
      ['CCZBXXE1X', 35, 0],
    ]);
    expect(parseProductCatalogueStrict(mspProductListResponse).products[0]).not.toHaveProperty('used');
    expect(parseProductCatalogueStrict(emptyProductListResponse).products).toEqual([]);
  });

  it('rejects the lower-case version of the doc sample, naming product and field', () => {
    const error = violation(() => parseProductCatalogueStrict(sampleProductListResponse));
    expect(error.issues[0]).toMatchObject({ path: '$.products[0].version', field: 'version' });
    expect(error.message).toContain('product NNZBXXE1X (1b6c4e7a-93d2-4f0b-8c55-0a7e2d9f4b13): field "version"');
  });

  it('rejects an undocumented field', () => {
    const error = violation(() => parseProductCatalogueStrict(firstProductWith({ region: 'EU' })));
    expect(error.message).toContain('region');
  });
});

describe('parseProductCatalogue (lenient)', () => {
  it('normalises the sample spelling and says so, per product', () => {
    const { data, warnings } = parseProductCatalogue(sampleProductListResponse);
    expect(data.products.map((p) => p.version)).toEqual(['Full', 'Full']);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatchObject({ kind: 'normalised', field: 'version', path: '$.products[0].version' });
    expect(warnings[0]?.message).toContain('NNZBXXE1X');
  });

  it('returns documented responses without warnings and in camelCase', () => {
    const { data, warnings } = parseProductCatalogue(distributorProductListResponse);
    expect(warnings).toEqual([]);
    expect(data.partnerId).toBe(distributorProductListResponse.partner_id);
    expect(data.products[0]).toEqual({
      productId: '1b6c4e7a-93d2-4f0b-8c55-0a7e2d9f4b13',
      productCode: 'NNZBXXE1X',
      productName: 'Worry-Free Business Security Services',
      type: 'SaaS',
      version: 'Full',
      available: 120,
      used: 0,
      servicePlans: [{ id: 'a3d0c6e2-5b7f-4e19-b2c4-7f1e9d3a6b80', name: 'WFBS-SVC Full 12 months' }],
    });
  });

  it('keeps an unknown type and version as received, with warnings', () => {
    const { data, warnings } = parseProductCatalogue(firstProductWith({ type: 'Hybrid', version: 'Beta' }));
    expect(data.products[0]).toMatchObject({ type: 'Hybrid', version: 'Beta', available: 120 });
    expect(warnings.map((w) => [w.kind, w.field])).toEqual([
      ['unexpected-value', 'type'],
      ['unexpected-value', 'version'],
    ]);
  });

  it('ignores extra fields with a warning instead of failing', () => {
    const { data, warnings } = parseProductCatalogue({ ...firstProductWith({ region: 'EU' }), paging: {} });
    expect(data.products).toHaveLength(2);
    expect(data.products[0]).not.toHaveProperty('region');
    expect(warnings.map((w) => `${w.kind}:${w.field}`)).toEqual(['unknown-field:region', 'unknown-field:paging']);
  });

  it('rejects available as a string, naming product and field', () => {
    const error = violation(() => parseProductCatalogue(firstProductWith({ available: '12' })));
    expect(error.issues).toHaveLength(1);
    expect(error.message).toContain('product NNZBXXE1X');
    expect(error.message).toContain('field "available" should be a non-negative integer, got string "12"');
  });

  it.each([
    ['negative', -1],
    ['fractional', 1.5],
    ['null', null],
  ])('rejects a %s available count rather than reading it as a number of seats', (_label, available) => {
    const error = violation(() => parseProductCatalogue(firstProductWith({ available })));
    expect(error.issues[0]?.field).toBe('available');
  });

  it('rejects a product without product_id, naming it by code', () => {
    const error = violation(() => parseProductCatalogue(firstProductWith({}, ['product_id'])));
    expect(error.message).toContain('product NNZBXXE1X: field "product_id" is missing');
  });

  it('reports every fatal issue at once, not just the first', () => {
    const body = firstProductWith({ available: 'many' });
    (body.products[1] as Record<string, unknown>).product_name = 42;
    const error = violation(() => parseProductCatalogue(body));
    expect(error.issues.map((i) => i.field)).toEqual(['available', 'product_name']);
  });

  it('treats MSP responses (no used) as documented', () => {
    const { data, warnings } = parseProductCatalogue(mspProductListResponse);
    expect(warnings).toEqual([]);
    expect(data.products.every((p) => p.used === undefined)).toBe(true);
  });

  it('drops unusable service plans with a warning and keeps the product', () => {
    const body = firstProductWith({
      service_plans: [{ name: 'ok', id: 'a3d0c6e2-5b7f-4e19-b2c4-7f1e9d3a6b80' }, 'junk'],
    });
    const { data, warnings } = parseProductCatalogue(body);
    expect(data.products[0]?.servicePlans).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ kind: 'invalid-field', field: 'service_plans' });
    const missing = parseProductCatalogue(firstProductWith({}, ['service_plans']));
    expect(missing.data.products[0]?.servicePlans).toEqual([]);
    expect(missing.warnings[0]).toMatchObject({ kind: 'missing-field', field: 'service_plans' });
  });

  it('keeps one entry per product id, the one with the most available, and names the id in a warning', () => {
    const body = clone(distributorProductListResponse);
    const first = body.products[0] as (typeof body.products)[number];
    // LMPI lists the product first with 0 available, then again with the real count.
    body.products.unshift({ ...clone(first), available: 0 });
    const { data, warnings } = parseProductCatalogue(body);
    expect(data.products).toHaveLength(2);
    expect(data.products[0]).toMatchObject({ productId: first.product_id, available: first.available });
    expect(warnings.map((w) => w.kind)).toEqual(['duplicate']);
    expect(warnings[0]?.message).toContain(first.product_id);
  });

  it('resolves duplicated product ids the same way whatever the order (property)', () => {
    const template = distributorProductListResponse
      .products[0] as (typeof distributorProductListResponse.products)[number];
    const entry = fc.record({ id: fc.integer({ min: 0, max: 4 }), available: fc.integer({ min: 0, max: 1000 }) });
    fc.assert(
      fc.property(fc.array(entry, { minLength: 1, maxLength: 12 }), (entries) => {
        const id = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;
        const products = entries.map((e) => ({ ...clone(template), product_id: id(e.id), available: e.available }));
        const { data } = parseProductCatalogue({ partner_id: distributorProductListResponse.partner_id, products });
        const firstSeen = [...new Set(entries.map((e) => e.id))];
        expect(data.products.map((p) => p.productId)).toEqual(firstSeen.map(id));
        for (const n of firstSeen) {
          const best = Math.max(...entries.filter((e) => e.id === n).map((e) => e.available));
          expect(data.products.find((p) => p.productId === id(n))?.available).toBe(best);
        }
      }),
    );
  });

  it('rejects bodies that are not a product list', () => {
    expect(violation(() => parseProductCatalogue('<html>')).message).toContain('expected a JSON object');
    expect(violation(() => parseProductCatalogue({ partner_id: 'x', products: {} })).issues[0]?.field).toBe('products');
  });

  it('parses a generated 1,000-product catalogue without warnings', () => {
    const { data, warnings } = parseProductCatalogue(generateProductListResponse({ count: 1000, seed: 3 }));
    expect(data.products).toHaveLength(1000);
    expect(warnings).toEqual([]);
  });

  it('never fails with anything but a SchemaViolationError, whatever the JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (json) => {
        try {
          parseProductCatalogue(json);
        } catch (error) {
          expect(isSchemaViolationError(error)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('never loses or changes an available count when only display fields drift', () => {
    const drift = fc.record({
      type: fc.oneof(fc.constantFrom('saas', 'SOFTWARE', 'suite ', 'Hybrid'), fc.integer()),
      version: fc.oneof(fc.constantFrom('full', 'TRIAL', 'Beta'), fc.constant(null)),
      extra: fc.string(),
    });
    fc.assert(
      fc.property(fc.array(drift, { minLength: 1, maxLength: 20 }), (drifts) => {
        const body = generateProductListResponse({ count: drifts.length, seed: 11 });
        const raw = clone(body) as unknown as { products: Record<string, unknown>[] };
        drifts.forEach((d, i) => {
          Object.assign(raw.products[i] as Record<string, unknown>, {
            type: d.type,
            version: d.version,
            x_extra: d.extra,
          });
        });
        const { data, warnings } = parseProductCatalogue(raw);
        expect(data.products.map((p) => p.available)).toEqual(body.products.map((p) => p.available));
        expect(warnings.length).toBeGreaterThanOrEqual(drifts.length);
      }),
      { numRuns: 200 },
    );
  });
});
