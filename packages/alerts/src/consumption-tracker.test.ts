import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cellBlockPool } from './cell-blocks.js';
import { CELL_MS, ConsumptionTracker, type WindowSummary } from './consumption-tracker.js';
import { analyseConsumption, type Drop, type HistoryPoint } from './forecast.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const START = Date.UTC(2026, 10, 3, 5, 11);

/**
 * The window's sums counted the plain way, over the whole list of readings (the method of the
 * README's "Forecast" section, one rule per line): what the tracker must give, however the readings
 * are fed. Readings at or before an earlier one are ignored, as when fed.
 */
function recount(readings: readonly HistoryPoint[], windowMs: number, recentMs: number): WindowSummary | undefined {
  const kept: HistoryPoint[] = [];
  for (const reading of readings) if (reading.at > (kept.at(-1)?.at ?? Number.NEGATIVE_INFINITY)) kept.push(reading);
  const latest = kept.at(-1);
  if (!latest) return undefined;
  const cellOf = (at: number) => Math.floor(at / CELL_MS);
  const dayOf = (at: number) => Math.floor((cellOf(at) * CELL_MS) / DAY);
  // The window: the 2-hour cells within `windowMs` of the latest reading's; the recent part likewise.
  const windowFrom = cellOf(latest.at) - Math.ceil(windowMs / CELL_MS) + 1;
  const recentFrom = cellOf(latest.at) - Math.ceil(recentMs / CELL_MS);
  const inWindow = (at: number) => cellOf(at) >= windowFrom;
  const shown = kept.filter((reading) => inWindow(reading.at));
  const summary: WindowSummary = {
    latest,
    points: shown.length,
    spanMs: latest.at - (shown[0] as HistoryPoint).at,
    older: { consumed: 0, squares: 0, coveredMs: 0 },
    recent: { consumed: 0, squares: 0, coveredMs: 0 },
    refills: [],
    drops: [],
    glitches: 0,
    days: 0,
    emptySince: undefined,
  };
  const days = new Set<number>();
  const dropByCell = new Map<number, Drop>(); // the largest (the first of equals) per cell
  let latestDrop: Drop | undefined;
  let before = kept[0] as HistoryPoint;
  for (let i = 1; i < kept.length; i += 1) {
    const reading = kept[i] as HistoryPoint;
    const next = kept[i + 1];
    // A glitch departs from the last kept reading and comes back by the next poll.
    const out = reading.available - before.available;
    const back = next ? next.available - reading.available : 0;
    const glitch = out * back < 0 && 4 * Math.abs(out + back) <= Math.min(Math.abs(out), Math.abs(back));
    if (next && glitch) {
      if (inWindow(reading.at)) summary.glitches += 1;
      continue;
    }
    if (next && !inWindow(reading.at)) {
      before = reading;
      continue;
    }
    days.add(dayOf(reading.at));
    if (reading.available > before.available) summary.refills.push({ at: reading.at, added: out });
    else if (before.available > 0) {
      const used = -out;
      const part = !next || cellOf(reading.at) > recentFrom ? summary.recent : summary.older;
      part.consumed += used;
      part.squares += used * used;
      part.coveredMs += reading.at - before.at;
      const drop = { at: reading.at, consumed: used };
      if (!next) latestDrop = used > 0 ? drop : undefined;
      else if (used > (dropByCell.get(cellOf(reading.at))?.consumed ?? 0)) dropByCell.set(cellOf(reading.at), drop);
    }
    before = reading;
  }
  summary.days = days.size;
  const drops = [...dropByCell.entries()].sort(([a], [b]) => a - b).map(([, drop]) => drop);
  if (latestDrop) drops.push(latestDrop);
  summary.drops = drops.sort((a, b) => b.consumed - a.consumed).slice(0, 5); // stable: the earlier of equals first
  // Empty since the first reading of the last run of readings at 0 (or below).
  for (let i = kept.length - 1; i >= 0 && (kept[i] as HistoryPoint).available <= 0; i -= 1)
    summary.emptySince = (kept[i] as HistoryPoint).at;
  return summary;
}

/**
 * Polls at uneven gaps (now and then a repeat of the last time, an earlier time, or a pause of days
 * to weeks), with demand, top-ups, one-reading glitches (0 or a spike) and stretches at 0.
 */
