import type { CustomerTransaction, ProductProfile } from '@licensewatch/schema';
import { describe, expect, it } from 'vitest';
import { concurrencyLimit, rowMatcher, rowsOf } from './report-groups.js';

const profile = (productId: string, productName: string, version: 'Full' | 'Trial' = 'Full'): ProductProfile => ({
  productId,
  productCode: `${productId.toUpperCase()}XXXXXXXX`.slice(0, 9),
  productName,
  type: 'SaaS',
  version,
  available: 10,
  servicePlans: [],
});

const row = (productName: string, version: 'Full' | 'Trial', changeUnits: number): CustomerTransaction => ({
  type: 'License Change',
  vendorCompanyName: null,
  createdBy: null,
  customerCompany: 'Acme',
  productName,
  version,
  changeUnits,
  unit: null,
  previousStartChargeDate: null,
  newStartChargeDate: null,
});

describe('rowMatcher and rowsOf', () => {
  const catalogue = [
    profile('a', 'Apex One'),
    profile('b', 'Dual', 'Full'),
    profile('c', 'Dual', 'Trial'),
    profile('d', 'Twin'),
    profile('e', 'Twin'),
  ];
  const match = rowMatcher(catalogue);
  const rows = [row(' apex one ', 'Full', 5), row('Dual', 'Trial', 3), row('Dual', 'Full', 4), row('Twin', 'Full', 9)];

  it('finds a product by its name, ignoring case and surrounding spaces', () => {
    const how = match(catalogue[0] as ProductProfile);
    expect(how).toEqual({ kind: 'name', name: 'apex one' });
    if (how.kind === 'own-report') throw new Error('unexpected');
    expect(rowsOf(rows, how).map((r) => r.changeUnits)).toEqual([5]);
  });

  it('tells namesakes apart by version, and asks for an own report when even that does not', () => {
    const trial = match(catalogue[2] as ProductProfile);
    if (trial.kind === 'own-report') throw new Error('unexpected');
    expect(rowsOf(rows, trial).map((r) => r.changeUnits)).toEqual([3]);
    expect(match(catalogue[3] as ProductProfile)).toEqual({ kind: 'own-report' });
    expect(match(catalogue[4] as ProductProfile)).toEqual({ kind: 'own-report' });
  });
});

describe('concurrencyLimit', () => {
  it('never runs more than the limit at once, and runs every task', async () => {
    const limited = concurrencyLimit(2);
    let running = 0;
    let most = 0;
    const task = (i: number) => async () => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 5 + (i % 3)));
      running -= 1;
      return i;
    };
    const results = await Promise.all(Array.from({ length: 9 }, (_, i) => limited(task(i))));
    expect(results).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(most).toBe(2);
  });

  it('frees the slot of a task that fails', async () => {
    const limited = concurrencyLimit(1);
    await expect(limited(() => Promise.reject(new Error('down')))).rejects.toThrow('down');
    await expect(limited(() => Promise.resolve('next'))).resolves.toBe('next');
  });
});
