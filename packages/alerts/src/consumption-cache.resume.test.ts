import { describe, expect, it } from 'vitest';
import { ConsumptionCache } from './consumption-cache.js';
import { analyseConsumption, type HistoryPoint } from './forecast.js';

const MINUTE = 60_000;
const START = Date.UTC(2026, 10, 3, 5, 0);

/** Readings every 10 minutes: 3 licenses gone each, a top-up of 200 at reading 120, a glitch at 70. */
const readings: HistoryPoint[] = Array.from({ length: 240 }, (_, i) => ({
  at: START + i * 10 * MINUTE,
  available: i === 70 ? 0 : 2_000 - 3 * i + (i >= 120 ? 200 : 0),
}));

/** A cache that has seen the first `count` readings of pool `a`. */
function seen(count: number): ConsumptionCache {
  const cache = new ConsumptionCache();
  cache.analyse('a', readings.slice(0, count));
  return cache;
}

describe('ConsumptionCache between polls', () => {
  it('continues from only the readings that arrived since the last poll', () => {
    const cache = seen(150);
    expect(cache.analyse('a', readings.slice(150))).toEqual(analyseConsumption(readings));
  });

  it('continues from the reading just taken when nothing new was recorded', () => {
    const cache = seen(239);
    const latest = readings[239] as HistoryPoint;
    expect(cache.analyse('a', [], latest)).toEqual(analyseConsumption(readings));
  });

  it('continues from a history whose oldest readings dropped out of the query window', () => {
    const cache = seen(150);
    const result = cache.analyse('a', readings.slice(40));
    expect(result).toEqual(analyseConsumption(readings));
    if (result.status !== 'estimate') throw new Error('expected an estimate');
    expect(result.glitches).toBe(1);
    expect(result.refills).toEqual([{ at: START + 120 * 10 * MINUTE, added: 197 }]);
  });

  it('starts over when the last reading it saw is gone from the history', () => {
    const cache = seen(150);
    const without = readings.filter((_, i) => i !== 149);
    expect(cache.analyse('a', without)).toEqual(analyseConsumption(without));
  });

  it('starts over when the last reading it saw now has another count', () => {
    const cache = seen(150);
    const corrected = readings.map((p, i) => (i === 149 ? { ...p, available: p.available - 50 } : p));
    expect(cache.analyse('a', corrected)).toEqual(analyseConsumption(corrected));
  });

  it('gives the sorted answer when the new readings arrive out of time order', () => {
    const cache = seen(150);
    const shuffled = [...readings];
    [shuffled[200], shuffled[201]] = [shuffled[201] as HistoryPoint, shuffled[200] as HistoryPoint];
    expect(cache.analyse('a', shuffled)).toEqual(analyseConsumption(readings));
    const fresh = new ConsumptionCache();
    expect(fresh.analyse('a', shuffled)).toEqual(analyseConsumption(readings));
  });

  it('remembers the pools it is told to keep and forgets the others', () => {
    const cache = seen(150);
    cache.analyse('b', readings.slice(0, 150));
    cache.retain(new Set(['a', 'c']));
    expect(cache.size).toBe(1);
    // 'a' goes on from where it was; 'b' starts over from the few readings it is given: not enough.
    expect(cache.analyse('a', readings.slice(150))).toEqual(analyseConsumption(readings));
    expect(cache.analyse('b', readings.slice(150, 152)).status).toBe('insufficient');
  });
});