const historyArb = (maxPauseMs: number) =>
  fc
    .array(
      fc.record({
        gap: fc.oneof(
          { weight: 12, arbitrary: fc.integer({ min: 5 * MINUTE, max: 3 * HOUR }) },
          { weight: 1, arbitrary: fc.constantFrom(0, -10 * MINUTE) },
          { weight: 1, arbitrary: fc.integer({ min: 3 * HOUR, max: maxPauseMs }) },
        ),
        used: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 30 }), fc.integer({ min: 100, max: 400 })),
        event: fc.constantFrom('none', 'none', 'none', 'none', 'none', 'refill', 'zero', 'spike'),
      }),
      { minLength: 1, maxLength: 300 },
    )
    .map((steps) => {
      let at = START;
      let available = 800;
      return steps.map(({ gap, used, event }): HistoryPoint => {
        at += gap;
        available = Math.max(0, available - used) + (event === 'refill' ? 500 : 0);
        const shown = event === 'zero' ? 0 : event === 'spike' ? available + 2_000 : available;
        return { at, available: shown };
      });
    });

/** Feeds `points` in pieces (at the `cuts`), checking the window after each piece against {@link recount}. */
function feedInPieces(points: HistoryPoint[], cuts: number[], windowMs: number, recentMs: number): void {
  const tracker = new ConsumptionTracker(windowMs);
  const ends = [...new Set([...cuts.map((c) => Math.floor(c * points.length)), points.length])].sort((a, b) => a - b);
  let from = 0;
  for (const end of ends) {
    tracker.feed(points.slice(0, end), from);
    from = end;
    expect(tracker.window(recentMs)).toEqual(recount(points.slice(0, end), windowMs, recentMs));
  }
}

