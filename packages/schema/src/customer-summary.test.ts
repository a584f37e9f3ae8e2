import { describe, expect, it } from 'vitest';
import { parseCustomerSummary, parseCustomerSummaryStrict } from './customer-summary.js';
import { SchemaViolationError } from './errors.js';
import {
  emptyCustomerSummaryResponse,
  monthCustomerSummaryResponse,
  monthTransactionReportResponse,
  sampleCustomerSummaryResponse,
} from './fixtures/index.js';
import { parseTransactionReport } from './transaction-report.js';

function firstRowWith(patch: Record<string, unknown>, remove: string[] = []) {
  const body = structuredClone(monthCustomerSummaryResponse) as unknown as { summary: Record<string, unknown>[] };
  const row = body.summary[0] as Record<string, unknown>;
  Object.assign(row, patch);
  for (const key of remove) delete row[key];
  return body;
}

describe('parseCustomerSummaryStrict', () => {
  it('accepts the documented row shape', () => {
    expect(parseCustomerSummaryStrict(sampleCustomerSummaryResponse).summary[0]).toEqual({
      customer: 'ODSTestCustomer01',
      city: 'Irving',
      state: 'TX',
      ownedByVendor: 'ODSTestUSMSP01',
      createdByVendor: 'ODSTestUSMSP01',
      productName: 'HES-Trend',
      servicePlan: 'HES-Trend Full 12 months',
      provisioned: 10,
      used: 7,
      usage: 'reported',
      unit: 'unit(s)',
    });
    expect(parseCustomerSummaryStrict(emptyCustomerSummaryResponse).summary).toEqual([]);
  });

  it('rejects an undocumented field', () => {
    expect(() => parseCustomerSummaryStrict(firstRowWith({ price: '12.00' }))).toThrow(SchemaViolationError);
  });
});

describe('parseCustomerSummary (lenient)', () => {
  it('reads null used as "not reported", never as 0', () => {
    const { data, warnings } = parseCustomerSummary(monthCustomerSummaryResponse);
    expect(warnings).toEqual([]);
    const cafe = data.summary.find((row) => row.customer === 'Café "Le Rendez-vous" SARL');
    expect(cafe).toMatchObject({ provisioned: 8, usage: 'not-reported' });
    expect(cafe).not.toHaveProperty('used');
    const absent = parseCustomerSummary(firstRowWith({}, ['used', 'unit'])).data.summary[0];
    expect(absent).toMatchObject({ usage: 'not-reported', unit: null });
  });

  it('reads counts sent as strings', () => {
    const { data, warnings } = parseCustomerSummary(firstRowWith({ provisioned: '30', used: '27' }));
    expect(data.summary[0]).toMatchObject({ provisioned: 30, used: 27, usage: 'reported' });
    expect(warnings).toEqual([]);
  });

  it('flags an unreadable used count instead of guessing', () => {
    const { data, warnings } = parseCustomerSummary(firstRowWith({ used: 'n/a' }));
    expect(data.summary[0]).toMatchObject({ usage: 'unreadable', provisioned: 30 });
    expect(data.summary[0]).not.toHaveProperty('used');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ kind: 'invalid-field', field: 'used', path: '$.summary[0].used' });
  });

  it('rejects an unreadable provisioned count, naming customer and product', () => {
    try {
      parseCustomerSummary(firstRowWith({ provisioned: 'thirty' }));
      throw new Error('expected a SchemaViolationError');
    } catch (error) {
      expect(error).toBeInstanceOf(SchemaViolationError);
      expect((error as SchemaViolationError).message).toContain(
        'summary[0] (Müller & Söhne GmbH / Worry-Free Business Security Services): field "provisioned"',
      );
    }
  });

  it('agrees with the transaction fixture of the same month', () => {
    const transactions = parseTransactionReport(monthTransactionReportResponse).data.transactions;
    for (const row of parseCustomerSummary(monthCustomerSummaryResponse).data.summary) {
      const last = transactions
        .filter((t) => t.customerCompany === row.customer && t.productName === row.productName)
        .at(-1);
      expect(last?.unitsAllocated).toBe(row.provisioned);
    }
  });

  it('rejects a summary that is not a list', () => {
    expect(() => parseCustomerSummary({ summary: 'none' })).toThrow(/field "summary" should be an array/);
  });
});
