import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMonthDay, formatMonthYear, formatNumber } from './number-format.js';

// The formatters replace Intl (whose locale data costs the bot ~5 MiB of RSS per formatter kind):
// every case here is checked against Intl itself, the reference the text must not drift from.
const intl = (value: number, options: Intl.NumberFormatOptions = {}) =>
  new Intl.NumberFormat('en-US', options).format(value);

describe('formatNumber writes what Intl.NumberFormat en-US writes', () => {
  it.each([
    [0, {}],
    [7, {}],
    [999, {}],
    [1000, {}],
    [12_500, {}],
    [1_234_567, {}],
    [-1_234_567, {}],
    [1932.4, { maximumFractionDigits: 0 }],
    [4.26, { maximumFractionDigits: 1 }],
    [4.25, { maximumFractionDigits: 1 }],
    [0.5, { maximumFractionDigits: 0 }],
    [1.5, { maximumFractionDigits: 0 }],
    [2.5, { maximumFractionDigits: 0 }],
    [-2.5, { maximumFractionDigits: 0 }],
    [1.005, { maximumFractionDigits: 2 }],
    [9.96, { maximumFractionDigits: 1 }],
    [999.95, { maximumFractionDigits: 1 }],
    [999_999.5, { maximumFractionDigits: 0 }],
    [19.96, { maximumFractionDigits: 1 }],
    [1.295, { maximumFractionDigits: 2 }],
    [0.999, { maximumFractionDigits: 2 }],
    [99.996, { maximumFractionDigits: 2 }],
    [0.00095, { maximumFractionDigits: 3 }],
    [0.0095, { maximumFractionDigits: 2 }],
    [5e-7, { maximumFractionDigits: 6 }],
    [4e-7, { maximumFractionDigits: 6 }],
    [-5e-7, { maximumFractionDigits: 6 }],
    [1.5e-7, { maximumFractionDigits: 7 }],
    [0.0004, {}],
    [0.0005, {}],
    [-0.0004, {}],
    [-0, {}],
    [0.06, { maximumFractionDigits: 1 }],
    [0.04, { maximumFractionDigits: 1 }],
    [2, { minimumFractionDigits: 1, maximumFractionDigits: 1 }],
    [2.25, { minimumFractionDigits: 2, maximumFractionDigits: 2 }],
    [1e21, {}],
    [12_345_678_901_234_568e8, {}],
    [1e-7, { maximumFractionDigits: 8 }],
    [Number.MAX_SAFE_INTEGER, {}],
    [Number.NaN, {}],
    [Number.POSITIVE_INFINITY, {}],
    [Number.NEGATIVE_INFINITY, {}],
  ] as const)('%s with %o', (value, options) => {
    expect(formatNumber(value, options)).toBe(intl(value, options));
  });

  it('for any number and any fraction digits 0-6', () => {
    const numbers = fc.oneof(
      fc.integer({ min: -10_000_000, max: 10_000_000 }),
      fc.double({ min: -1e7, max: 1e7, noNaN: true }),
      // halves and near-halves at each scale: where rounding goes wrong
      fc
        .tuple(fc.integer({ min: -100_000, max: 100_000 }), fc.integer({ min: 0, max: 4 }))
        .map(([n, scale]) => (n + 0.5) / 10 ** scale),
      // runs of nines just under a whole number (…9995): where a carry crosses every digit
      fc
        .tuple(fc.integer({ min: -100_000, max: 100_000 }), fc.integer({ min: 1, max: 6 }))
        .map(([n, k]) => n + 1 - 5 / 10 ** (k + 1)),
      fc.double({ noNaN: true }),
    );
    fc.assert(
      fc.property(numbers, fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 }), (value, a, b) => {
        const options = { minimumFractionDigits: Math.min(a, b), maximumFractionDigits: Math.max(a, b) };
        expect(formatNumber(value, options)).toBe(intl(value, options));
        expect(formatNumber(value, { maximumFractionDigits: a })).toBe(intl(value, { maximumFractionDigits: a }));
      }),
      { numRuns: 3000 },
    );
  });

  it('defaults to at most 3 decimals, as Intl does', () => {
    expect(formatNumber(1.23456)).toBe('1.235');
    expect(formatNumber(1234.5)).toBe('1,234.5');
  });
});

describe('month names', () => {
  const DAY = 86_400_000;
  /** Every UTC day from 1 January 1970 to 1 January 2200 (84,007 days), at a time of day that moves through the day. */
  const everyDay = Array.from({ length: (Date.UTC(2200, 0, 1) - Date.UTC(1970, 0, 1)) / DAY + 1 }, (_, day) => {
    return Date.UTC(1970, 0, 1) + day * DAY + ((day * 3_600_007) % DAY);
  });

  it('formatMonthYear writes what Intl writes for { month: long, year: numeric } in UTC, every day 1970-2200', () => {
    expect(formatMonthYear(Date.UTC(2025, 6, 1))).toBe('July 2025');
    const reference = new Intl.DateTimeFormat('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' });
    const wrong = everyDay.filter((at) => formatMonthYear(at) !== reference.format(at));
    expect(wrong.map((at) => new Date(at).toISOString())).toEqual([]);
    expect(everyDay.length).toBe(84_007);
  });

  it('formatMonthDay writes what Intl writes for { month: short, day: numeric } in UTC, every day 1970-2200', () => {
    expect(formatMonthDay(Date.UTC(2026, 8, 30, 23, 59))).toBe('Sep 30');
    const reference = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
    const wrong = everyDay.filter((at) => formatMonthDay(at) !== reference.format(at));
    expect(wrong.map((at) => new Date(at).toISOString())).toEqual([]);
  });
});