describe('ConsumptionTracker', () => {
  it('sums a 28-day window as a plain recount of the readings does, fed at once or in pieces (property)', () => {
    fc.assert(
      fc.property(
        historyArb(40 * DAY),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 5 }),
        (points, cuts) => feedInPieces(points, cuts, 28 * DAY, 14 * DAY),
      ),
      { numRuns: 150 },
    );
  });

  it('sums a one-day window (cells reused many times over) as the recount does (property)', () => {
    fc.assert(
      fc.property(
        historyArb(2 * DAY),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 8 }),
        fc.constantFrom(DAY, DAY + HOUR),
        (points, cuts, windowMs) => feedInPieces(points, cuts, windowMs, windowMs / 2),
      ),
      { numRuns: 200 },
    );
  });

  it('counts the first step after a pause of a whole ring of cells when only a glitch came between', () => {
    // A one-day window holds 13 cells. The step 90 → 88 is judged 13 cells after the step 100 → 90,
    // in the same slot of the ring, with only a glitch (the 0) judged between them. Found by the
    // recount property: this step used to be dropped.
    const base = Math.ceil(START / CELL_MS) * CELL_MS;
    const points = [
      { at: base, available: 100 },
      { at: base + HOUR, available: 90 },
      { at: base + 2 * HOUR + 10 * MINUTE, available: 0 },
      { at: base + 13 * CELL_MS + 20 * MINUTE, available: 88 },
      { at: base + 13 * CELL_MS + 30 * MINUTE, available: 87 },
    ];
    const tracker = new ConsumptionTracker(DAY);
    tracker.feed(points);
    expect(tracker.window(DAY / 2)).toMatchObject({
      recent: { consumed: 3, squares: 5, coveredMs: 13 * CELL_MS + 30 * MINUTE - HOUR },
      days: 1,
    });
  });

  it('forgets steps of a cell a whole window old, even when its slot of the ring now holds the latest cell', () => {
    // A one-day window holds 13 cells; the latest reading's cell takes the slot of the first three
    // readings' cell, whose steps (100 → 90 → 85) are out of the window. (The ring starts at the
    // first reading's cell: both take slot 0.)
    const first = Math.ceil(START / CELL_MS);
    const base = (first + ((1 - (first % 13) + 13) % 13)) * CELL_MS;
    const points = [
      { at: base, available: 100 },
      { at: base + HOUR, available: 90 },
      { at: base + 90 * MINUTE, available: 85 },
      { at: base + 13 * CELL_MS + 10 * MINUTE, available: 80 },
    ];
    const tracker = new ConsumptionTracker(DAY);
    tracker.feed(points);
    const summary = tracker.window(DAY / 2);
    expect(summary).toMatchObject({
      points: 1,
      spanMs: 0,
      older: { consumed: 0, coveredMs: 0 },
      recent: { consumed: 5, squares: 25, coveredMs: 13 * CELL_MS + 10 * MINUTE - 90 * MINUTE },
      days: 1,
    });
    expect(summary).toEqual(recount(points, DAY, DAY / 2));
  });

  it('says whether the readings fed were in time order (a repeat of the last time is; an earlier one is not)', () => {
    const tracker = new ConsumptionTracker(DAY);
    const points = [0, 1, 2].map((h) => ({ at: START + h * HOUR, available: 10 - h }));
    expect(tracker.feed(points)).toBe(true);
    expect(tracker.feed([points[2] as HistoryPoint, { at: START + 3 * HOUR, available: 7 }])).toBe(true);
    expect(tracker.feed([{ at: START + HOUR, available: 1 }])).toBe(false);
    expect(tracker.window(DAY)?.latest).toEqual({ at: START + 3 * HOUR, available: 7 });
  });

  it('after reset, gives what a new tracker gives, also once it has to grow again', () => {
    // A day of readings (a small ring), then ten days (the ring grows past its size before reset).
    const first = Array.from({ length: 96 }, (_, i) => ({ at: START + i * 15 * MINUTE, available: 5_000 - 3 * i }));
    const second = Array.from({ length: 600 }, (_, i) => ({
      at: START + 3 * DAY + i * 25 * MINUTE,
      available: 9_000 - 7 * i + (i % 150 === 149 ? 500 : 0),
    }));
    const reused = new ConsumptionTracker(28 * DAY);
    reused.feed(first);
    reused.window(14 * DAY);
    reused.reset();
    const fresh = new ConsumptionTracker(28 * DAY);
    for (let from = 0; from < second.length; from += 100) {
      reused.feed(second.slice(from, from + 100));
      fresh.feed(second.slice(0, from + 100), from);
    }
    expect(reused.window(14 * DAY)).toEqual(fresh.window(14 * DAY));
    expect(reused.window(14 * DAY)).toEqual(recount(second, 28 * DAY, 14 * DAY));
    expect(reused.lastAt).toBe(fresh.lastAt);
  });

  it('after reset, sums readings older than those fed before it (a history rewritten further back)', () => {
    const later = Array.from({ length: 400 }, (_, i) => ({
      at: START + 20 * DAY + i * HOUR,
      available: 9_000 - 4 * i,
    }));
    const earlier = Array.from({ length: 900 }, (_, i) => ({
      at: START + i * HOUR,
      available: 7_000 - 3 * i + (i % 300 === 299 ? 400 : 0),
    }));
    const tracker = new ConsumptionTracker(28 * DAY);
    tracker.feed(later); // a full-window ring, its first cell 20 days after the next readings' first
    tracker.reset();
    for (let from = 0; from < earlier.length; from += 150) tracker.feed(earlier.slice(0, from + 150), from);
    expect(tracker.window(14 * DAY)).toEqual(recount(earlier, 28 * DAY, 14 * DAY));
  });

  it('after reset, keeps every cell when the ring grows again (its slots are empty, not stale)', () => {
    const ring64 = 64 * CELL_MS;
    const base = Math.ceil(START / ring64) * ring64;
    const hours = (from: number, to: number) =>
      Array.from({ length: to - from + 1 }, (_, i) => ({
        at: base + (from + i) * HOUR,
        available: 9_000 - 3 * (from + i),
      }));
    const tracker = new ConsumptionTracker(28 * DAY);
    tracker.feed(hours(-200, -160)); // 21 cells: a ring of 32
    tracker.reset();
    const second = hours(0, 100);
    tracker.feed(second.slice(0, 40)); // cells 0-19: fits
    tracker.feed(second.slice(40)); // up to cell 50: the ring grows to 64, moving cells 0-19
    expect(tracker.window(14 * DAY)).toEqual(recount(second, 28 * DAY, 14 * DAY));
  });

  it('lists a refill from the first 2-hour cell of the 28-day window, and forgets one from the cell before', () => {
    const aligned = Math.ceil(START / CELL_MS) * CELL_MS;
    const latestAt = aligned + 30 * DAY;
    const windowStart = latestAt - (28 * DAY - CELL_MS); // the start of the window's first cell
    const hourly = (refillAt: number) =>
      Array.from({ length: 30 * 24 + 1 }, (_, h) => {
        const at = aligned + h * HOUR;
        return { at, available: 10_000 - h + (at >= refillAt ? 300 : 0) };
      });
    const refillsOf = (points: HistoryPoint[]) => {
      const tracker = new ConsumptionTracker(28 * DAY);
      tracker.feed(points);
      return tracker.window(14 * DAY)?.refills.map((refill) => refill.at);
    };
    expect(refillsOf(hourly(windowStart))).toEqual([windowStart]);
    expect(refillsOf(hourly(windowStart - HOUR))).toEqual([]);
  });

  it('keeps the earlier of two equal drops when they compete for the fifth place', () => {
    const drops = [50, 40, 30, 20, 10, 10];
    const points = [{ at: START, available: 1_000 }];
    for (const size of drops) {
      const last = points.at(-1) as HistoryPoint;
      points.push({ at: last.at + 3 * HOUR, available: last.available - size });
    }
    points.push({
      at: (points.at(-1) as HistoryPoint).at + 3 * HOUR,
      available: (points.at(-1) as HistoryPoint).available,
    });
    const tracker = new ConsumptionTracker(28 * DAY);
    tracker.feed(points);
    expect(tracker.window(14 * DAY)?.drops).toEqual(
      [50, 40, 30, 20, 10].map((consumed, i) => ({ at: START + (i + 1) * 3 * HOUR, consumed })),
    );
    // A larger sixth drop takes the fifth place: 15 after 20, the first 10 gone.
    const larger = points.map((p, i) => (i >= 6 ? { ...p, available: p.available - 5 } : p));
    const again = new ConsumptionTracker(28 * DAY);
    again.feed(larger);
    expect(again.window(14 * DAY)?.drops.slice(3)).toEqual([
      { at: START + 4 * 3 * HOUR, consumed: 20 },
      { at: START + 6 * 3 * HOUR, consumed: 15 },
    ]);
  });

  describe('ring memory', () => {
    const WINDOW = 28 * DAY;
    const fullRing = Math.ceil(WINDOW / CELL_MS) + 1;
    const blocks = () => cellBlockPool(fullRing * 64);
    const hourly = (hours: number, from = START, rate = 3) =>
      Array.from({ length: hours }, (_, h) => ({
        at: from + h * HOUR,
        available: 50_000 - rate * h + (h % 200 === 199 ? 900 : 0),
      }));

    it('keeps a ring of its own up to 32 cells, then holds the whole window in one pooled block', () => {
      const points = hourly(30 * 24);
      const tracker = new ConsumptionTracker(WINDOW);
      const held = blocks().inUse;
      const capacities: number[] = [];
      const smallBlocks = (size: number) => cellBlockPool(size * 64).inUse;
      for (let h = 0; h < points.length; h += 1) {
        tracker.feed(points.slice(0, h + 1), h);
        capacities.push(tracker.capacity);
        // A ring of its own until it holds the window: no block is taken before.
        if (tracker.capacity <= 32) expect([blocks().inUse, smallBlocks(tracker.capacity)]).toEqual([held, 0]);
        if (h % 97 === 0) expect(tracker.window(14 * DAY)).toEqual(recount(points.slice(0, h + 1), WINDOW, 14 * DAY));
      }
      expect([...new Set(capacities)]).toEqual([1, 2, 4, 8, 16, 32, fullRing]);
      expect(blocks().inUse).toBe(held + 1);
      expect(tracker.window(14 * DAY)).toEqual(recount(points, WINDOW, 14 * DAY));
    });

    it("fills its block from the start, one record after another (a young pool's pages only)", () => {
      const probe = blocks().take();
      blocks().give(probe.id); // handed out again next, to the tracker below
      const tracker = new ConsumptionTracker(WINDOW);
      tracker.feed(hourly(90, START + 7 * DAY)); // 45 or 46 cells: past a ring of its own
      expect(tracker.capacity).toBe(fullRing);
      const words = new Uint32Array(probe.buffer, probe.byteOffset, fullRing * 16);
      const cellKeys = Array.from({ length: fullRing }, (_, slot) => words[slot * 16 + 12] as number);
      const written = cellKeys.findIndex((key) => key === 0);
      expect(written).toBeGreaterThanOrEqual(45);
      expect(cellKeys.slice(0, written)).toEqual(cellKeys.slice(0, written).map((_, i) => (cellKeys[0] as number) + i));
      expect(words.subarray(written * 16).every((word) => word === 0)).toBe(true);
    });

    it('gives its block back on release, and the next tracker sums right in that written block', () => {
      const first = new ConsumptionTracker(WINDOW);
      first.feed(hourly(30 * 24, START, 7));
      const held = blocks().inUse;
      first.release();
      expect(blocks().inUse).toBe(held - 1);
      expect(first.capacity).toBe(0);
      expect(first.window(14 * DAY)).toBeUndefined();
      // Different readings, fed into the block the first one wrote all over.
      const points = hourly(29 * 24, START + 5 * DAY + 17 * MINUTE, 2);
      const next = new ConsumptionTracker(WINDOW);
      next.feed(points);
      expect(blocks().inUse).toBe(held); // the block given back, not a new one
      expect(next.window(14 * DAY)).toEqual(recount(points, WINDOW, 14 * DAY));
      // A released tracker can start again.
      first.feed(points);
      expect(first.window(14 * DAY)).toEqual(recount(points, WINDOW, 14 * DAY));
    });

    it('sums right with times far past the Date range (the stored cell counts from the first one)', () => {
      const far = START * 10_000; // ~1.8e16 (microseconds, say): cell numbers past 2^31
      const points = hourly(30 * 24, far).map((p, i) => ({ ...p, available: p.available - (i % 5) * 3 }));
      const tracker = new ConsumptionTracker(WINDOW);
      for (let from = 0; from < points.length; from += 50) tracker.feed(points.slice(0, from + 50), from);
      expect(Math.floor(far / CELL_MS)).toBeGreaterThan(2 ** 31);
      expect(tracker.window(14 * DAY)).toEqual(recount(points, WINDOW, 14 * DAY));
    });

    it('leaves no block held by an analysis of a fifth window length (its tracker is not kept)', () => {
      const month = hourly(30 * 24);
      const windows = [20, 21, 22, 23, 24, 25].map((days) => days * DAY);
      for (const windowMs of windows) analyseConsumption(month, { windowMs });
      const pools = windows.map((windowMs) => cellBlockPool((Math.ceil(windowMs / CELL_MS) + 1) * 64));
      const before = pools.map((pool) => pool.inUse);
      for (let i = 0; i < 20; i += 1) for (const windowMs of windows) analyseConsumption(month, { windowMs });
      expect(pools.map((pool) => pool.inUse)).toEqual(before);
      // The first four window lengths keep a scratch tracker (one block each, kept from call to
      // call), the others hold none.
      expect(before).toEqual([1, 1, 1, 1, 0, 0]);
    });

    it('gives its block back once it is garbage, when nobody released it', async () => {
      setFlagsFromString('--expose-gc');
      const gc = runInNewContext('gc') as () => void;
      /** Collects garbage until the blocks in use stop falling (the pool's callbacks run after a GC). */
      const settle = async () => {
        // Until three rounds in a row change nothing (a cleanup task may come a round late).
        for (let quiet = 0, round = 0; quiet < 3 && round < 40; round += 1) {
          const last = blocks().inUse;
          gc();
          await new Promise((resolve) => setTimeout(resolve, 20));
          quiet = blocks().inUse === last ? quiet + 1 : 0;
        }
        return blocks().inUse;
      };
      const kept = new ConsumptionTracker(WINDOW);
      kept.feed(hourly(10 * 24));
      const held = await settle(); // earlier tests' trackers are garbage too
      (() => {
        const dropped = new ConsumptionTracker(WINDOW);
        dropped.feed(hourly(10 * 24));
        expect(blocks().inUse).toBe(held + 1);
      })();
      expect(await settle()).toBe(held);
      expect(kept.capacity).toBe(fullRing); // a tracker still in use keeps its block
      // Released, then garbage: its block goes back once, not a second time when collected.
      (() => {
        const released = new ConsumptionTracker(WINDOW);
        released.feed(hourly(10 * 24));
        released.release();
      })();
      expect(await settle()).toBe(held);
      // Given back twice, one block would be handed to two trackers.
      const [a, b] = [blocks().take(), blocks().take()];
      expect(a.id).not.toBe(b.id);
      blocks().give(a.id);
      blocks().give(b.id);
      expect(kept.window(14 * DAY)).toEqual(recount(hourly(10 * 24), WINDOW, 14 * DAY));
    });
  });
});
