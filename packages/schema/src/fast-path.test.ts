import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isDocumentedProductProfile, isGuid } from './fast-path.js';
import {
  distributorProductListResponse,
  generateProductListResponse,
  mspProductListResponse,
} from './fixtures/index.js';
import { productProfileWireSchema } from './product-profiles.js';

const valid = generateProductListResponse({ count: 50, seed: 5 }).products;

/** Values that sit on and around every documented boundary. */
const fieldValue = fc.oneof(
  fc.constantFrom(
    'SaaS',
    'saas',
    'Software',
    'Suite',
    'Hybrid',
    'Trial',
    'Full',
    'full',
    '',
    'NNZBXXE1X',
    'NNZBXXE1',
    'NNZBXXE1XX',
  ),
  fc.constantFrom(
    '1b6c4e7a-93d2-4f0b-8c55-0a7e2d9f4b13',
    '1B6C4E7A-93D2-4F0B-8C55-0A7E2D9F4B13',
    '1b6c4e7a93d24f0b8c550a7e2d9f4b13',
    'x'.repeat(150),
    'x'.repeat(151),
  ),
  fc.constantFrom(0, -1, 1.5, 2 ** 53, Number.MAX_SAFE_INTEGER, null, undefined, true, [], {}),
  fc.array(
    fc.record({
      name: fc.constantFrom('', 'plan', 'x'.repeat(151)),
      id: fc.constantFrom('1b6c4e7a-93d2-4f0b-8c55-0a7e2d9f4b13', 'nope'),
    }),
    { maxLength: 3 },
  ),
  fc.string(),
  fc.integer(),
);
const fieldName = fc.constantFrom(
  'product_id',
  'product_code',
  'product_name',
  'type',
  'version',
  'available',
  'used',
  'service_plans',
  'extra',
  '__proto__',
);

describe('isDocumentedProductProfile', () => {
  it('accepts every documented product (the fast path is actually taken)', () => {
    for (const product of [...valid, ...distributorProductListResponse.products, ...mspProductListResponse.products]) {
      expect(isDocumentedProductProfile(product)).toBe(true);
    }
  });

  it('never accepts what the zod contract rejects', () => {
    fc.assert(
      fc.property(
        fc.nat(valid.length - 1),
        fc.array(fc.tuple(fieldName, fieldValue), { maxLength: 4 }),
        fc.boolean(),
        (index, edits, remove) => {
          const product: Record<string, unknown> = structuredClone(valid[index]) as Record<string, unknown>;
          for (const [name, value] of edits) {
            if (remove && value === undefined) delete product[name];
            else Object.defineProperty(product, name, { value, enumerable: true, configurable: true, writable: true });
          }
          if (isDocumentedProductProfile(product)) {
            expect(productProfileWireSchema.safeParse(product).success).toBe(true);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('rejects drift so that the lenient reader can report it', () => {
    const base = distributorProductListResponse.products[0];
    expect(isDocumentedProductProfile({ ...base, version: 'full' })).toBe(false);
    expect(isDocumentedProductProfile({ ...base, region: 'EU' })).toBe(false);
    expect(isDocumentedProductProfile({ ...base, available: '12' })).toBe(false);
    expect(isDocumentedProductProfile({ ...base, service_plans: [{ name: 'p', id: 'nope' }] })).toBe(false);
  });

  it('leaves counts that are not whole and non-negative, and incomplete plan references, to zod', () => {
    const base = distributorProductListResponse.products[0];
    const plan = base?.service_plans[0] ?? { name: 'p', id: '' };
    for (const used of [-1, 1.5, '3', Number.MAX_SAFE_INTEGER + 2])
      expect(isDocumentedProductProfile({ ...base, used }), String(used)).toBe(false);
    for (const ref of [{ name: plan.name }, { id: plan.id }, { ...plan, extra: 1 }, 'plan', null])
      expect(isDocumentedProductProfile({ ...base, service_plans: [ref] }), JSON.stringify(ref)).toBe(false);
    expect(isDocumentedProductProfile({ ...base, product_name: 'A' })).toBe(true); // one character is a name
  });

  it('isGuid accepts exactly what z.guid() accepts (partner_id is warned about on its answer alone)', () => {
    const guid = z.guid();
    const hex = fc.constantFrom(...'0123456789abcdefABCDEFgG-x \u0660');
    const nearGuid = fc
      .tuple(
        fc.integer({ min: 0, max: 35 }),
        hex,
        fc.constantFrom('1b6c4e7a-93d2-4f0b-8c55-0a7e2d9f4b13', '1B6C4E7A-93D2-4F0B-8C55-0A7E2D9F4B13'),
      )
      .map(([at, char, base]) => base.slice(0, at) + char + base.slice(at + 1));
    const candidate = fc.oneof(nearGuid, fc.stringMatching(/^[0-9a-fA-F-]{30,40}$/), fc.string(), fc.anything());
    fc.assert(
      fc.property(candidate, (value) => {
        expect(isGuid(value)).toBe(guid.safeParse(value).success);
      }),
      { numRuns: 3000 },
    );
    expect(isGuid('1b6c4e7a-93d2-4f0b-8c55-0a7e2d9f4b13')).toBe(true);
    expect(isGuid('1b6c4e7a-93d2-4f0b-8c55-0a7e2d9f4b1')).toBe(false);
  });
});
