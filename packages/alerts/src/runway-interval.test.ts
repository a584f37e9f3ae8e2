import { describe, expect, it } from 'vitest';
import { type DemandModel, runwayInterval, runwayOn } from './runway-interval.js';

/** Two licenses a day in single steps (lumps of 1), over four weeks of readings. */
const steady: DemandModel = { perDay: 2, variancePerDay: 2, spanDays: 28 };
/** The same rate in lumps of 3 (variance 6): burstier, so a wider interval. */
const lumpy: DemandModel = { perDay: 2, variancePerDay: 6, spanDays: 28 };

describe('runwayInterval', () => {
  it('puts the pessimistic end before the expected runway and the optimistic end after it', () => {
    const interval = runwayInterval(lumpy, 40);
    expect(interval?.expected).toBe(20);
    expect(interval?.earliest).toBeCloseTo(11.78, 2);
    expect(interval?.latest).toBeCloseTo(32.11, 2);
  });

  it('is narrower for steadier demand and for a rate resting on more days', () => {
    const steadyInterval = runwayInterval(steady, 40);
    expect(steadyInterval?.earliest).toBeCloseTo(14.71, 2);
    expect(steadyInterval?.latest).toBeCloseTo(25.89, 2);
    const longer = runwayInterval({ ...steady, spanDays: 280 }, 40);
    expect(longer?.earliest).toBeCloseTo(15.93, 2);
    expect(longer?.latest).toBeCloseTo(24.32, 2);
    // Two days of data: the pessimistic end comes much earlier (a pool cannot look safe for lack of data).
    const young = runwayInterval({ ...lumpy, spanDays: 2 }, 40);
    expect(young?.earliest).toBeCloseTo(3.08, 2);
    expect(young?.latest).toBeCloseTo(36.3, 1);
  });

  it('uses the approximation for many lumps left, with the interval narrowing relative to the runway', () => {
    const busy: DemandModel = { perDay: 100, variancePerDay: 100, spanDays: 28 };
    const interval = runwayInterval(busy, 10_000);
    expect(interval?.expected).toBe(100);
    expect(interval?.earliest).toBeCloseTo(97.23, 2);
    expect(interval?.latest).toBeCloseTo(102.81, 2);
    const fromOneDay = runwayInterval({ ...busy, spanDays: 1 }, 10_000);
    expect(fromOneDay?.earliest).toBeCloseTo(86.18, 2);
    expect(fromOneDay?.latest).toBeCloseTo(114.58, 2);
  });

  it('has no jump where the exact count gives way to the approximation (60 lumps left)', () => {
    const ends = [58, 59, 60, 61, 62].map((amount) => runwayInterval(steady, amount));
    const steps = ends.slice(1).map((interval, i) => ({
      earliest: (interval?.earliest ?? 0) - (ends[i]?.earliest ?? 0),
      latest: (interval?.latest ?? 0) - (ends[i]?.latest ?? 0),
    }));
    // 60 lumps left: still counted exactly.
    expect(ends[2]?.earliest).toBeCloseTo(22.75, 2);
    expect(ends[2]?.latest).toBeCloseTo(38.04, 2);
    for (const step of steps) {
      // Each license more moves each end by about half a day (2/day), never backwards.
      expect(step.earliest).toBeGreaterThan(0.3);
      expect(step.earliest).toBeLessThan(0.6);
      expect(step.latest).toBeGreaterThan(0.3);
      expect(step.latest).toBeLessThan(0.7);
    }
  });

  it('counts whole lumps: amounts needing the same number of lumps share both ends', () => {
    // Lumps of 0.1 licenses: 1.05 and 1.1 both need 11 lumps (1.1 / 0.1 is 11.000000000000002 in floating point).
    const tenths: DemandModel = { perDay: 1, variancePerDay: 0.1, spanDays: 28 };
    const a = runwayInterval(tenths, 1.05);
    const b = runwayInterval(tenths, 1.1);
    const c = runwayInterval(tenths, 1.15);
    expect(b?.earliest).toBeCloseTo(a?.earliest ?? 0, 6);
    expect(b?.latest).toBeCloseTo(a?.latest ?? 0, 6);
    expect(c?.earliest).toBeGreaterThan((b?.earliest ?? 0) + 0.05);
    // Lumps of 10 licenses: one lump empties a pool of 1 or of 10.
    const tens: DemandModel = { perDay: 1, variancePerDay: 10, spanDays: 28 };
    expect(runwayInterval(tens, 1)?.earliest).toBeCloseTo(runwayInterval(tens, 10)?.earliest ?? 0, 6);
    expect(runwayInterval(tens, 11)?.earliest).toBeCloseTo(2.7, 1);
  });

  it('never puts the pessimistic end after the expected runway, even when a single lump empties the pool', () => {
    const interval = runwayInterval({ perDay: 1, variancePerDay: 10, spanDays: 28 }, 1);
    expect(interval?.expected).toBe(1);
    expect(interval?.earliest).toBeLessThan(1);
    expect(interval?.latest).toBeGreaterThan(20);
  });

  it('collapses to the expected runway without variance, and to now for nothing left', () => {
    expect(runwayInterval({ perDay: 4, variancePerDay: 0, spanDays: 10 }, 20)).toEqual({
      earliest: 5,
      expected: 5,
      latest: 5,
    });
    expect(runwayInterval(steady, 0)).toEqual({ earliest: 0, expected: 0, latest: 0 });
    expect(runwayInterval(steady, -5)).toEqual({ earliest: 0, expected: 0, latest: 0 });
  });

  it('has no runway when nothing is consumed or there is no span of data', () => {
    expect(runwayInterval({ ...steady, perDay: 0 }, 40)).toBeUndefined();
    expect(runwayInterval({ ...steady, perDay: -1 }, 40)).toBeUndefined();
    expect(runwayInterval({ ...steady, perDay: Number.NaN }, 40)).toBeUndefined();
    expect(runwayInterval({ ...steady, spanDays: 0 }, 40)).toBeUndefined();
    expect(runwayInterval({ ...steady, spanDays: Number.NaN }, 40)).toBeUndefined();
  });
});

describe('runwayOn', () => {
  const interval = { earliest: 12, expected: 16, latest: 20 };

  it('reads the earliest end on the pessimistic basis and the middle on the expected one', () => {
    expect(runwayOn(interval, 'pessimistic')).toBe(12);
    expect(runwayOn(interval, 'expected')).toBe(16);
  });
});
