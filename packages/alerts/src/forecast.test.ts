import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyseConsumption, describeForecast, forecastDepletion, forecastFrom, formatRunway } from './forecast.js';
import { dailySeries, sparkline } from './trend.js';

const DAY = 86_400_000;
const series = (values: number[], stepMs = DAY / 4) => values.map((available, i) => ({ at: i * stepMs, available }));

describe('forecastDepletion', () => {
  it('projects a steady decline to the level', () => {
    const forecast = forecastDepletion(series([400, 390, 380, 370, 360]), 20, { minSpanMs: 0 });
    expect(forecast?.perDay).toBeCloseTo(40);
    expect(forecast?.days).toBeCloseTo(8.5);
    expect(describeForecast(forecast ?? { days: 0, perDay: 0 }, 'critical')).toBe('critical in ~9 days');
  });

  it('says nothing for a flat or rising trend, or too few points', () => {
    expect(forecastDepletion(series([100, 100, 100, 100]), 20)).toBeUndefined();
    expect(forecastDepletion(series([100, 120, 140, 160]), 20)).toBeUndefined();
    expect(forecastDepletion(series([400, 300]), 20)).toBeUndefined();
  });
});

const HOUR = 3_600_000;
const START = Date.UTC(2026, 9, 1, 7, 13);

/** A pool consumed at `perDay`, read every `stepMs` for `days` days; integer counts like LMPI's. */
function constantRate(perDay: number, days: number, stepMs: number, start = 100_000) {
  const points = [];
  for (let t = 0; t <= days * DAY; t += stepMs)
    points.push({ at: START + t, available: Math.round(start - (perDay * t) / DAY) });
  return points;
}

const rateOf = (points: { at: number; available: number }[]) => {
  const analysis = analyseConsumption(points);
  return analysis.status === 'estimate' ? analysis.perDay : Number.NaN;
};

const seriesArb = fc.record({
  perDay: fc.integer({ min: 10, max: 2_000 }),
  days: fc.integer({ min: 5, max: 30 }),
  stepMs: fc.constantFrom(5 * 60_000, 15 * 60_000, HOUR, 3 * HOUR),
});

describe('analyseConsumption (properties)', () => {
  it('finds a constant rate within 10 % even after a refill, which resets the projection', () => {
    fc.assert(
      fc.property(
        seriesArb,
        fc.double({ min: 0.05, max: 0.95, noNaN: true }),
        fc.integer({ min: 500, max: 50_000 }), // more than the largest step's consumption: a visible jump
        ({ perDay, days, stepMs }, where, added) => {
          const points = constantRate(perDay, days, stepMs);
          const windowStart = Math.max(0, days - 13) / days; // a refill inside the 14-day window
          const from = Math.floor((windowStart + where * (1 - windowStart)) * points.length);
          const refilled = points.map((p, i) => (i >= from ? { ...p, available: p.available + added } : p));
          const analysis = analyseConsumption(refilled);
          expect(analysis.status).toBe('estimate');
          if (analysis.status !== 'estimate') return;
          expect(Math.abs(analysis.perDay - perDay) / perDay).toBeLessThan(0.1);
          // Detected net of the consumption during the step it happened in.
          expect(analysis.refills).toHaveLength(from > 0 ? 1 : 0);
          for (const refill of analysis.refills) expect(refill.added).toBeLessThanOrEqual(added);
          // The projection starts at the latest (refilled) reading.
          expect(analysis.daysToZero).toBeCloseTo((refilled.at(-1)?.available ?? 0) / analysis.perDay, 6);
        },
      ),
    );
  });

  it('moves the rate by less than 20 % for one glitch reading (a drop to 0 and back)', () => {
    fc.assert(
      fc.property(seriesArb, fc.double({ min: 0.05, max: 0.95, noNaN: true }), ({ perDay, days, stepMs }, where) => {
        const points = constantRate(perDay, days, stepMs);
        const clean = rateOf(points);
        const i = Math.floor(where * (points.length - 2)) + 1;
        const glitched = points.map((p, j) => (j === i ? { ...p, available: 0 } : p));
        expect(Math.abs(rateOf(glitched) - clean) / clean).toBeLessThan(0.2);
      }),
    );
  });

  it('never forecasts depletion for a flat series, however noisy its timing', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 6 * HOUR }), { minLength: 4, maxLength: 400 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (gaps, level) => {
          let at = START;
          const points = gaps.map((gap) => {
            at += gap;
            return { at, available: level };
          });
          expect(forecastDepletion(points, 0)).toBeUndefined();
          const analysis = analyseConsumption(points);
          if (analysis.status === 'estimate') expect(analysis.perDay).toBe(0);
        },
      ),
    );
  });
});

describe('analyseConsumption', () => {
  it('says "not enough data yet" with what it has and needs', () => {
    const analysis = analyseConsumption(constantRate(40, 0.25, HOUR));
    expect(analysis).toMatchObject({ status: 'insufficient', need: { points: 4, spanMs: 12 * HOUR } });
  });

  it('weighs only the last 14 days: a faster old burn does not count', () => {
    const old = constantRate(400, 10, HOUR, 200_000);
    const recent = constantRate(40, 14, HOUR, old.at(-1)?.available ?? 0).map((p) => ({
      ...p,
      at: p.at + 10 * DAY + HOUR,
    }));
    expect(rateOf([...old, ...recent])).toBeCloseTo(40, 0);
  });

  it('gives days to zero and to the critical level, confidence, refills and largest drops', () => {
    const points = constantRate(100, 10, HOUR, 3_000);
    points.push({ at: (points.at(-1)?.at ?? 0) + HOUR, available: 4_000 });
    const analysis = analyseConsumption(points);
    expect(analysis).toMatchObject({
      status: 'estimate',
      confidence: 'high',
      refills: [{ added: expect.any(Number) }],
    });
    if (analysis.status !== 'estimate') return;
    expect(analysis.daysToZero).toBeCloseTo(40, 0);
    expect(forecastFrom(analysis, 1_000)?.days).toBeCloseTo(30, 0);
    expect(analysis.largestDrops.length).toBeGreaterThan(0);
    expect(formatRunway(analysis.daysToZero)).toBe('~40 d');
  });

  it('is only low-confidence with under 3 days of readings', () => {
    const analysis = analyseConsumption(constantRate(100, 2, HOUR));
    expect(analysis).toMatchObject({ status: 'estimate', confidence: 'low' });
  });
});

describe('dailySeries and sparkline', () => {
  it('takes the last reading per day, carries it over gaps, and draws one bar per day from 0', () => {
    const now = START + 4 * DAY;
    const points = [
      { at: START - DAY, available: 900 },
      { at: START + HOUR, available: 800 },
      { at: START + 2 * DAY + HOUR, available: 400 },
      { at: START + 2 * DAY + 2 * HOUR, available: 350 },
    ];
    expect(dailySeries(points, 4, now)).toEqual([800, 800, 350, 350]);
    expect(dailySeries(points.slice(1), 5, now)).toEqual([undefined, 800, 800, 350, 350]);
    expect(sparkline([800, 600, 400, 200, 0, undefined])).toBe('█▆▅▃▁ ');
    expect(sparkline([0, 0])).toBe('▁▁');
  });
});
