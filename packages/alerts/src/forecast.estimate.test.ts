import { describe, expect, it } from 'vitest';
import {
  analyseConsumption,
  type ConsumptionEstimate,
  type ForecastOptions,
  forecastDepletion,
  forecastFrom,
  type HistoryPoint,
  inTimeOrder,
} from './forecast.js';

const HOUR = 3_600_000;
const DAY = 86_400_000;
/** Midnight UTC: readings on the hour fall at the start of the 2-hour cells the window moves in. */
const START = Date.UTC(2026, 10, 2);

/** Hourly readings from `fromHour` to `toHour` (hours after START), `perHour` consumed each hour. */
function hourly(fromHour: number, toHour: number, startAt: number, perHour: number): HistoryPoint[] {
  const points: HistoryPoint[] = [];
  for (let h = fromHour; h <= toHour; h += 1)
    points.push({ at: START + h * HOUR, available: startAt - (h - fromHour) * perHour });
  return points;
}

function estimate(points: readonly HistoryPoint[], options?: ForecastOptions): ConsumptionEstimate {
  const analysis = analyseConsumption(points, options);
  if (analysis.status !== 'estimate') throw new Error(`expected an estimate, got ${JSON.stringify(analysis)}`);
  return analysis;
}

describe('enough data', () => {
  it('says "not enough data yet" for a pool with no readings at all', () => {
    expect(analyseConsumption([])).toEqual({
      status: 'insufficient',
      have: { points: 0, spanMs: 0 },
      need: { points: 4, spanMs: 12 * HOUR },
    });
  });

  it('estimates from exactly 4 readings spanning exactly 12 hours, not from 3 or from less time', () => {
    const points = [0, 4, 8, 12].map((h, i) => ({ at: START + h * HOUR, available: 100 - 10 * i }));
    expect(estimate(points).perDay).toBeCloseTo(60);
    expect(analyseConsumption(points.slice(1))).toMatchObject({
      status: 'insufficient',
      have: { points: 3, spanMs: 8 * HOUR },
    });
    const shorter = points.map((p, i) => (i === 0 ? { ...p, at: p.at + 1 } : p));
    expect(analyseConsumption(shorter)).toMatchObject({ status: 'insufficient', have: { spanMs: 12 * HOUR - 1 } });
  });

  it('takes the caller’s minimum data instead of the defaults', () => {
    const points = hourly(0, 2, 100, 5);
    expect(analyseConsumption(points).status).toBe('insufficient');
    const analysis = estimate(points, { minPoints: 3, minSpanMs: HOUR });
    expect(analysis.perDay).toBeCloseTo(120);
    expect(analysis.basis).toMatchObject({ points: 3, spanMs: 2 * HOUR });
  });
});

describe('readings out of order', () => {
  it('gives the same estimate for shuffled readings as for the sorted ones', () => {
    const sorted = hourly(0, 48, 1_000, 3);
    const shuffled = [...sorted.slice(30), ...sorted.slice(0, 10).reverse(), ...sorted.slice(10, 30)];
    const analysis = estimate(shuffled);
    expect(analysis).toEqual(estimate(sorted));
    expect(analysis.perDay).toBeCloseTo(72);
    expect(analysis.latest).toEqual(sorted.at(-1));
  });

  it('inTimeOrder keeps sorted readings as they are (equal times included) and sorts a copy otherwise', () => {
    const sorted = [
      { at: 1, available: 5 },
      { at: 2, available: 4 },
      { at: 2, available: 4 },
    ];
    expect(inTimeOrder(sorted)).toBe(sorted);
    expect(inTimeOrder([])).toEqual([]);
    const unsorted = [sorted[1], sorted[0]] as HistoryPoint[];
    expect(inTimeOrder(unsorted)).toEqual([sorted[0], sorted[1]]);
    expect(unsorted[0]).toBe(sorted[1]); // the caller's array is not reordered
  });
});

describe('a pool nothing can be consumed from', () => {
  it('rates a pool that has been empty at every reading at 0/day, with no runway', () => {
    const analysis = estimate(hourly(0, 24, 0, 0));
    expect(analysis.perDay).toBe(0);
    expect(analysis.variancePerDay).toBe(0);
    expect(analysis.emptySince).toBe(START);
    expect(analysis.daysToZero).toBeUndefined();
    expect(forecastFrom(analysis, 0)).toBeUndefined();
  });

  it('rates a pool that only went up (top-ups, returns) at 0/day and lists the rises', () => {
    const points = [10, 10, 30, 30, 50].map((available, i) => ({ at: START + 6 * i * HOUR, available }));
    const analysis = estimate(points);
    expect(analysis.perDay).toBe(0);
    expect(analysis.variancePerDay).toBe(0);
    expect(analysis.refills.map((r) => r.added)).toEqual([20, 20]);
    expect(forecastDepletion(points, 5)).toBeUndefined();
  });
});

