import { describe, expect, it } from 'vitest';
import { isSuspectCatalogue } from './catalogue-sanity.js';
import { topConsumers } from './consumers.js';
import { compareByName } from './rating.js';
import { ruleResolver } from './rules.js';
import { usageTotalsByProduct } from './usage-totals.js';

const row = (customerCompany: string | null, changeUnits: number) => ({ customerCompany, changeUnits });
const JULY = { year: 2025, month: 7 };

describe('topConsumers ranking', () => {
  it('orders equal takers by name, ignoring case, with the unnamed bucket first', () => {
    const { top } = topConsumers([row('globex', 5), row(null, 5), row('Acme', 5), row('Initech', 9)], JULY, 4);
    expect(top.map((share) => share.customer)).toEqual(['Initech', null, 'Acme', 'globex']);
  });

  it('leaves out a customer whose allocations and returns cancel out', () => {
    const attribution = topConsumers([row('Acme', 10), row('Acme', -10), row('Globex', 1)], JULY);
    expect(attribution.top).toEqual([{ customer: 'Globex', units: 1 }]);
  });

  it('puts everyone in others when asked to name nobody', () => {
    expect(topConsumers([row('Acme', 3), row('Globex', 2)], JULY, 0)).toMatchObject({
      top: [],
      others: { customers: 2, units: 5 },
      total: 5,
    });
  });
});

describe('usageTotalsByProduct', () => {
  it('counts used only for rows that report usage and say how much', () => {
    expect(
      usageTotalsByProduct([
        { productName: 'Apex One', provisioned: 10, usage: 'reported' },
        { productName: 'Apex One', provisioned: 10, used: 7, usage: 'not-reported' },
      ]),
    ).toEqual([{ productName: 'Apex One', customers: 2, provisioned: 20, used: 0, reporting: 0 }]);
  });
});

describe('isSuspectCatalogue', () => {
  it('never suspects the first list, and always suspects an empty one after a good one', () => {
    expect(isSuspectCatalogue(new Set(), [], { maxLossFraction: 0.5 })).toBe(false);
    expect(isSuspectCatalogue(new Set(['a']), [], { maxLossFraction: 1 })).toBe(true);
    expect(isSuspectCatalogue(new Set(['a', 'b']), ['a'], { maxLossFraction: 0.5 })).toBe(false);
    expect(isSuspectCatalogue(new Set(['a', 'b', 'c']), ['a'], { maxLossFraction: 0.5 })).toBe(true);
  });
});

describe('compareByName', () => {
  it('orders by name, then by product code, in both directions', () => {
    const a = { productName: 'Apex One', productCode: 'AAAAXXE1X' };
    const b = { productName: 'apex one', productCode: 'BBBBXXE1X' };
    expect(compareByName(a, b)).toBeLessThan(0);
    expect(compareByName(b, a)).toBeGreaterThan(0);
    expect(compareByName(a, { ...a })).toBe(0);
  });
});

describe('ruleResolver matching', () => {
  it('matches a product rule by product id in any case', () => {
    const id = '1b6c4e7a-93d2-4f0b-8c55-0a7e2d9f4b13';
    const resolve = ruleResolver(
      { default: { low: 100, critical: 20 }, products: [{ match: id.toUpperCase(), low: 7, critical: 1 }] },
      new Map([['2B6C4E7A-93D2-4F0B-8C55-0A7E2D9F4B13', { low: 3 }]]),
    );
    expect(resolve({ productId: id, productCode: 'NNZBXXE1X' })).toMatchObject({ low: 7, source: 'rule' });
    expect(resolve({ productId: `2${id.slice(1)}`, productCode: 'OTHER' })).toMatchObject({
      low: 3,
      source: 'override',
    });
  });
});
