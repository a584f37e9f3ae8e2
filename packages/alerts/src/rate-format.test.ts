import { describe, expect, it } from 'vitest';
import { formatRate } from './rate-format.js';

describe('formatRate at the edges between its units', () => {
  it('writes whole licenses a day from 10/day up, with thousands separators', () => {
    expect(formatRate(10)).toBe('~10/day');
    expect(formatRate(10.4)).toBe('~10/day');
    expect(formatRate(1_932)).toBe('~1,932/day');
    expect(formatRate(1_932.6)).toBe('~1,933/day');
  });

  it('writes one decimal from 1/day to under 10/day', () => {
    expect(formatRate(1)).toBe('~1/day');
    expect(formatRate(1.25)).toBe('~1.3/day');
    expect(formatRate(9.94)).toBe('~9.9/day');
    // Rounded up to the next unit's wording, not to "~10.0/day".
    expect(formatRate(9.95)).toBe('~10/day');
  });

  it('switches to the week just under 1/day, so a daily-ish pool never reads ~1/day or ~0/day', () => {
    expect(formatRate(0.99)).toBe('~6.9/week');
    expect(formatRate(0.29)).toBe('~2/week');
    expect(formatRate(1 / 7)).toBe('~1/week');
  });

  it('switches to the month under 1/week, down to 0.1/month', () => {
    expect(formatRate(0.14)).toBe('~4.2/month');
    expect(formatRate(0.05)).toBe('~1.5/month');
    expect(formatRate(0.1 / 30)).toBe('~0.1/month');
    expect(formatRate(0.09 / 30)).toBe('<0.1/month');
  });

  it('writes a dash when nothing is consumed or the rate is not a number', () => {
    expect(formatRate(0)).toBe('—');
    expect(formatRate(-3)).toBe('—');
    expect(formatRate(Number.NaN)).toBe('—');
    expect(formatRate(Number.POSITIVE_INFINITY)).toBe('—');
  });
});
