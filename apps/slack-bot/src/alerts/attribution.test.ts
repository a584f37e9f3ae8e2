import type { AlertEvent, ProductEvent } from '@licensewatch/alerts';
import type { CustomerTransaction, ProductProfile } from '@licensewatch/schema';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ConsumerAttributions, type TransactionRows } from './attribution.js';

const AT = Date.UTC(2026, 11, 3, 8);
const profile = (i: number, name: string): ProductProfile => ({
  productId: `0000000${i}-aaaa-4bbb-8ccc-000000000000`,
  productCode: `CODE${i}XXXX`,
  productName: name,
  type: 'SaaS',
  version: 'Full',
  available: 10,
  servicePlans: [],
});
const crossing = (p: ProductProfile): AlertEvent =>
  ({
    kind: 'alert',
    key: `alert:${p.productId}:low:${AT}`,
    at: AT,
    product: { productId: p.productId, productCode: p.productCode, productName: p.productName },
    level: 'low',
    episode: { id: `${p.productId}:${AT}`, startedAt: AT, peak: 'low' },
    available: 10,
    previousAvailable: 500,
    threshold: 100,
    channel: undefined,
    forecast: undefined,
  }) satisfies ProductEvent;
const row = (productName: string, customer: string, changeUnits: number): CustomerTransaction => ({
  type: 'License Change',
  vendorCompanyName: null,
  createdBy: null,
  customerCompany: customer,
  productName,
  version: 'Full',
  changeUnits,
  unit: null,
  previousStartChargeDate: null,
  newStartChargeDate: null,
});

describe('ConsumerAttributions with rows LMPI sent unreadable', () => {
  const apex = profile(1, 'Apex One');
  const deep = profile(2, 'Deep Security');
  const catalogue = [apex, deep];
  const attributions = (answer: TransactionRows) =>
    new ConsumerAttributions({ transactions: async () => answer, logger: pino({ level: 'silent' }) });

  it('withholds only the product an unreadable row names; the others are attributed', async () => {
    const { found } = await attributions({
      transactions: [row('Apex One', 'Acme', 40), row('Deep Security', 'Globex', 12)],
      setAside: [{ path: '$.transaction[2]', record: 'transaction[2]', productName: 'Deep Security', issues: [] }],
    }).forEvents([crossing(apex), crossing(deep)], catalogue);
    expect(found.get(`${apex.productId}:${AT}`)?.top).toEqual([{ customer: 'Acme', units: 40 }]);
    expect(found.has(`${deep.productId}:${AT}`)).toBe(false);
  });

  it('withholds every product when an unreadable row names none (it could be anyone’s)', async () => {
    const { found } = await attributions({
      transactions: [row('Apex One', 'Acme', 40), row('Deep Security', 'Globex', 12)],
      setAside: [{ path: '$.transaction[2]', record: 'transaction[2]', issues: [] }],
    }).forEvents([crossing(apex), crossing(deep)], catalogue);
    expect(found.size).toBe(0);
  });
});

describe('ConsumerAttributions: one report for many crossings', () => {
  it('attributes 1,200 crossings of one poll from one request (more than the episodes it remembers)', async () => {
    const catalogue = Array.from({ length: 1_200 }, (_, i) => ({
      ...profile(0, `Pool ${i}`),
      productId: `${String(i).padStart(8, '0')}-aaaa-4bbb-8ccc-000000000000`,
    }));
    const queries: unknown[] = [];
    const attributions = new ConsumerAttributions({
      transactions: async (query) => {
        queries.push(query);
        return { transactions: catalogue.map((p, i) => row(p.productName, `Customer ${i}`, i + 1)) };
      },
      logger: pino({ level: 'silent' }),
    });
    const { found, late } = await attributions.forEvents(catalogue.map(crossing), catalogue);
    expect(queries).toEqual([{ year: 2026, month: 12 }]); // all products: no productId
    expect(late.size).toBe(0);
    expect(found.size).toBe(1_200);
    expect(found.get(`${catalogue[1_199]?.productId}:${AT}`)?.top).toEqual([
      { customer: 'Customer 1199', units: 1_200 },
    ]);
  });
});
