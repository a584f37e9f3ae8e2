import { describe, expect, it } from 'vitest';
import { analyseConsumption, type ConsumptionEstimate, type HistoryPoint } from './forecast.js';

const MINUTE = 60_000;
const START = Date.UTC(2026, 10, 4, 6, 0);
const at = (i: number) => START + i * 30 * MINUTE;

/** 49 half-hourly readings (a day) at 1,000, with `changes[i]` as the count from reading i on. */
function pool(changes: Record<number, number>, glitches: Record<number, number> = {}): HistoryPoint[] {
  let level = 1_000;
  return Array.from({ length: 49 }, (_, i) => {
    level = changes[i] ?? level;
    return { at: at(i), available: glitches[i] ?? level };
  });
}

function estimate(points: HistoryPoint[]): ConsumptionEstimate {
  const analysis = analyseConsumption(points);
  if (analysis.status !== 'estimate') throw new Error('expected an estimate');
  return analysis;
}

describe('one-reading glitches', () => {
  it('leaves out a single 0 between two equal counts: no consumption, no refill', () => {
    const analysis = estimate(pool({}, { 20: 0 }));
    expect(analysis.glitches).toBe(1);
    expect(analysis.perDay).toBe(0);
    expect(analysis.refills).toEqual([]);
    expect(analysis.largestDrops).toEqual([]);
  });

  it('leaves out a single spike upwards as well', () => {
    const analysis = estimate(pool({}, { 20: 1_500 }));
    expect(analysis.glitches).toBe(1);
    expect(analysis.refills).toEqual([]);
  });

  it('takes two polls at 0 as real: consumed, then refilled', () => {
    const analysis = estimate(pool({ 20: 0, 22: 1_000 }));
    expect(analysis.glitches).toBe(0);
    expect(analysis.refills).toEqual([{ at: at(22), added: 1_000 }]);
    expect(analysis.largestDrops).toEqual([{ at: at(20), consumed: 1_000 }]);
  });

  it('counts a dip that comes back to within a quarter of the smaller move as a glitch, not beyond', () => {
    // 1,000 → 600 → 920: back by 320, the neighbours 80 apart (4 × 80 = 320): a glitch; 80 consumed.
    const within = estimate(pool({ 21: 920 }, { 20: 600 }));
    expect(within.glitches).toBe(1);
    expect(within.largestDrops).toEqual([{ at: at(21), consumed: 80 }]);
    expect(within.refills).toEqual([]);
    // 1,000 → 600 → 919: 81 apart, 4 × 81 > 319: real moves, a drop of 400 and a refill of 319.
    const beyond = estimate(pool({ 21: 919 }, { 20: 600 }));
    expect(beyond.glitches).toBe(0);
    expect(beyond.largestDrops[0]).toEqual({ at: at(20), consumed: 400 });
    expect(beyond.refills).toEqual([{ at: at(21), added: 319 }]);
  });

  it('does not take two steps in the same direction for a glitch', () => {
    // Two hours apart: of several drops within the same two hours, only the largest is listed.
    const analysis = estimate(pool({ 20: 700, 24: 690 }));
    expect(analysis.glitches).toBe(0);
    expect(analysis.largestDrops).toEqual([
      { at: at(20), consumed: 300 },
      { at: at(24), consumed: 10 },
    ]);
  });
});

describe('largest drops', () => {
  it('keeps the five largest, largest first, each with the time of the reading after it', () => {
    const sizes = [5, 40, 12, 40, 3, 25, 60, 1];
    const changes: Record<number, number> = {};
    let level = 1_000;
    sizes.forEach((size, k) => {
      level -= size;
      changes[4 + 5 * k] = level;
    });
    const analysis = estimate(pool(changes));
    expect(analysis.largestDrops.map((d) => d.consumed)).toEqual([60, 40, 40, 25, 12]);
    expect(analysis.largestDrops[0]).toEqual({ at: at(4 + 5 * 6), consumed: 60 });
    // Of two equal drops, the earlier one stays ahead.
    expect(analysis.largestDrops.slice(1, 3).map((d) => d.at)).toEqual([at(9), at(19)]);
  });
});

describe('an empty pool', () => {
  it('says since when it is empty: the first reading of the empty run', () => {
    const analysis = estimate(pool({ 10: 500, 30: 0 }));
    expect(analysis.emptySince).toBe(at(30));
    expect(analysis.runway).toBeUndefined();
    expect(estimate(pool({ 10: 500, 30: 0, 40: 200 })).emptySince).toBeUndefined();
  });
});
