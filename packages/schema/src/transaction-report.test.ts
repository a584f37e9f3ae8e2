import { describe, expect, it } from 'vitest';
import { SchemaViolationError } from './errors.js';
import {
  emptyTransactionReportResponse,
  monthTransactionReportResponse,
  sampleTransactionReportResponse,
} from './fixtures/index.js';
import { parseTransactionReport, parseTransactionReportStrict } from './transaction-report.js';

const clone = <T>(value: T): T => structuredClone(value) as T;

function firstRowWith(patch: Record<string, unknown>, remove: string[] = []) {
  const body = clone(monthTransactionReportResponse) as unknown as { transaction: Record<string, unknown>[] };
  const row = body.transaction[0] as Record<string, unknown>;
  Object.assign(row, patch);
  for (const key of remove) delete row[key];
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

describe('parseTransactionReportStrict', () => {
  it('accepts the documented sample: string counts, the spaced date key, customer ---', () => {
    const { transactions } = parseTransactionReportStrict(sampleTransactionReportResponse);
    expect(transactions).toEqual([
      {
        type: 'New Purchase',
        vendorCompanyName: 'ODSTestUSMSP01',
        createdBy: 'ODSTestUSMSP01',
        customerCompany: null,
        productName: 'HES-Trend',
        version: 'Full',
        previousUnitsAllocated: 0,
        unitsAllocated: 10,
        changeUnits: 10,
        unit: 'unit(s)',
        previousStartChargeDate: null,
        newStartChargeDate: '2016-10-01T00:00:00',
      },
    ]);
  });

  it('accepts integers for counts as well as strings (both readings of the docs)', () => {
    const body = firstRowWith({ previous_units_allocated: 0, units_allocated: 25, change_units: 25 });
    expect(parseTransactionReportStrict(body).transactions[0]).toMatchObject({ unitsAllocated: 25, changeUnits: 25 });
  });

  it('rejects an undocumented transaction type', () => {
    const error = violation(() => parseTransactionReportStrict(firstRowWith({ type: 'Suite composition change' })));
    expect(error.issues[0]).toMatchObject({ path: '$.transaction[0].type', field: 'type' });
    expect(error.message).toContain('transaction[0] (Müller & Söhne GmbH / Worry-Free Business Security Services)');
  });
});

describe('parseTransactionReport (lenient)', () => {
  it('reads a realistic month without warnings, in camelCase, with numbers', () => {
    const { data, warnings } = parseTransactionReport(monthTransactionReportResponse);
    expect(warnings).toEqual([]);
    expect(data.transactions.map((t) => [t.type, t.customerCompany, t.changeUnits])).toEqual([
      ['New Purchase', 'Müller & Söhne GmbH', 25],
      ['New Purchase', 'Acme, Inc.', 40],
      ['License Change', 'Müller & Söhne GmbH', 5],
      ['License Change', 'Café "Le Rendez-vous" SARL', -4],
      ['License Convert', '株式会社サンプル商事', 0],
      ['New Purchase', "O'Connor & Partners LLP", 15],
      ['New Purchase', null, 2],
    ]);
    expect(data.transactions[2]?.previousStartChargeDate).toBe('2025-06-01T00:00:00');
    expect(data.transactions[5]).toMatchObject({ previousUnitsAllocated: 0, previousStartChargeDate: null });
  });

  it('accepts both spellings of the previous start charge date and prefers the spaceless one when both differ', () => {
    const spaceless = firstRowWith({ previous_start_charge_date: '2025-05-01' }, ['previous_start_charge _date']);
    expect(parseTransactionReport(spaceless).data.transactions[0]?.previousStartChargeDate).toBe('2025-05-01');
    const both = firstRowWith({
      'previous_start_charge _date': '2025-04-01',
      previous_start_charge_date: '2025-05-01',
    });
    const { data, warnings } = parseTransactionReport(both);
    expect(data.transactions[0]?.previousStartChargeDate).toBe('2025-05-01');
    expect(warnings.map((w) => `${w.kind}:${w.field}`)).toEqual(['duplicate:previous_start_charge_date']);
  });

  it('keeps an unknown transaction type with a warning, and normalises a case variant', () => {
    const body = firstRowWith({ type: 'Suite composition change' });
    (body.transaction[1] as Record<string, unknown>).type = 'new purchase';
    const { data, warnings } = parseTransactionReport(body);
    expect(data.transactions.slice(0, 2).map((t) => t.type)).toEqual(['Suite composition change', 'New Purchase']);
    expect(warnings.map((w) => `${w.kind}:${w.path}`)).toEqual([
      'unexpected-value:$.transaction[0].type',
      'normalised:$.transaction[1].type',
    ]);
  });

  it('leaves an unreadable allocation count undefined with a warning, never 0', () => {
    const { data, warnings } = parseTransactionReport(
      firstRowWith({ units_allocated: 'n/a', previous_units_allocated: '' }),
    );
    expect(data.transactions[0]).not.toHaveProperty('unitsAllocated');
    expect(data.transactions[0]).not.toHaveProperty('previousUnitsAllocated');
    expect(data.transactions[0]?.changeUnits).toBe(25);
    expect(warnings.map((w) => `${w.kind}:${w.field}`)).toEqual([
      'invalid-field:previous_units_allocated',
      'invalid-field:units_allocated',
    ]);
    expect(warnings[1]?.message).toContain('got string "n/a"');
  });

  it.each([
    ['unreadable', { change_units: '1,000' }, [], 'should be a whole, possibly negative, number of units'],
    ['fractional', { change_units: 2.5 }, [], 'got number 2.5'],
    ['missing', {}, ['change_units'], 'field "change_units" is missing'],
  ])('rejects the report when change_units is %s: the drained sum would be wrong', (_l, patch, remove, text) => {
    const error = violation(() => parseTransactionReport(firstRowWith(patch, remove)));
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]?.field).toBe('change_units');
    expect(error.message).toContain(text);
    expect(error.message).toContain('Müller & Söhne GmbH');
  });

  it('rejects a row without a product name', () => {
    const error = violation(() => parseTransactionReport(firstRowWith({ product_name: '' })));
    expect(error.issues[0]?.field).toBe('product_name');
  });

  it('treats an empty report as valid and a missing or wrong list as an error, never as empty', () => {
    expect(parseTransactionReport(emptyTransactionReportResponse)).toEqual({
      data: { transactions: [] },
      warnings: [],
    });
    expect(parseTransactionReportStrict(emptyTransactionReportResponse).transactions).toEqual([]);
    expect(() => parseTransactionReport({ summary: [] })).toThrow(
      /field "transaction" should be an array, got undefined/,
    );
    expect(() => parseTransactionReport([])).toThrow(/expected a JSON object with "transaction"/);
    const nulled = parseTransactionReport({ transaction: null });
    expect(nulled.data.transactions).toEqual([]);
    expect(nulled.warnings[0]).toMatchObject({ kind: 'normalised', field: 'transaction' });
  });

  it('ignores undocumented fields with a warning', () => {
    const { data, warnings } = parseTransactionReport({ ...firstRowWith({ order_id: 'X1' }), paging: {} });
    expect(data.transactions).toHaveLength(7);
    expect(warnings.map((w) => `${w.kind}:${w.field}`)).toEqual(['unknown-field:order_id', 'unknown-field:paging']);
  });
});
