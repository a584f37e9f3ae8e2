import { describe, expect, it } from 'vitest';
import { previousMonth, reportMonthOf, topConsumers } from './consumers.js';
import { containsText } from './rating.js';
import { usageTotalsByProduct } from './usage-totals.js';

const row = (customerCompany: string | null, changeUnits: number) => ({ customerCompany, changeUnits });
const JULY = { year: 2025, month: 7 };

describe('topConsumers', () => {
  it('sums per customer, names the top three, and sums the rest as others', () => {
    const attribution = topConsumers(
      [
        row('Acme Corp', 30),
        row('Globex', 25),
        row('Acme Corp', 10),
        row('Initech', 5),
        row('Umbrella', 4),
        row(null, 3),
        row('Hooli', 2),
      ],
      JULY,
    );
    expect(attribution.top).toEqual([
      { customer: 'Acme Corp', units: 40 },
      { customer: 'Globex', units: 25 },
      { customer: 'Initech', units: 5 },
    ]);
    expect(attribution.others).toEqual({ customers: 3, units: 9 });
    expect(attribution.total).toBe(79);
    expect(attribution).toMatchObject(JULY);
  });

  it('counts net allocations: returns reduce a customer, and only-returns leave it out', () => {
    const attribution = topConsumers([row('Acme', 40), row('Acme', -10), row('Globex', -5), row(null, 2)], JULY);
    expect(attribution.top).toEqual([
      { customer: 'Acme', units: 30 },
      { customer: null, units: 2 },
    ]);
    expect(attribution.others).toBeUndefined();
    expect(attribution.total).toBe(32);
  });

  it('is empty for an empty month', () => {
    expect(topConsumers([], JULY)).toEqual({ ...JULY, top: [], others: undefined, total: 0 });
  });
});

describe('report months', () => {
  it('reads the UTC month and steps back over a year end', () => {
    expect(reportMonthOf(Date.UTC(2025, 6, 31, 23, 59))).toEqual(JULY);
    expect(previousMonth({ year: 2025, month: 1 })).toEqual({ year: 2024, month: 12 });
    expect(previousMonth(JULY)).toEqual({ year: 2025, month: 6 });
  });
});

describe('containsText', () => {
  it('ignores case and accents in any field, and never matches null', () => {
    expect(containsText(['Müller & Söhne GmbH'], 'MULLER')).toBe(true);
    expect(containsText([null, 'Café "Le Rendez-vous" SARL'], 'cafe')).toBe(true);
    expect(containsText([null, undefined], 'x')).toBe(false);
    expect(containsText(['Globex'], 'acme')).toBe(false);
  });
});

describe('usageTotalsByProduct', () => {
  it('sums provisioned per product, and used only where usage is reported', () => {
    expect(
      usageTotalsByProduct([
        { productName: 'Apex One', provisioned: 40, used: 30, usage: 'reported' },
        { productName: 'Deep Security', provisioned: 10, usage: 'not-reported' },
        { productName: 'Apex One', provisioned: 20, usage: 'not-reported' },
      ]),
    ).toEqual([
      { productName: 'Apex One', customers: 2, provisioned: 60, used: 30, reporting: 1 },
      { productName: 'Deep Security', customers: 1, provisioned: 10, used: 0, reporting: 0 },
    ]);
  });
});
