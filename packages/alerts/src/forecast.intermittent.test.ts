import type { ProductProfile } from '@licensewatch/schema';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConsumptionCache } from './consumption-cache.js';
import { analyseConsumption, forecastFrom, formatRunway, type HistoryPoint } from './forecast.js';
import { forecastPools } from './pool-forecasts.js';
import { formatRate } from './rate-format.js';
import { DEFAULT_THRESHOLDS, ruleResolver } from './rules.js';
import { describeTrigger, levelTrigger } from './runway.js';
import { parseThresholdsYaml } from './thresholds-file.js';

const DAY = 86_400_000;
const MINUTE = 60_000;
const START = Date.UTC(2026, 10, 1, 6, 7);

/** Readings every `stepMs` for `days` days; `consumedAt(t)` licenses gone by time t. */
function polled(days: number, stepMs: number, available: number, consumedBy: (t: number) => number): HistoryPoint[] {
  const points: HistoryPoint[] = [];
  for (let t = 0; t <= days * DAY; t += stepMs) points.push({ at: START + t, available: available - consumedBy(t) });
  return points;
}

describe('intermittent demand (issue 18)', () => {
  it('rates a pool that sold 4 licenses on four separate days in 14 days at ~2/week, not ~0/day', () => {
    const sales = [1.3, 4.6, 8.2, 12.9].map((d) => d * DAY);
    const points = polled(14, 5 * MINUTE, 17, (t) => sales.filter((s) => s <= t).length);
    const analysis = analyseConsumption(points);
    expect(analysis.status).toBe('estimate');
    if (analysis.status !== 'estimate') return;
    expect(analysis.latest.available).toBe(13);
    expect(analysis.perDay).toBeCloseTo(4 / 14, 2);
    expect(formatRate(analysis.perDay)).toBe('~2/week');
    expect(analysis.daysToZero).toBeCloseTo(45.5, 0);
    expect(formatRunway(analysis.daysToZero)).toBe('~46 d');
    // The 80 % interval holds the expected runway, and its pessimistic end is earlier.
    const runway = analysis.runway;
    expect(runway?.earliest).toBeLessThan(45.5);
    expect(runway?.latest).toBeGreaterThan(45.5);
    expect(forecastFrom(analysis, 0, 'pessimistic')?.daysToZero).toBe(runway?.earliest);
  });

  it('keeps a known intermittent rate inside the stated interval (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 7 }), // days between lumps
        fc.integer({ min: 1, max: 20 }), // lump size
        fc.double({ min: 0, max: 1, noNaN: true }), // phase
        fc.integer({ min: 5, max: 40 }), // runway in days at the true rate
        fc.constantFrom(5 * MINUTE, 10 * MINUTE, 15 * MINUTE),
        (every, lump, phase, runwayDays, stepMs) => {
          const perDay = lump / every;
          const available = Math.ceil(perDay * runwayDays) + lump * Math.ceil(28 / every + 1); // left at the end: the runway
          const points = polled(28, stepMs, available, (t) => lump * Math.floor(t / (every * DAY) + phase));
          const analysis = analyseConsumption(points);
          if (analysis.status !== 'estimate') throw new Error('expected an estimate');
          // Within sampling error of a 28-day window (a lump more or less).
          expect(analysis.perDay).toBeGreaterThan(perDay * 0.7);
          expect(analysis.perDay).toBeLessThan(perDay * 1.4);
          const truth = analysis.latest.available / perDay;
          expect(analysis.runway?.earliest).toBeLessThanOrEqual(truth);
          expect(analysis.runway?.latest).toBeGreaterThanOrEqual(truth);
        },
      ),
    );
  });
});

