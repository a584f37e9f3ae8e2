import { describe, expect, it } from 'vitest';
import { describeRunway, describeTrigger, levelTrigger, withinRunway } from './runway.js';

const DAY = 86_400_000;
const rule = { low: 100, critical: 20, lowRunwayMs: 14 * DAY, criticalRunwayMs: 3 * DAY };
const forecast = (daysToZero: number | undefined, perDay = 40) => ({ days: daysToZero ?? 99, perDay, daysToZero });

describe('withinRunway', () => {
  it('is inside when the runway is at most the threshold, scaled by the recovery factor', () => {
    expect(withinRunway(3, 3 * DAY)).toBe(true);
    expect(withinRunway(3.01, 3 * DAY)).toBe(false);
    expect(withinRunway(3.7, 3 * DAY, 1.25)).toBe(true);
  });

  it('is never inside without a runway or with the threshold off', () => {
    expect(withinRunway(undefined, 3 * DAY)).toBe(false);
    expect(withinRunway(0, undefined)).toBe(false);
    expect(withinRunway(0, 0)).toBe(false);
  });
});

describe('levelTrigger', () => {
  it('gives nothing for ok, the count when the count says so, else the runway', () => {
    expect(levelTrigger('ok', 5, rule, forecast(1))).toBeUndefined();
    expect(levelTrigger('critical', 20, rule, forecast(1))).toEqual({ kind: 'count', threshold: 20 });
    expect(levelTrigger('low', 100, rule, forecast(1))).toEqual({ kind: 'count', threshold: 100 });
    expect(levelTrigger('critical', 500, rule, forecast(2, 250))).toEqual({
      kind: 'runway',
      thresholdMs: 3 * DAY,
      daysToZero: 2,
      perDay: 250,
    });
    expect(levelTrigger('low', 500, rule, forecast(10))).toEqual({
      kind: 'runway',
      thresholdMs: 14 * DAY,
      daysToZero: 10,
      perDay: 40,
    });
  });

  it('falls back to the count without a forecast, a runway, or a runway threshold', () => {
    expect(levelTrigger('low', 500, rule, undefined)).toEqual({ kind: 'count', threshold: 100 });
    expect(levelTrigger('low', 500, rule, forecast(undefined))).toEqual({ kind: 'count', threshold: 100 });
    expect(levelTrigger('low', 500, { ...rule, lowRunwayMs: 0 }, forecast(10))).toEqual({
      kind: 'count',
      threshold: 100,
    });
    expect(levelTrigger('critical', 500, { low: 100, critical: 20 }, forecast(1))).toEqual({
      kind: 'count',
      threshold: 20,
    });
  });
});

describe('describeTrigger', () => {
  it('says how many are left against the level, with thousands separators', () => {
    expect(describeTrigger({ kind: 'count', threshold: 1500 }, 1234)).toBe('1,234 left (≤ 1,500)');
  });

  it('says when the pool runs out, rounded to whole days, and at what rate', () => {
    const runway = (daysToZero: number, perDay: number) =>
      describeTrigger({ kind: 'runway', thresholdMs: 3 * DAY, daysToZero, perDay }, 100);
    expect(runway(0.4, 250)).toBe('runs out within a day at ~250/day');
    expect(runway(1, 100)).toBe('runs out in ~1 day at ~100/day');
    expect(runway(1.4, 100)).toBe('runs out in ~1 day at ~100/day');
    expect(runway(4.6, 1234.4)).toBe('runs out in ~5 days at ~1,234/day');
    expect(runway(2, 0.2)).toBe('runs out in ~2 days at ~1.4/week');
  });
});

describe('describeRunway', () => {
  it('gives the 80 % interval in whole days', () => {
    expect(describeRunway({ earliest: 12.2, expected: 15, latest: 19.6 })).toBe('in 12-20 days (80 %)');
    expect(describeRunway({ earliest: 1, expected: 1.5, latest: 2 })).toBe('in 1-2 days (80 %)');
  });

  it('says "within N days" when the early end is under a day, and "within a day" when the late end is', () => {
    expect(describeRunway({ earliest: 0.4, expected: 2, latest: 3.2 })).toBe('within 3 days (80 %)');
    expect(describeRunway({ earliest: 0.3, expected: 0.7, latest: 1 })).toBe('within 1 day (80 %)');
    expect(describeRunway({ earliest: 0.2, expected: 0.5, latest: 0.9 })).toBe('within a day');
  });

  it('gives the expected days alone when both ends round to the same day (a steady pool)', () => {
    expect(describeRunway({ earliest: 5.2, expected: 5.4, latest: 5.4 })).toBe('in ~5 days');
    expect(describeRunway({ earliest: 1, expected: 1, latest: 1 })).toBe('in ~1 day');
  });
});