describe('forecastFrom', () => {
  const analysis = estimate(hourly(0, 10 * 24, 2_000, 5)); // 120/day, 800 left

  it('forecasts on the expected runway unless told otherwise, and says so', () => {
    const forecast = forecastFrom(analysis, 200);
    expect(forecast?.runwayBasis).toBe('expected');
    expect(forecast?.perDay).toBeCloseTo(120);
    expect(forecast?.days).toBeCloseTo(5);
    expect(forecast?.daysToZero).toBe(analysis.runway?.expected);
    expect(forecast?.daysToZero).toBeCloseTo(800 / 120);
  });

  it('on the pessimistic basis, the days to level 0 are the runway’s early end, and a level further away takes longer', () => {
    const toZero = forecastFrom(analysis, 0, 'pessimistic');
    expect(toZero?.days).toBe(analysis.runway?.earliest);
    expect(toZero?.daysToZero).toBe(analysis.runway?.earliest);
    expect(toZero?.days).toBeLessThan(800 / 120);
    const toHalf = forecastFrom(analysis, 400, 'pessimistic')?.days ?? Number.NaN;
    expect(toHalf).toBeGreaterThan(0);
    expect(toHalf).toBeLessThan(toZero?.days ?? 0);
  });

  it('says 0 days for a level the pool is already at or below', () => {
    expect(forecastFrom(analysis, 800)?.days).toBe(0);
    expect(forecastFrom(analysis, 900, 'pessimistic')?.days).toBe(0);
  });
});

describe('change of pace', () => {
  // 27 days of readings (all within the 28-day window); the recent part is the last 14 days of
  // 2-hour cells before the latest reading's cell.
  const latestHour = 27 * 24;
  const recentFromHour = latestHour - 14 * 24 + 2; // first reading whose step counts as recent

  /** Hourly readings for 27 days: `older` consumed per hour before the recent part, `recent` after. */
  function paced(older: number, recent: number, fromHour = 0): HistoryPoint[] {
    const points: HistoryPoint[] = [];
    let available = 100_000;
    for (let h = fromHour; h <= latestHour; h += 1) {
      if (h > fromHour) available -= h < recentFromHour ? older : recent;
      points.push({ at: START + h * HOUR, available });
    }
    return points;
  }

  it('keeps the whole window for a small change (within sampling noise)', () => {
    // 10 vs 11 per hour, steady: the whole window's mean.
    const analysis = estimate(paced(10, 11));
    const older = (recentFromHour - 1) * 10;
    const recent = (latestHour - recentFromHour + 1) * 11;
    expect(analysis.perDay).toBeCloseTo(((older + recent) / latestHour) * 24, 6);
    expect(analysis.basis.rateSpanMs).toBe(latestHour * HOUR);
  });

  it('follows a clear change at once: only the recent part counts, faster or slower', () => {
    const faster = estimate(paced(10, 14));
    expect(faster.perDay).toBeCloseTo(14 * 24, 6);
    expect(faster.basis.rateSpanMs).toBe((latestHour - recentFromHour + 1) * HOUR);
    expect(estimate(paced(14, 10)).perDay).toBeCloseTo(10 * 24, 6);
  });

  it('calls one day of older readings enough to compare, and less than a day not', () => {
    // The older part covers exactly one day (24 hourly steps), at triple the recent pace.
    const oneDay = estimate(paced(30, 10, recentFromHour - 25));
    expect(oneDay.perDay).toBeCloseTo(10 * 24, 6);
    // 23 hours: too little to call a change of pace (though as far apart); the whole window counts.
    const shorter = estimate(paced(30, 10, recentFromHour - 24));
    const hours = latestHour - (recentFromHour - 24);
    expect(shorter.perDay).toBeCloseTo(((23 * 30 + (hours - 23) * 10) / hours) * 24, 6);
  });

  it('takes single sales after two quiet weeks as a new pace only beyond the noise limit (z > 3)', () => {
    // Nothing sold for two weeks, then n single licenses in the last two: z = n / √n = √n.
    const sales = (n: number) =>
      paced(0, 0).map((p, h) => ({
        ...p,
        available: 100 - Array.from({ length: n }, (_, k) => recentFromHour + 30 * k).filter((at) => at <= h).length,
      }));
    // Nine: z is exactly 3, not beyond it; the whole window's mean, 9 in 27 days.
    expect(estimate(sales(9)).perDay).toBeCloseTo(9 / 27, 9);
    // Ten: z ≈ 3.16; only the recent part (335 hours) counts.
    expect(estimate(sales(10)).perDay).toBeCloseTo(10 / (335 / 24), 9);
  });

  it('follows a pool refilled after standing empty from one day at its new pace, not from half a day', () => {
    // 2 an hour until empty at hour 300, empty until a top-up to 1,000, then 40 an hour.
    const refilledAt = (hour: number) =>
      paced(10, 0).map((p, h) => {
        if (h < 300) return { ...p, available: 600 - 2 * h };
        if (h < hour) return { ...p, available: 0 };
        return { ...p, available: 1_000 - 40 * (h - hour) };
      });
    const oneDay = estimate(refilledAt(latestHour - 24));
    expect(oneDay.refills).toEqual([{ at: START + (latestHour - 24) * HOUR, added: 1_000 }]);
    expect(oneDay.perDay).toBeCloseTo(40 * 24, 6);
    expect(oneDay.basis.rateSpanMs).toBe(DAY);
    // Twelve hours at the new pace (though as far from the old one, z ≈ 3.3): the whole window
    // (300 hours at 2, 12 at 40) still counts.
    expect(estimate(refilledAt(latestHour - 12)).perDay).toBeCloseTo(((600 + 12 * 40) / 312) * 24, 6);
  });
});

