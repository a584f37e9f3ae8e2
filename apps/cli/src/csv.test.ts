import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvField, recordsToCsv, toCsv } from './csv.js';

describe('toCsv (RFC 4180)', () => {
  it('quotes only fields with a comma, quote, CR or LF, doubles quotes, and ends every line in CRLF', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('Acme, Inc.')).toBe('"Acme, Inc."');
    expect(csvField('Café "Le Rendez-vous" SARL')).toBe('"Café ""Le Rendez-vous"" SARL"');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(null)).toBe('');
    expect(toCsv(['customer', 'units'], [['Acme, Inc.', 40]])).toBe('customer,units\r\n"Acme, Inc.",40\r\n');
  });

  it('round-trips through a CSV parser', () => {
    const rows = [
      ['Müller & Söhne GmbH', 'a "quoted", comma', 'line\r\nbreak', '株式会社サンプル商事', ''],
      ['=1+1', ' spaced ', "O'Connor", 'x', '12'],
    ];
    const parsed = parse(toCsv(['a', 'b', 'c', 'd', 'e'], rows), { record_delimiter: '\r\n' });
    expect(parsed).toEqual([['a', 'b', 'c', 'd', 'e'], ...rows]);
  });
});

describe('recordsToCsv', () => {
  it('writes JSON records with their fields: dotted objects, joined lists, empty when absent', () => {
    const csv = recordsToCsv(
      [
        { code: 'A', levels: { low: 100 }, plans: [{ name: 'x, y' }, { name: 'z' }] },
        { code: 'B', levels: { low: 5 }, plans: [], used: 3 },
      ],
      ['code', 'plans.name'],
    );
    expect(csv).toBe('code,plans.name,levels.low,used\r\nA,"x, y; z",100,\r\nB,,5,3\r\n');
  });
});
