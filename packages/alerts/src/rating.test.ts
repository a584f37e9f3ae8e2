import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareByName, compareUrgency, matchesFilter, type RateableProduct, rateProducts } from './rating.js';
import { DEFAULT_THRESHOLDS, ruleResolver } from './rules.js';

const product = (code: string, available: number, name = `Product ${code}`): RateableProduct => ({
  productId: `id-${code}`,
  productCode: code,
  productName: name,
  available,
});

const defaults = ruleResolver(DEFAULT_THRESHOLDS); // low at <= 100, critical at <= 20

describe('rateProducts', () => {
  it('rates each product with its level, the levels in force and the threshold crossed', () => {
    const ruleFor = ruleResolver(DEFAULT_THRESHOLDS, new Map([['OVER', { low: 600, critical: 550 }]]));
    const rated = rateProducts(
      [product('OK', 500), product('LOW', 80), product('CRIT', 20), product('OVER', 500)],
      ruleFor,
    );
    expect(rated.map((r) => [r.product.productCode, r.level, r.threshold, r.levels.source])).toEqual([
      ['CRIT', 'critical', 20, 'default'],
      ['OVER', 'critical', 550, 'override'],
      ['LOW', 'low', 100, 'default'],
      ['OK', 'ok', undefined, 'default'],
    ]);
  });

  it('orders critical, then low, then ok; fewest available first, then by name, then by code', () => {
    const rated = rateProducts(
      [
        product('B', 900, 'beta'),
        product('A2', 900, 'Alpha'),
        product('A1', 900, 'alpha'),
        product('L', 50),
        product('C', 10),
        product('Z', 1000, 'Ápex'),
        product('Y', 1000, 'apex b'),
      ],
      defaults,
    );
    expect(rated.map((r) => r.product.productCode)).toEqual(['C', 'L', 'A1', 'A2', 'B', 'Z', 'Y']);
  });

  it('attaches the forecast of each product by id', () => {
    const forecast = { days: 6, perDay: 12 };
    const [rated] = rateProducts([product('F', 70)], defaults, new Map([['id-F', forecast]]));
    expect(rated?.forecast).toEqual(forecast);
  });

  it('rates on the product’s own runway thresholds, not the default 14 and 3 days', () => {
    const DAY = 86_400_000;
    const ruleFor = ruleResolver(
      DEFAULT_THRESHOLDS,
      new Map([['RW', { lowRunwayMs: 7 * DAY, criticalRunwayMs: 2 * DAY }]]),
    );
    const rateWithRunway = (daysToZero: number) =>
      rateProducts(
        [product('RW', 500)],
        ruleFor,
        new Map([['id-RW', { days: daysToZero, perDay: 10, daysToZero }]]),
      )[0];
    expect(rateWithRunway(10)?.level).toBe('ok');
    expect(rateWithRunway(5)?.level).toBe('low');
    expect(rateWithRunway(2.5)?.level).toBe('low');
    expect(rateWithRunway(2)?.level).toBe('critical');
    expect(rateWithRunway(10)?.levels).toMatchObject({ lowRunwayMs: 7 * DAY, criticalRunwayMs: 2 * DAY });
  });

  it('sorts the same whatever the input order (the order is total) (property)', () => {
    const arbitraryProduct = fc.record({
      productId: fc.uuid(),
      productCode: fc.string({ minLength: 1, maxLength: 6 }),
      productName: fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('Ápex', 'apex', 'APEX', 'Straße')),
      available: fc.integer({ min: 0, max: 300 }),
    });
    fc.assert(
      fc.property(fc.uniqueArray(arbitraryProduct, { maxLength: 30, selector: (p) => p.productId }), (products) => {
        const sorted = rateProducts(products, defaults);
        const shuffled = rateProducts([...products].reverse(), defaults);
        const key = (r: (typeof sorted)[number]) => ({ level: r.level, ...r.product });
        // Equal under the order means same level, count, name (by the collator) and code.
        expect(shuffled.map((r) => [r.level, r.product.available, r.product.productCode])).toEqual(
          sorted.map((r) => [r.level, r.product.available, r.product.productCode]),
        );
        for (let i = 1; i < sorted.length; i += 1) {
          const [a, b] = [sorted[i - 1], sorted[i]];
          if (a && b) expect(compareUrgency(key(a), key(b))).toBeLessThanOrEqual(0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('compareUrgency is antisymmetric and compareByName ignores case and accents (property)', () => {
    const key = fc.record({
      level: fc.constantFrom('ok', 'low', 'critical') as fc.Arbitrary<'ok' | 'low' | 'critical'>,
      available: fc.integer({ min: 0, max: 5 }),
      productName: fc.constantFrom('apex', 'Ápex', 'beta', 'Beta', ''),
      productCode: fc.constantFrom('A', 'B', 'a'),
    });
    fc.assert(
      fc.property(key, key, (a, b) => {
        expect(Math.sign(compareUrgency(a, b))).toBe(-Math.sign(compareUrgency(b, a)) || 0);
      }),
    );
    expect(compareByName({ productName: 'Ápex', productCode: 'X' }, { productName: 'apex', productCode: 'X' })).toBe(0);
  });
});

describe('matchesFilter', () => {
  const apex = product('NNZBXXE1X', 5, 'Apex One SaaS');

  it.each([
    ['Ápex', true],
    ['APEX one', true],
    ['nnzb', true],
    ['ＡＰＥＸ', true],
    ['', true],
    ['apex two', false],
  ])('%j in "Apex One SaaS" / NNZBXXE1X → %s', (text, expected) => {
    expect(matchesFilter(apex, text)).toBe(expected);
  });

  it('finds accented names from plain text, and folds ß', () => {
    expect(matchesFilter(product('X', 1, 'Sécurité Öffice'), 'securite off')).toBe(true);
    expect(matchesFilter(product('X', 1, 'Straße'), 'STRASSE')).toBe(true);
  });

  it('matches any text taken from the name, whatever its case or accents (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), fc.nat(), fc.nat(), (name, from, length) => {
        const start = from % (name.length + 1);
        const part = name.slice(start, start + (length % 6));
        expect(matchesFilter(product('CODE', 1, name), part.toUpperCase())).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
