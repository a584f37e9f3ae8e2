import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cellBlockPool } from './cell-blocks.js';
import { ConsumptionCache } from './consumption-cache.js';
import { CELL_MS, ConsumptionTracker } from './consumption-tracker.js';
import { analyseConsumption, type HistoryPoint } from './forecast.js';

const MINUTE = 60_000;
const DAY = 86_400_000;
const START = Date.UTC(2026, 9, 1, 3, 2);

/** Polls every 5-15 minutes with demand, refills and one-reading glitches. */
const historyArb = fc
  .array(
    fc.record({
      gap: fc.integer({ min: 5 * MINUTE, max: 15 * MINUTE }),
      used: fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 1, max: 40 })),
      event: fc.constantFrom('none', 'none', 'none', 'none', 'none', 'none', 'refill', 'glitch'),
    }),
    { minLength: 2, maxLength: 700 },
  )
  .map((steps) => {
    let at = START;
    let available = 5_000;
    return steps.map(({ gap, used, event }): HistoryPoint => {
      at += gap * 8; // up to ~2 hours apart: several weeks of readings, past the window
      available = Math.max(0, available - used) + (event === 'refill' ? 700 : 0);
      return { at, available: event === 'glitch' ? 0 : available };
    });
  });

describe('ConsumptionCache', () => {
  it('gives what analyseConsumption gives, however the readings arrive poll by poll (property)', () => {
    fc.assert(
      fc.property(
        historyArb,
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 }),
        (points, cuts) => {
          const cache = new ConsumptionCache();
          const ends = [...cuts.map((c) => Math.floor(c * points.length)), points.length].sort((a, b) => a - b);
          for (const end of ends) {
            // Each poll passes the last 30 days of history, the reading just taken separately.
            const seen = points.slice(0, end);
            const latest = seen.at(-1);
            if (!latest) continue;
            const history = seen.filter((p) => p.at >= latest.at - 30 * DAY).slice(0, -1);
            expect(cache.analyse('pool', history, latest)).toEqual(analyseConsumption(seen));
          }
        },
      ),
    );
  });

  it('starts over when the history was rewritten, and forgets pools no longer listed', () => {
    const cache = new ConsumptionCache();
    const points = Array.from({ length: 200 }, (_, i) => ({ at: START + i * 10 * MINUTE, available: 1_000 - i }));
    cache.analyse('a', points);
    const rewritten = points.map((p) => ({ ...p, available: p.available * 2 }));
    expect(cache.analyse('a', rewritten)).toEqual(analyseConsumption(rewritten));
    cache.analyse('b', points);
    cache.retain(new Set(['b']));
    expect(cache.size).toBe(1);
  });

  it('gives the full-window rings of pools no longer listed back for the next pools', () => {
    const blocks = cellBlockPool((Math.ceil((28 * DAY) / CELL_MS) + 1) * 64);
    const month = (rate: number) =>
      Array.from({ length: 30 * 24 * 4 }, (_, i) => ({ at: START + i * 15 * MINUTE, available: 90_000 - rate * i }));
    const cache = new ConsumptionCache();
    analyseConsumption(month(1)); // its reused scratch tracker holds a block of its own from here on
    const before = blocks.inUse;
    for (const pool of ['a', 'b', 'c']) cache.analyse(pool, month(pool.charCodeAt(0) - 96));
    expect(blocks.inUse).toBe(before + 3);
    cache.retain(new Set(['b']));
    expect(blocks.inUse).toBe(before + 1);
    // New pools take the blocks given back, and their forecasts are their own.
    for (const pool of ['d', 'e']) {
      const history = month(pool.charCodeAt(0) - 96);
      expect(cache.analyse(pool, history)).toEqual(analyseConsumption(history));
    }
    expect(blocks.inUse).toBe(before + 3);
    // A rewritten history starts over in the pool's own ring.
    const rewritten = month(9);
    expect(cache.analyse('b', rewritten)).toEqual(analyseConsumption(rewritten));
    expect(blocks.inUse).toBe(before + 3);
  });

  it('holds no cells for a pool without readings and grows with its history, with the same result (lazy path)', () => {
    const window = 28 * DAY;
    const unread = new ConsumptionTracker(window);
    expect(unread.capacity).toBe(0);
    expect(unread.window(14 * DAY)).toBeUndefined();
    // A new pool polled every 20 minutes for 35 days, fed only the readings new since the last poll
    // (as the poller does once warm), checked against the whole history after each day.
    const cache = new ConsumptionCache();
    const tracker = new ConsumptionTracker(window);
    const seen: HistoryPoint[] = [];
    let available = 9_000;
    for (let i = 0; i < 35 * 72; i += 1) {
      const at = START + i * 20 * MINUTE;
      available = i % 500 === 499 ? available + 1_500 : Math.max(0, available - (i % 7) - (i % 3 === 0 ? 4 : 0));
      const reading = { at, available: i % 97 === 50 ? 0 : available }; // a refill now and then, glitches
      const fresh = seen.length % 5 === 0 ? [] : seen.slice(-(seen.length % 5));
      seen.push(reading);
      tracker.feed([reading]);
      const analysis = cache.analyse('pool', fresh, reading);
      if (i % 72 === 0 || i % 72 === 37) expect(analysis).toEqual(analyseConsumption(seen));
      if (i === 0) expect(tracker.capacity).toBe(1);
      if (i === 72) expect(tracker.capacity).toBeLessThanOrEqual(16); // a day: 12 cells, not the window's 337
    }
    expect(tracker.capacity).toBe(Math.ceil(window / CELL_MS) + 1);
  });
});
