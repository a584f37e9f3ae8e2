import type { ProductProfile } from '@licensewatch/schema';
import { describe, expect, it } from 'vitest';
import { ConsumptionCache } from './consumption-cache.js';
import { analyseConsumption, type HistoryPoint } from './forecast.js';
import { FORECAST_HISTORY_MS, forecastPools, withReading } from './pool-forecasts.js';
import { DEFAULT_THRESHOLDS, type RuleResolver, ruleResolver } from './rules.js';

const HOUR = 3_600_000;
const START = Date.UTC(2026, 10, 2, 8, 0);

const product = (productId: string, available: number): ProductProfile => ({
  productId,
  productCode: `CODE-${productId}`,
  productName: `Pool ${productId}`,
  type: 'SaaS',
  version: 'Full',
  available,
  servicePlans: [],
});

/** Hourly readings from START for `hours` hours, `perHour` licenses gone each hour, never below 0. */
function hourly(hours: number, from: number, perHour: number): HistoryPoint[] {
  return Array.from({ length: hours + 1 }, (_, i) => ({
    at: START + i * HOUR,
    available: Math.max(0, from - i * perHour),
  }));
}

/** Critical at 20, low at 100 (the defaults). */
const defaults: RuleResolver = ruleResolver(DEFAULT_THRESHOLDS);

