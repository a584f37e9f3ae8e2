import { describe, expect, it } from 'vitest';
import { isSchemaViolationError, SchemaViolationError } from './errors.js';
import { isDocumentedProductProfile } from './fast-path.js';
import { distributorProductListResponse } from './fixtures/index.js';
import { parseProductCatalogue, productProfileWireSchema } from './product-profiles.js';

const GUID = '1b6c4e7a-93d2-4f0b-8c55-0a7e2d9f4b13';
const base = distributorProductListResponse.products[0] as Record<string, unknown>;

/** The same GUID with one character replaced (or one added or removed). */
const nearMisses: [string, string][] = [
  ['a non-hex letter in the first group', `g${GUID.slice(1)}`],
  ['a non-hex letter in the second group', `${GUID.slice(0, 9)}z${GUID.slice(10)}`],
  ['a non-hex letter in the third group', `${GUID.slice(0, 14)}x${GUID.slice(15)}`],
  ['a non-hex letter in the fourth group', `${GUID.slice(0, 19)}k${GUID.slice(20)}`],
  ['a non-hex letter in the last group', `${GUID.slice(0, 35)}q`],
  ['a space instead of the first dash', `${GUID.slice(0, 8)} ${GUID.slice(9)}`],
  ['a dot instead of the second dash', `${GUID.slice(0, 13)}.${GUID.slice(14)}`],
  ['an underscore instead of the third dash', `${GUID.slice(0, 18)}_${GUID.slice(19)}`],
  ['a digit instead of the last dash', `${GUID.slice(0, 23)}0${GUID.slice(24)}`],
  ['one digit too many', `${GUID}0`],
  ['one digit too few', GUID.slice(0, 35)],
  ['braces around it', `{${GUID.slice(1, 35)}}`],
];

function violation(run: () => unknown): SchemaViolationError {
  try {
    run();
  } catch (error) {
    if (error instanceof SchemaViolationError) return error;
    throw error;
  }
  throw new Error('expected a SchemaViolationError');
}

const listWith = (product: Record<string, unknown>) => ({
  ...distributorProductListResponse,
  products: [product],
});

describe('product and plan ids that are almost GUIDs', () => {
  it.each(nearMisses)('is not documented with %s in product_id, so the lenient reader judges it', (_what, id) => {
    const product = { ...base, product_id: id };
    expect(isDocumentedProductProfile(product)).toBe(false);
    expect(productProfileWireSchema.safeParse(product).success).toBe(false);
  });

  it.each(nearMisses)('is not documented with %s in a service plan id', (_what, id) => {
    const product = { ...base, service_plans: [{ name: 'Standard', id }] };
    expect(isDocumentedProductProfile(product)).toBe(false);
  });

  it('accepts upper-case GUIDs on the fast path, as the contract does', () => {
    const product = { ...base, product_id: GUID.toUpperCase(), service_plans: [{ name: 'Standard', id: GUID }] };
    expect(isDocumentedProductProfile(product)).toBe(true);
    expect(productProfileWireSchema.safeParse(product).success).toBe(true);
  });
});

describe('fields the fast path must not wave through', () => {
  it.each([
    ['a product code of 8 characters', { product_code: 'NNZBXXE1' }],
    ['a product code that is a number', { product_code: 123456789 }],
    ['an empty product name', { product_name: '' }],
    ['a product name of 151 characters', { product_name: 'x'.repeat(151) }],
    ['a used count below zero', { used: -1 }],
    ['a used count that is a string', { used: '3' }],
    ['service plans that are not a list', { service_plans: {} }],
    ['a service plan with a third field', { service_plans: [{ name: 'Standard', id: GUID, seats: 5 }] }],
    ['a service plan without a name', { service_plans: [{ id: GUID }] }],
    ['a service plan that is a string', { service_plans: ['Standard'] }],
    ['an inherited field', Object.create({ region: 'EU' })],
  ])('is not documented with %s', (_what, patch) => {
    const product = Object.assign(Object.create(Object.getPrototypeOf(patch)), base, patch);
    expect(isDocumentedProductProfile(product)).toBe(false);
  });

  it('accepts a name of exactly 150 characters and a used count of zero', () => {
    expect(isDocumentedProductProfile({ ...base, product_name: 'x'.repeat(150), used: 0 })).toBe(true);
  });

  it('is not documented for values that are not objects', () => {
    for (const value of [null, undefined, 'product', 42, [base]]) expect(isDocumentedProductProfile(value)).toBe(false);
  });
});

