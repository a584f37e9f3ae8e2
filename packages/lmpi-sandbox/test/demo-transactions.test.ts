import { createLmpiClient } from '@licensewatch/client';
import { afterEach, describe, expect, it } from 'vitest';
import { SANDBOX_CUSTOMERS } from '../src/fixtures.js';
import { createSandbox, type Sandbox } from '../src/index.js';

// Local mode's first start: the seeded 30-day history must come with the customer transactions that
// explain it, so "who drained it", the reports and the charts tell one story.

const NOW = Date.UTC(2026, 10, 28, 12); // the window spans October and November
let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

const monthOf = (at: number | string) => new Date(at).toISOString().slice(0, 7);

/** Drops of each pool's readings per product and month, up to its count now (a rise is a refill). */
function dropsByMonth(box: Sandbox, series: ReturnType<Sandbox['demoHistory']>): Map<string, number> {
  const current = new Map(box.controls.catalogue().map((p) => [p.product_id, Number(p.available)]));
  const drops = new Map<string, number>();
  for (const { productId, points } of series) {
    const readings = [...points, { at: NOW, available: current.get(productId) ?? 0 }];
    readings.forEach((point, i) => {
      const before = readings[i - 1];
      if (!before || point.available >= before.available) return;
      const key = `${productId} ${monthOf(point.at)}`;
      drops.set(key, (drops.get(key) ?? 0) + before.available - point.available);
    });
  }
  return drops;
}

describe('demo history with its transactions', () => {
  it('records seeded drops as transactions that sum to the same numbers per product and month', async () => {
    sandbox = await createSandbox({ now: () => NOW });
    const series = sandbox.demoHistory(NOW);
    const drops = dropsByMonth(sandbox, series);
    expect(sandbox.recordHistory(series)).toBeGreaterThan(100);

    const transactions = sandbox.controls.transactions();
    const allocated = new Map<string, number>();
    for (const t of transactions) {
      const key = `${t.productId} ${monthOf(t.at)}`;
      allocated.set(key, (allocated.get(key) ?? 0) + t.changeUnits);
    }
    expect(Object.fromEntries(allocated)).toEqual(Object.fromEntries(drops));
    expect([...drops.keys()].some((key) => key.endsWith('2026-10'))).toBe(true);
    expect(new Set(transactions.map((t) => t.customer.name))).toEqual(new Set(SANDBOX_CUSTOMERS.map((c) => c.name)));
    expect(transactions.every((t) => t.changeUnits > 0 && Date.parse(t.at) <= NOW)).toBe(true);
  });

  it('answers the LMPI reports of this month and last with them: who drained the pool about to run dry', async () => {
    sandbox = await createSandbox({ now: () => NOW });
    const box = sandbox;
    const series = box.demoHistory(NOW);
    const drops = dropsByMonth(box, series);
    box.recordHistory(series);
    const client = createLmpiClient({ baseUrl: box.url, ...box.credentials.distributor, now: () => NOW, retry: false });
    const dry = box.controls.catalogue().find((p) => p.product_code === 'AAAUXXE1X');
    const { transactions } = await client.reportTransactions({ year: 2026, month: 11, productId: dry?.product_id });
    const november = drops.get(`${dry?.product_id} 2026-11`) ?? 0;
    expect(november).toBeGreaterThan(0);
    expect(transactions.reduce((sum, t) => sum + t.changeUnits, 0)).toBe(november);
    expect(new Set(transactions.map((t) => t.customerCompany)).size).toBeGreaterThan(3);

    const { transactions: october } = await client.reportTransactions({ year: 2026, month: 10 });
    expect(october.length).toBeGreaterThan(0);
    const { summary } = await client.reportCustomerSummary({ year: 2026, month: 11 });
    const allocatedEver = [...drops.values()].reduce((sum, units) => sum + units, 0);
    expect(summary.reduce((sum, row) => sum + row.provisioned, 0)).toBe(allocatedEver);
  });
});