describe('forecastPools', () => {
  it('forecasts a pool consumed at a steady pace, on the pessimistic end unless told otherwise', () => {
    // 1 license an hour for 3 days: 24/day, 428 left after this poll's reading.
    const history = new Map([['a', hourly(72, 500, 1)]]);
    const at = START + 73 * HOUR;
    const pool = product('a', 427);
    const pessimistic = forecastPools([pool], history, defaults, at).forecasts.get('a');
    const expected = forecastPools([pool], history, defaults, at, { basis: 'expected' }).forecasts.get('a');
    expect(pessimistic?.perDay).toBeCloseTo(24, 5);
    expect(expected?.runwayBasis).toBe('expected');
    // Expected: (427 - 20) / 24 days to critical, 427 / 24 to empty.
    expect(expected?.days).toBeCloseTo(407 / 24, 5);
    expect(expected?.daysToZero).toBeCloseTo(427 / 24, 5);
    expect(pessimistic?.runwayBasis).toBe('pessimistic');
    expect(pessimistic?.daysToZero).toBe(pessimistic?.runway?.earliest);
    expect(pessimistic?.days).toBeLessThan(expected?.days ?? 0);
    expect(pessimistic?.days).toBeGreaterThan(0.8 * (expected?.days ?? 0));
  });

  it("uses each product's own critical level", () => {
    const history = new Map([
      ['a', hourly(72, 500, 1)],
      ['b', hourly(72, 500, 1)],
    ]);
    const ruleFor = ruleResolver({
      default: { low: 300, critical: 20 },
      products: [{ match: 'CODE-b', critical: 200 }],
    });
    const { forecasts } = forecastPools([product('a', 427), product('b', 427)], history, ruleFor, START + 73 * HOUR, {
      basis: 'expected',
    });
    expect(forecasts.get('a')?.days).toBeCloseTo(407 / 24, 5);
    expect(forecasts.get('b')?.days).toBeCloseTo(227 / 24, 5);
    expect(forecasts.get('b')?.daysToZero).toBeCloseTo(427 / 24, 5);
  });

  it('says critical now for a pool already at or below its critical level, with the runway to empty still ahead', () => {
    const history = new Map([['c', hourly(72, 87, 1)]]);
    const forecast = forecastPools([product('c', 14)], history, defaults, START + 73 * HOUR).forecasts.get('c');
    expect(forecast?.days).toBe(0);
    expect(forecast?.daysToZero).toBeGreaterThan(0);
    expect(forecast?.daysToZero).toBeLessThan(14 / 24);
  });

  it('gives an empty pool its rate and since when it is empty, but no forecast', () => {
    // 1 an hour from 40: empty from hour 40 on.
    const history = new Map([['e', hourly(72, 40, 1)]]);
    const { forecasts, estimates } = forecastPools([product('e', 0)], history, defaults, START + 73 * HOUR);
    expect(forecasts.has('e')).toBe(false);
    const estimate = estimates.get('e');
    expect(estimate?.emptySince).toBe(START + 40 * HOUR);
    expect(estimate?.daysToZero).toBeUndefined();
    expect(estimate?.perDay).toBeCloseTo(24, 5);
  });

  it('gives an unconsumed pool an estimate of 0/day and no forecast', () => {
    const history = new Map([['f', hourly(72, 250, 0)]]);
    const { forecasts, estimates } = forecastPools([product('f', 250)], history, defaults, START + 73 * HOUR);
    expect(estimates.get('f')?.perDay).toBe(0);
    expect(forecasts.has('f')).toBe(false);
  });

  it('needs 4 readings over 12 hours, counting the reading just taken', () => {
    const threeReadings = new Map([['g', hourly(12, 500, 10).filter((_, i) => i % 6 === 0)]]);
    // 3 recorded readings (0, 6 and 12 hours) and none taken now at the same time: not enough.
    const before = forecastPools([product('g', 380)], threeReadings, defaults, START + 12 * HOUR);
    expect(before.estimates.has('g')).toBe(false);
    expect(before.forecasts.has('g')).toBe(false);
    // The reading taken an hour later is the fourth.
    const after = forecastPools([product('g', 370)], threeReadings, defaults, START + 13 * HOUR);
    expect(after.estimates.get('g')?.basis.points).toBe(4);
    expect(after.forecasts.get('g')?.perDay).toBeCloseTo(240, 5);
    // Four readings over 11 hours: not enough.
    const short = new Map([['h', hourly(11, 500, 10).filter((_, i) => i % 5 === 0 || i === 11)]]);
    expect(short.get('h')).toHaveLength(4);
    expect(forecastPools([product('h', 390)], short, defaults, START + 11 * HOUR).estimates.has('h')).toBe(false);
    // A product with no history at all: only this poll's reading, with or without the poller's cache.
    expect(forecastPools([product('i', 10)], new Map(), defaults, START).estimates.size).toBe(0);
    const cache = new ConsumptionCache();
    expect(forecastPools([product('i', 10)], new Map(), defaults, START, { cache }).estimates.size).toBe(0);
    expect(forecastPools([product('i', 9)], new Map(), defaults, START + HOUR, { cache }).estimates.size).toBe(0);
  });

  it('does not count the reading just taken twice when the history already ends with it', () => {
    const points = hourly(24, 500, 1);
    const last = points[points.length - 1] as HistoryPoint;
    const { estimates } = forecastPools([product('j', last.available)], new Map([['j', points]]), defaults, last.at);
    expect(estimates.get('j')?.basis.points).toBe(points.length);
  });

  it('with the poller cache, gives what it gives without, through refills and glitches, and forgets dropped pools', () => {
    const points = hourly(96, 900, 2).map((p, i) => {
      if (i === 30) return { ...p, available: 5 }; // a one-reading glitch
      if (i >= 60) return { ...p, available: p.available + 300 }; // a top-up
      return p;
    });
    const cache = new ConsumptionCache();
    const pools = [product('k', 0), product('l', 0)];
    for (const hours of [40, 70, 96]) {
      const history = new Map([
        ['k', points.slice(0, hours)],
        ['l', points.slice(0, hours)],
      ]);
      const now = points[hours] as HistoryPoint;
      const current = pools.map((p) => ({ ...p, available: now.available }));
      const cached = forecastPools(current, history, defaults, now.at, { cache });
      const uncached = forecastPools(current, history, defaults, now.at);
      expect(cached).toEqual(uncached);
    }
    const analysis = analyseConsumption(points);
    if (analysis.status !== 'estimate') throw new Error('expected an estimate');
    expect(analysis.glitches).toBe(1);
    expect(analysis.refills).toEqual([{ at: START + 60 * HOUR, added: 298 }]);
    expect(cache.size).toBe(2);
    forecastPools([product('k', 600)], new Map([['k', points]]), defaults, START + 97 * HOUR, { cache });
    expect(cache.size).toBe(1);
  });
});

