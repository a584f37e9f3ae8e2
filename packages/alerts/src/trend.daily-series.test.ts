import { describe, expect, it } from 'vitest';
import { dailySeries, sparkline } from './trend.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 0, 15, 12);
const at = (daysAgo: number, available: number) => ({ at: NOW - daysAgo * DAY, available });

describe('dailySeries', () => {
  it('gives one value per day, the last reading of each, carried over days without one', () => {
    expect(dailySeries([at(3.5, 900), at(3.2, 880), at(1.5, 700)], 4, NOW)).toEqual([880, 880, 700, 700]);
  });

  it('is undefined before the first reading, and has exactly the days asked for', () => {
    const series = dailySeries([at(1.5, 500)], 5, NOW);
    expect(series).toEqual([undefined, undefined, undefined, 500, 500]);
    expect(dailySeries([], 3, NOW)).toEqual([undefined, undefined, undefined]);
  });

  it('starts from the last reading before the window, and ignores readings after now', () => {
    expect(dailySeries([at(10, 999), at(6, 950), at(0.5, 400), at(-1, 1)], 3, NOW)).toEqual([950, 950, 400]);
  });

  it('puts a reading exactly at now in the last day, and one exactly at the start in the first', () => {
    expect(dailySeries([at(3, 300), at(0, 100)], 3, NOW)).toEqual([300, 300, 100]);
  });
});

describe('sparkline', () => {
  it('scales from zero to the largest value, a space for days without data', () => {
    expect(sparkline([800, 600, 400, 200, 900])).toBe('▇▆▄▃█');
    expect(sparkline([undefined, 0, 100])).toBe(' ▁█');
  });

  it('draws the lowest bar for an empty pool, and for negative values', () => {
    expect(sparkline([0, 0])).toBe('▁▁');
    expect(sparkline([-5, 10])).toBe('▁█');
    expect(sparkline([])).toBe('');
  });
});