describe('one consistent story', () => {
  it('says an empty pool is empty since its first empty reading, and forecasts nothing', () => {
    const points = polled(3, 15 * MINUTE, 200, (t) => Math.min(200, Math.floor(t / (15 * MINUTE)) * 2));
    const analysis = analyseConsumption(points);
    if (analysis.status !== 'estimate') throw new Error('expected an estimate');
    expect(analysis.latest.available).toBe(0);
    expect(analysis.emptySince).toBe(START + 100 * 15 * MINUTE);
    expect(analysis.daysToZero).toBeUndefined();
    expect(analysis.runway).toBeUndefined();
    expect(forecastFrom(analysis, 20)).toBeUndefined();
    // The time spent empty is not counted as zero demand: the rate is the rate while consumed.
    expect(analysis.perDay).toBeCloseTo(2 * 96, 0);
  });

  it('lists the same drop an alert reports between two polls, not a bucket median', () => {
    const points = polled(2, 5 * MINUTE, 50_000, (t) => (t >= DAY + 17 * MINUTE ? 1_929 : 0) + Math.floor(t / DAY));
    const analysis = analyseConsumption(points);
    if (analysis.status !== 'estimate') throw new Error('expected an estimate');
    const reading = (at: number) => points.find((p) => p.at === at)?.available ?? Number.NaN;
    const [largest] = analysis.largestDrops;
    expect(largest?.consumed).toBe(reading((largest?.at ?? 0) - 5 * MINUTE) - reading(largest?.at ?? 0));
    expect(largest?.consumed).toBe(1_929);
  });

  it('skips a one-poll 0 (a glitch), and counts a top-up neither as consumption nor as negative demand', () => {
    const points = polled(10, 10 * MINUTE, 5_000, (t) => Math.floor((t / DAY) * 100));
    points[300] = { at: points[300]?.at ?? 0, available: 0 };
    const refillFrom = 900;
    const refilled = points.map((p, i) => (i >= refillFrom ? { ...p, available: p.available + 3_000 } : p));
    const analysis = analyseConsumption(refilled);
    if (analysis.status !== 'estimate') throw new Error('expected an estimate');
    expect(analysis.glitches).toBe(1);
    expect(analysis.refills).toEqual([{ at: refilled[refillFrom]?.at, added: expect.any(Number) }]);
    expect(analysis.perDay).toBeCloseTo(100, 0);
  });

  it('forecastPools rates on the pessimistic end by default, the expected one when configured', () => {
    const product: ProductProfile = {
      productId: 'p-1',
      productCode: 'NNZBXXE1X',
      productName: 'Pool',
      type: 'SaaS',
      version: 'Full',
      available: 300,
      servicePlans: [],
    };
    const history = new Map([['p-1', polled(14, 15 * MINUTE, 1_700, (t) => Math.floor((t / DAY) * 100))]]);
    const at = START + 14 * DAY + 15 * MINUTE;
    const ruleFor = ruleResolver(DEFAULT_THRESHOLDS);
    const pessimistic = forecastPools([product], history, ruleFor, at).forecasts.get('p-1');
    const expected = forecastPools([product], history, ruleFor, at, { basis: 'expected' }).forecasts.get('p-1');
    expect(pessimistic?.runwayBasis).toBe('pessimistic');
    expect(pessimistic?.daysToZero).toBe(pessimistic?.runway?.earliest);
    expect(expected?.daysToZero).toBeCloseTo(3, 1);
    expect(pessimistic?.daysToZero).toBeLessThan(expected?.daysToZero ?? 0);
    // The poller's cache (state kept between polls) gives the same forecast.
    const cache = new ConsumptionCache();
    forecastPools([product], history, ruleFor, at - 15 * MINUTE, { cache });
    expect(forecastPools([product], history, ruleFor, at, { cache }).forecasts.get('p-1')).toEqual(pessimistic);
    // The runway threshold (critical within 3 days) fires on the pessimistic end only.
    const rule = ruleFor(product);
    const trigger = levelTrigger('critical', 300, rule, pessimistic);
    expect(trigger?.kind).toBe('runway');
    expect(describeTrigger(trigger ?? { kind: 'count', threshold: 0 }, 300)).toMatch(
      /^runs out (in \d+-\d+ days|within \d days) \(80 %\) at ~100\/day$/,
    );
    expect(parseThresholdsYaml('default: { low: 10, critical: 5 }\nrunway_basis: expected').runwayBasis).toBe(
      'expected',
    );
    expect(() => parseThresholdsYaml('default: { low: 10, critical: 5 }\nrunway_basis: optimistic')).toThrow(
      /runway_basis must be pessimistic or expected/,
    );
  });
});

describe('formatRate', () => {
  it('writes thousands separators, one decimal under 10/day, and weeks or months under 1/day', () => {
    expect(formatRate(1_932.4)).toBe('~1,932/day');
    expect(formatRate(40)).toBe('~40/day');
    expect(formatRate(4.26)).toBe('~4.3/day');
    expect(formatRate(1)).toBe('~1/day');
    expect(formatRate(0.29)).toBe('~2/week');
    expect(formatRate(0.05)).toBe('~1.5/month');
    expect(formatRate(0)).toBe('—');
  });
});