describe('FORECAST_HISTORY_MS', () => {
  // Readings every 6 hours, one license gone each, except 40 at once in the first reading inside
  // the 28-day window (at - 28 d + 5 h), a step from the reading just before it (at - 28 d - 1 h).
  const at = Date.UTC(2026, 10, 30, 1, 0);
  const SIX_HOURS = 6 * HOUR;
  const recorded: HistoryPoint[] = [];
  for (let k = 160; k >= 0; k -= 1) {
    const used = 160 - k + (k <= 111 ? 39 : 0);
    recorded.push({ at: at - HOUR - k * SIX_HOURS, available: 2_000 - used });
  }
  const current = product('w', (recorded.at(-1) as HistoryPoint).available - 1);
  const since = (from: number) => new Map([['w', recorded.filter((point) => point.at >= from)]]);

  it("reads enough to judge the step into the 28-day window, as the poller's warm cache does", () => {
    // The window's steps: the 40, 111 of 1 license in 6 hours, and 1 in the hour to this reading.
    const perDay = (40 + 111 + 1) / ((6 + 111 * 6 + 1) / 24);
    const cold = forecastPools([current], since(at - FORECAST_HISTORY_MS), defaults, at).estimates.get('w');
    expect(cold?.perDay).toBeCloseTo(perDay, 9);
    // The poller: a cache fed poll by poll, each poll reading the history before it.
    const cache = new ConsumptionCache();
    for (const [i, reading] of recorded.entries()) {
      const before = new Map([
        ['w', recorded.slice(0, i).filter((point) => point.at >= reading.at - FORECAST_HISTORY_MS)],
      ]);
      forecastPools([product('w', reading.available)], before, defaults, reading.at, { cache });
    }
    expect(forecastPools([current], since(at - FORECAST_HISTORY_MS), defaults, at, { cache })).toEqual(
      forecastPools([current], since(at - FORECAST_HISTORY_MS), defaults, at),
    );
    // Exactly the window (the bot's first poll read this much): the 40 is lost, ~4/day.
    const windowOnly = forecastPools([current], since(at - 28 * 24 * HOUR), defaults, at).estimates.get('w');
    expect(windowOnly?.perDay).toBeCloseTo((111 + 1) / ((111 * 6 + 1) / 24), 9);
  });
});

describe('withReading', () => {
  const recorded: HistoryPoint[] = [
    { at: 1_000, available: 50 },
    { at: 2_000, available: 48 },
  ];

  it('adds the reading just taken after the recorded history', () => {
    expect(withReading(recorded, { at: 3_000, available: 47 })).toEqual([...recorded, { at: 3_000, available: 47 }]);
    expect(withReading(undefined, { at: 3_000, available: 47 })).toEqual([{ at: 3_000, available: 47 }]);
    expect(withReading([], { at: 3_000, available: 47 })).toEqual([{ at: 3_000, available: 47 }]);
    expect(withReading(recorded, { at: 3_000, available: 48 })).toEqual([...recorded, { at: 3_000, available: 48 }]);
  });

  it('leaves a history that already holds a reading at that time or later as it is, in time order', () => {
    expect(withReading(recorded, { at: 2_000, available: 48 })).toBe(recorded);
    // Same time, another count: the recorded reading stands (the forecast skips the second one too).
    expect(withReading(recorded, { at: 2_000, available: 46 })).toBe(recorded);
    // The bot recorded a reading after the CLI's clock says it is now.
    expect(withReading(recorded, { at: 1_500, available: 49 })).toBe(recorded);
  });

  it('gives the forecast the poller gives when the history already holds a newer reading', () => {
    // Recorded by a bot whose clock runs an hour ahead of the CLI's.
    const points = hourly(24, 500, 1);
    const last = points.at(-1) as HistoryPoint;
    const lagging = { at: last.at - HOUR / 2, available: last.available - 5 };
    const history = new Map([['m', points]]);
    const uncached = forecastPools([product('m', lagging.available)], history, defaults, lagging.at);
    const cache = new ConsumptionCache();
    const cached = forecastPools([product('m', lagging.available)], history, defaults, lagging.at, { cache });
    expect(uncached).toEqual(cached);
    expect(uncached.estimates.get('m')?.latest).toEqual(last);
    expect(uncached.estimates.get('m')?.perDay).toBeCloseTo(24, 9);
  });
});