describe('parseProductCatalogue: fields alerts depend on', () => {
  it('rejects a product without product_code (the docs say reject, not warn), naming it by id', () => {
    const { product_code: _dropped, ...product } = base;
    const error = violation(() => parseProductCatalogue(listWith(product)));
    expect(error.issues).toEqual([
      expect.objectContaining({ field: 'product_code', record: `product ${base.product_id}` }),
    ]);
    expect(error.message).toContain('field "product_code" is missing');
  });

  it('rejects a product without a name or available count', () => {
    const { product_name: _name, available: _available, ...product } = base;
    const error = violation(() => parseProductCatalogue(listWith(product)));
    expect(error.issues.map((i) => i.field)).toEqual(['product_name', 'available']);
  });

  it('names a product with neither code nor id by its place in the list', () => {
    const { product_code: _code, product_id: _id, ...product } = base;
    const error = violation(() => parseProductCatalogue(listWith(product)));
    expect(error.issues[0]?.record).toBe('products[0]');
  });

  it('keeps a product whose id is almost a GUID, with a warning naming it', () => {
    const id = `${GUID.slice(0, 8)} ${GUID.slice(9)}`;
    const { data, warnings } = parseProductCatalogue(listWith({ ...base, product_id: id }));
    expect(data.products.map((p) => p.productId)).toEqual([id]);
    expect(warnings).toEqual([expect.objectContaining({ field: 'product_id', path: '$.products[0].product_id' })]);
  });
});

describe('isSchemaViolationError', () => {
  it('recognises the error, also from another copy of the package', () => {
    expect(isSchemaViolationError(new SchemaViolationError('x', []))).toBe(true);
    const copy = Object.assign(new Error('from another copy'), { code: 'ERR_LMPI_SCHEMA_VIOLATION' });
    expect(isSchemaViolationError(copy)).toBe(true);
  });

  it('rejects other errors and look-alikes that are not errors', () => {
    expect(isSchemaViolationError(new Error('network down'))).toBe(false);
    expect(isSchemaViolationError(Object.assign(new Error('x'), { code: 'ERR_LMPI_HTTP' }))).toBe(false);
    expect(isSchemaViolationError({ code: 'ERR_LMPI_SCHEMA_VIOLATION', message: 'plain object' })).toBe(false);
    expect(isSchemaViolationError(undefined)).toBe(false);
    expect(isSchemaViolationError('ERR_LMPI_SCHEMA_VIOLATION')).toBe(false);
  });
});

describe('SchemaViolationError message', () => {
  it('lists the first five issues and counts the rest', () => {
    const issues = Array.from({ length: 7 }, (_, i) => ({ path: `$.products[${i}]`, message: `issue ${i + 1}` }));
    const error = new SchemaViolationError('product list response', issues);
    expect(error.message).toBe(
      'product list response does not match the LMPI contract: issue 1; issue 2; issue 3; issue 4; issue 5 (and 2 more)',
    );
    expect(error).toMatchObject({ name: 'SchemaViolationError', code: 'ERR_LMPI_SCHEMA_VIOLATION', issues });
  });

  it('lists up to five issues without a count', () => {
    const issues = Array.from({ length: 5 }, (_, i) => ({ path: '$', message: `issue ${i + 1}` }));
    expect(new SchemaViolationError('service plan list', issues).message).toBe(
      'service plan list does not match the LMPI contract: issue 1; issue 2; issue 3; issue 4; issue 5',
    );
  });
});