describe('confidence', () => {
  it('is low under 3 days of readings and medium from exactly 3 days', () => {
    expect(estimate(hourly(0, 3 * 24 - 1, 1_000, 2)).confidence).toBe('low');
    expect(estimate(hourly(0, 3 * 24, 1_000, 2)).confidence).toBe('medium');
  });

  it('is low when the pool changed on fewer than 3 days, however long ago the first reading', () => {
    // Readings on day 0 and day 4 only.
    const twoDays = [...hourly(0, 23, 1_000, 2), ...hourly(4 * 24 + 12, 4 * 24 + 20, 900, 2)];
    expect(estimate(twoDays).confidence).toBe('low');
    // Readings on days 0, 2 and 4.
    const threeDays = [...twoDays.slice(0, 24), ...hourly(2 * 24, 2 * 24 + 5, 950, 2), ...twoDays.slice(24)];
    expect(estimate(threeDays).confidence).toBe('medium');
  });

  it('is medium for a steady pool under 7 days and high from exactly 7 days', () => {
    expect(estimate(hourly(0, 5 * 24, 1_000, 2)).confidence).toBe('medium');
    expect(estimate(hourly(0, 7 * 24 - 1, 1_000, 2)).confidence).toBe('medium');
    expect(estimate(hourly(0, 7 * 24, 1_000, 2)).confidence).toBe('high');
  });

  it('is high when the rate is known to exactly 15 % after 10 days, medium just beyond', () => {
    // 48 sales in 10 days, every 5 hours: the relative standard error is √(Σ size²) / Σ size.
    const sold = (size: (k: number) => number) =>
      hourly(0, 240, 500, 0).map((p, h) => {
        let gone = 0;
        for (let k = 0; k < 48 && 5 * k + 2 <= h; k += 1) gone += size(k);
        return { ...p, available: 500 - gone };
      });
    // 16 singles and 32 pairs: √144 / 80 = 0.15.
    expect(estimate(sold((k) => (k % 3 === 0 ? 1 : 2))).confidence).toBe('high');
    // 16 singles, 31 pairs and one triple: √149 / 81 ≈ 0.151.
    expect(estimate(sold((k) => (k === 47 ? 3 : k % 3 === 0 ? 1 : 2))).confidence).toBe('medium');
  });

  it('stays medium for a lumpy pool however long it is watched: its rate is not known to 15 %', () => {
    // Three lumps of 40 in 14 days.
    const points = hourly(0, 14 * 24, 500, 0).map((p, h) => ({
      ...p,
      available: 500 - 40 * [50, 150, 250].filter((lumpAt) => h >= lumpAt).length,
    }));
    const analysis = estimate(points);
    expect(analysis.perDay).toBeCloseTo(120 / 14);
    expect(analysis.confidence).toBe('medium');
  });
});
