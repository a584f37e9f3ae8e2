// The one pass behind `analyseConsumption`, kept as state so that readings can be fed as they
// arrive: a poll then costs the new readings plus one sweep over the window's cells, not a pass over
// 30 days of readings. Fed all at once or poll by poll, the same readings give the same answer.
import { type CellBlock, type CellBlockPool, cellBlockPool } from './cell-blocks.js';
import type { Drop, HistoryPoint, Refill } from './forecast.js';

const HOUR = 3_600_000;
const DAY = 86_400_000;
/** Consumption is summed per cell of this size: the window moves in whole cells. */
export const CELL_MS = 2 * HOUR;
const MAX_DROPS = 5;

// A ring slot is one 64-byte record (its cells lie one after the other, so a ring filling up writes
// page after page): six 64-bit sums and times, then four 32-bit fields.
const SLOT_BYTES = 64;
const F64_PER_SLOT = 8;
const U32_PER_SLOT = 16;
const CONSUMED = 0;
const SQUARES = 1;
const COVERED = 2;
const DROP_SIZE = 3;
const DROP_AT = 4;
const FIRST_AT = 5;
/** The slot's cell, as 1 + its distance from the tracker's first cell (32-bit): 0, a zeroed slot, holds no cell. */
const CELL = 12;
const POINTS = 13;
const GLITCHES = 14;
const STEPS = 15;
/** Rings up to this many slots (2 KiB) get a buffer of their own; larger ones hold the whole window, in a pooled block. */
const SMALL_RING = 32;

/** Gives a full-window block back to its pool once the tracker holding it is garbage. */
const blocksHeld = new FinalizationRegistry<{ pool: CellBlockPool; id: number }>(({ pool, id }) => pool.give(id));

/** Sums over part of the window. */
export interface ConsumptionPart {
  consumed: number;
  squares: number;
  coveredMs: number;
}

/** What the window holds, as {@link ConsumptionTracker.window} reports it. */
export interface WindowSummary {
  latest: HistoryPoint;
  points: number;
  spanMs: number;
  older: ConsumptionPart;
  recent: ConsumptionPart;
  refills: Refill[];
  drops: Drop[];
  glitches: number;
  days: number;
  emptySince: number | undefined;
}

/**
 * True when the reading between `before` and `after` departs from `before` and comes back: the
 * move out and the move back have opposite signs and the two neighbours are within a quarter of
 * the smaller move of each other (a 0 for one poll, then the count again).
 */
function isGlitch(before: number, reading: number, after: number): boolean {
  const out = reading - before;
  const back = after - reading;
  if (out === 0 || back === 0 || out > 0 === back > 0) return false;
  return 4 * Math.abs(after - before) <= Math.min(Math.abs(out), Math.abs(back));
}

/**
 * Consumption of one pool, fed readings in time order. Each reading is judged when the next one
 * arrives (a glitch departs and comes back); the latest is taken as it is. Rises are refills,
 * falls are consumption, steps from an empty pool count no time. Sums are kept per 2-hour cell for
 * the last `windowMs`.
 *
 * @example
 * ```ts
 * const tracker = new ConsumptionTracker(28 * 86_400_000)
 * tracker.feed(points)
 * tracker.window(14 * 86_400_000)?.recent.consumed
 * ```
 */
export class ConsumptionTracker {
  /** Slots the ring holds now: grows (doubling) up to 32, then to {@link maxSize}, as the pool's readings span more cells. */
  private size = 0;
  /** The window's cells plus one: the ring's size once the readings span the whole window. */
  private readonly maxSize: number;
  private readonly windowCells: number;
  /** The ring's slots, as 64-bit and as 32-bit fields (one buffer). */
  private f64: Float64Array = NO_F64;
  private u32: Uint32Array = NO_U32;
  /** The same slots as signed 32-bit fields: the cell field. */
  private i32: Int32Array = NO_I32;
  /** The pooled block holding a full-window ring, once the ring is that large. */
  private block: CellBlock | undefined;
  /**
   * The cell the ring counts from: the first one taken after the ring was last empty (NaN before).
   * It sits in slot 0, so a young pool's cells fill its block from the start, page after page, and a
   * slot stores its cell as the distance from it: readings come in time order, so every cell held is
   * at or after it, whatever the times' size (epoch milliseconds or not).
   */
  private keyBase = Number.NaN;
  /** Cell of the first reading fed (NaN before): the ring must hold every cell from it on, up to a window. */
  private firstCell = Number.NaN;
  private refills: Refill[] = [];
  private started = false;
  private before = 0;
  private beforeAt = 0;
  // Numbers only (NaN for "none"): fields that change type slow every instance down.
  private pendingAt = Number.NaN;
  private pendingAvailable = Number.NaN;
  private pendingSlot = -1;
  private pendingCell = -1;
  /** The cell of the last reading and its slot: consecutive readings mostly share a cell. */
  private currentCell = Number.NaN;
  private currentSlot = -1;
  private emptyFrom = Number.NaN;
  /** Time of the last reading fed (readings at or before it are ignored). */
  lastAt = Number.NEGATIVE_INFINITY;
  /** Value of the last reading fed. */
  lastAvailable = Number.NaN;

  constructor(windowMs: number) {
    this.windowCells = Math.ceil(windowMs / CELL_MS);
    this.maxSize = this.windowCells + 1;
  }

  /**
   * Cells the tracker has room for: 0 until a reading is fed, then as many as its readings span
   * (rounded up to a power of two) up to 32, then the whole window's. A pool with no history costs
   * no buffer, one polled for a day a few cells; a full-window ring lies in a pooled block, resident
   * as far as its cells were written (see cell-blocks.ts).
   */
  get capacity(): number {
    return this.size;
  }

  /**
   * Makes room for every cell from the first reading's to `lastCell` (within a window): a new,
   * larger ring with each held cell moved to its slot there. Slots kept in fields follow.
   */
  private growFor(lastCell: number): void {
    const span = lastCell - this.firstCell + 1;
    if (!(span > this.size) || this.size === this.maxSize) return;
    let size = Math.max(1, this.size);
    while (size < span && size < this.maxSize) size *= 2;
    this.allocate(size > SMALL_RING ? this.maxSize : Math.min(size, this.maxSize));
  }

  /** A ring of `size` slots, the held cells moved over (each to its slot in the new ring). */
  private allocate(size: number): void {
    const oldSize = this.size;
    const before = this.u32;
    let buffer: ArrayBuffer;
    let byteOffset = 0;
    if (size > SMALL_RING) {
      const pool = cellBlockPool(size * SLOT_BYTES);
      this.block = pool.take();
      ({ buffer, byteOffset } = this.block);
      blocksHeld.register(this, { pool, id: this.block.id }, this);
    } else {
      buffer = new ArrayBuffer(size * SLOT_BYTES);
    }
    this.size = size;
    this.f64 = new Float64Array(buffer, byteOffset, size * F64_PER_SLOT);
    this.u32 = new Uint32Array(buffer, byteOffset, size * U32_PER_SLOT);
    this.i32 = new Int32Array(buffer, byteOffset, size * U32_PER_SLOT);
    const after = this.u32;
    for (let from = 0; from < oldSize; from += 1) {
      const key = before[from * U32_PER_SLOT + CELL] as number;
      if (key === 0) continue;
      const to = this.slotOf(key - 1 + this.keyBase);
      // Copied as 32-bit words: a 64-bit copy of the counts could meet a NaN pattern and change it.
      for (let w = 0; w < U32_PER_SLOT; w += 1)
        after[to * U32_PER_SLOT + w] = before[from * U32_PER_SLOT + w] as number;
    }
    this.pendingSlot = this.heldSlot(this.pendingCell);
    this.currentSlot = this.heldSlot(this.currentCell);
  }

  /** The ring slot for `cell` (at or after {@link keyBase}, as every cell asked for is), whatever it holds now. */
  private slotOf(cell: number): number {
    // The distance as a 32-bit integer keeps the remainder in integer arithmetic (a double `%` is a
    // call into C on every cell).
    return ((cell - this.keyBase) | 0) % this.size;
  }

  /** True when `slot` holds `cell`. */
  private holds(slot: number, cell: number): boolean {
    return this.i32[slot * U32_PER_SLOT + CELL] === cell - this.keyBase + 1;
  }

  /** The slot holding `cell`, or -1. */
  private heldSlot(cell: number): number {
    if (!(cell >= 0) || this.size === 0) return -1;
    const slot = this.slotOf(cell);
    return this.holds(slot, cell) ? slot : -1;
  }

  /** Back to no readings at all (reuses the ring: no allocation). */
  reset(): this {
    this.u32.fill(0);
    this.forget();
    return this;
  }

  /** The reading state back to "none" (the ring's contents left as they are). */
  private forget(): void {
    this.firstCell = Number.NaN;
    this.keyBase = Number.NaN;
    this.refills = [];
    this.started = false;
    this.before = 0;
    this.beforeAt = 0;
    this.pendingAt = Number.NaN;
    this.pendingAvailable = Number.NaN;
    this.pendingSlot = -1;
    this.pendingCell = -1;
    this.currentCell = Number.NaN;
    this.currentSlot = -1;
    this.emptyFrom = Number.NaN;
    this.lastAt = Number.NEGATIVE_INFINITY;
    this.lastAvailable = Number.NaN;
  }

  /**
   * Back to no readings, and the ring given up: a full-window block goes back to its pool for the
   * next pool's tracker (which gets it zeroed). Call it when the tracker will not be used again (the pool is gone); a
   * tracker that is only dropped gives its block back once garbage collected.
   */
  release(): void {
    this.forget(); // not zeroed here: the pool zeroes a block when it hands it out again
    if (this.block) {
      blocksHeld.unregister(this);
      cellBlockPool(this.size * SLOT_BYTES).give(this.block.id);
      this.block = undefined;
    }
    this.size = 0;
    this.f64 = NO_F64;
    this.u32 = NO_U32;
    this.i32 = NO_I32;
  }

  /**
   * Feeds readings[from..] (time order; any at or before the last one fed are skipped, and then
   * false is returned if one was earlier: the readings were not in time order). Each
   * reading is judged when its successor arrives. The hot path of a cold start (30 days of 5-minute
   * readings per pool): state lives in locals, and a cell's sums are added up locally and written
   * once per cell.
   */
  feed(readings: readonly HistoryPoint[], from = 0): boolean {
    if (this.size < this.maxSize) this.makeRoom(readings, from);
    let { lastAt, before, beforeAt, pendingAt, pendingAvailable, pendingSlot, pendingCell, currentCell, currentSlot } =
      this;
    let emptyFrom = this.emptyFrom;
    let started = this.started;
    let lastAvailable = this.lastAvailable;
    let cellPoints = 0; // readings of the current cell not yet written
    // Sums of the steps into `stepSlot` not yet written.
    let stepSlot = -1;
    let stepCell = -1;
    let steps = 0;
    let consumed = 0;
    let squares = 0;
    let covered = 0;
    let dropSize = 0;
    let dropAt = 0;
    let inOrder = true;
    for (let i = from; i < readings.length; i += 1) {
      const reading = readings[i] as HistoryPoint;
      const at = reading.at;
      if (!(at > lastAt)) {
        if (at < lastAt) inOrder = false;
        continue;
      }
      const available = reading.available;
      lastAt = at;
      lastAvailable = available;
      if (available > 0) emptyFrom = Number.NaN;
      else if (Number.isNaN(emptyFrom)) emptyFrom = at;
      const cell = Math.floor(at / CELL_MS);
      if (cell !== currentCell) {
        if (currentSlot >= 0 && this.holds(currentSlot, currentCell)) this.addPoints(currentSlot, cellPoints);
        cellPoints = 0;
        currentCell = cell;
        currentSlot = this.slotFor(cell);
        if (currentSlot >= 0 && this.u32[currentSlot * U32_PER_SLOT + POINTS] === 0)
          this.f64[currentSlot * F64_PER_SLOT + FIRST_AT] = at;
      }
      cellPoints += 1;
      if (!started) {
        started = true;
        this.firstCell = cell;
        before = available;
        beforeAt = at;
        continue;
      }
      const judgedAt = pendingAt;
      const value = pendingAvailable;
      // The pending reading's slot still holds its cell unless more than a window has passed since.
      const judgedCell = pendingCell;
      const judgedSlot = pendingSlot >= 0 && this.holds(pendingSlot, judgedCell) ? pendingSlot : -1;
      pendingAt = at;
      pendingAvailable = available;
      pendingSlot = currentSlot;
      pendingCell = cell;
      if (Number.isNaN(judgedAt)) continue;
      if (value !== before && isGlitch(before, value, available)) {
        if (judgedSlot >= 0) {
          const glitches = judgedSlot * U32_PER_SLOT + GLITCHES;
          this.u32[glitches] = (this.u32[glitches] as number) + 1;
        }
        continue;
      }
      if (judgedSlot >= 0) {
        // A new cell, or the same slot now holding a cell a window or more later (only glitches
        // between the two steps): the sums so far belong to the old cell, not to this one.
        if (judgedSlot !== stepSlot || judgedCell !== stepCell) {
          if (stepSlot >= 0 && this.holds(stepSlot, stepCell))
            this.addSteps(stepSlot, steps, consumed, squares, covered, dropSize, dropAt);
          stepSlot = judgedSlot;
          stepCell = judgedCell;
          steps = consumed = squares = covered = dropSize = dropAt = 0;
        }
        steps += 1;
        if (value > before) this.refills.push({ at: judgedAt, added: value - before });
        else if (before > 0) {
          const used = before - value;
          consumed += used;
          squares += used * used;
          covered += judgedAt - beforeAt;
          if (used > dropSize) {
            dropSize = used;
            dropAt = judgedAt;
          }
        }
      }
      before = value;
      beforeAt = judgedAt;
    }
    if (stepSlot >= 0 && this.holds(stepSlot, stepCell))
      this.addSteps(stepSlot, steps, consumed, squares, covered, dropSize, dropAt);
    if (currentSlot >= 0 && this.holds(currentSlot, currentCell)) this.addPoints(currentSlot, cellPoints);
    this.lastAt = lastAt;
    this.lastAvailable = lastAvailable;
    this.before = before;
    this.beforeAt = beforeAt;
    this.pendingAt = pendingAt;
    this.pendingAvailable = pendingAvailable;
    this.pendingSlot = pendingSlot;
    this.pendingCell = pendingCell;
    this.currentCell = currentCell;
    this.currentSlot = currentSlot;
    this.emptyFrom = emptyFrom;
    this.started = started;
    return inOrder;
  }

  /**
   * Before feeding: grows the ring to span the first reading's cell to the latest new one. Scans
   * from the end, stopping once a whole window is spanned (at once for a month of history).
   */
  private makeRoom(readings: readonly HistoryPoint[], from: number): void {
    if (Number.isNaN(this.firstCell)) {
      // The first reading fed: the first one after the last fed (in order, `readings[from]`).
      for (let i = from; i < readings.length; i += 1) {
        const at = (readings[i] as HistoryPoint).at;
        if (at > this.lastAt) {
          this.firstCell = Math.floor(at / CELL_MS);
          break;
        }
      }
      if (Number.isNaN(this.firstCell)) return; // nothing new
    }
    let latest = Number.NEGATIVE_INFINITY;
    for (let i = readings.length - 1; i >= from; i -= 1) {
      const at = (readings[i] as HistoryPoint).at;
      if (!(at > latest)) continue;
      latest = at;
      if (Math.floor(latest / CELL_MS) - this.firstCell + 1 >= this.maxSize) break;
    }
    if (latest > this.lastAt) this.growFor(Math.floor(latest / CELL_MS));
  }

  private addPoints(slot: number, points: number): void {
    const at = slot * U32_PER_SLOT + POINTS;
    this.u32[at] = (this.u32[at] as number) + points;
  }

  /** Writes a cell's step sums (its largest drop kept unless this one is larger). */
  private addSteps(
    slot: number,
    steps: number,
    consumed: number,
    squares: number,
    covered: number,
    dropSize: number,
    dropAt: number,
  ): void {
    const f = slot * F64_PER_SLOT;
    const u = slot * U32_PER_SLOT + STEPS;
    this.u32[u] = (this.u32[u] as number) + steps;
    this.f64[f + CONSUMED] = (this.f64[f + CONSUMED] as number) + consumed;
    this.f64[f + SQUARES] = (this.f64[f + SQUARES] as number) + squares;
    this.f64[f + COVERED] = (this.f64[f + COVERED] as number) + covered;
    if (dropSize > (this.f64[f + DROP_SIZE] as number)) {
      this.f64[f + DROP_SIZE] = dropSize;
      this.f64[f + DROP_AT] = dropAt;
    }
  }

  /** The ring slot of `cell`, cleared when it held an older cell; -1 when the cell is too old. */
  private slotFor(cell: number): number {
    if (Number.isNaN(this.keyBase)) this.keyBase = cell;
    const slot = this.slotOf(cell);
    const u = slot * U32_PER_SLOT;
    const held = (this.i32[u + CELL] as number) - 1 + this.keyBase; // keyBase − 1: no cell, below every cell held
    if (held === cell) return slot;
    if (held > cell) return -1;
    const f = slot * F64_PER_SLOT;
    this.f64[f + CONSUMED] = 0;
    this.f64[f + SQUARES] = 0;
    this.f64[f + COVERED] = 0;
    this.f64[f + DROP_SIZE] = 0;
    this.f64[f + DROP_AT] = 0;
    this.f64[f + FIRST_AT] = 0;
    this.i32[u + CELL] = cell - this.keyBase + 1;
    this.u32[u + POINTS] = 0;
    this.u32[u + GLITCHES] = 0;
    this.u32[u + STEPS] = 0;
    return slot;
  }

  /**
   * The window's sums: the cells within the window of the latest reading's cell, the last
   * `recentMs` of them as the recent part, plus the step to the latest reading (taken as it is).
   * Undefined before any reading.
   */
  window(recentMs: number): WindowSummary | undefined {
    if (!this.started) return undefined;
    const latest: HistoryPoint = { at: this.lastAt, available: this.lastAvailable };
    const latestCell = Math.floor(this.lastAt / CELL_MS);
    const recentFrom = latestCell - Math.ceil(recentMs / CELL_MS);
    const summary: WindowSummary = {
      latest,
      points: 0,
      spanMs: 0,
      older: { consumed: 0, squares: 0, coveredMs: 0 },
      recent: { consumed: 0, squares: 0, coveredMs: 0 },
      refills: [],
      drops: [],
      glitches: 0,
      days: 0,
      emptySince: this.lastAvailable <= 0 && !Number.isNaN(this.emptyFrom) ? this.emptyFrom : undefined,
    };
    let first = this.lastAt;
    let lastDay = Number.NaN;
    // Cells before the first reading's were never held (a young pool's window is mostly empty).
    const windowFrom = latestCell - this.windowCells + 1;
    const from = Math.max(this.firstCell, windowFrom);
    for (let cell = from; cell <= latestCell; cell += 1) {
      const slot = this.slotOf(cell);
      if (!this.holds(slot, cell)) continue;
      const f = slot * F64_PER_SLOT;
      const u = slot * U32_PER_SLOT;
      const points = this.u32[u + POINTS] as number;
      if (points > 0 && summary.points === 0) first = this.f64[f + FIRST_AT] as number;
      summary.points += points;
      summary.glitches += this.u32[u + GLITCHES] as number;
      const part = cell > recentFrom ? summary.recent : summary.older;
      part.consumed += this.f64[f + CONSUMED] as number;
      part.squares += this.f64[f + SQUARES] as number;
      part.coveredMs += this.f64[f + COVERED] as number;
      const dropSize = this.f64[f + DROP_SIZE] as number;
      if (dropSize > 0) keepLargest(summary.drops, this.f64[f + DROP_AT] as number, dropSize);
      const day = Math.floor((cell * CELL_MS) / DAY);
      if ((this.u32[u + STEPS] as number) > 0 && day !== lastDay) {
        summary.days += 1;
        lastDay = day;
      }
    }
    summary.spanMs = this.lastAt - first;
    const windowStart = windowFrom * CELL_MS;
    this.refills = this.refills.filter((refill) => refill.at >= windowStart);
    summary.refills = [...this.refills];
    if (!Number.isNaN(this.pendingAt)) this.addLatestStep(summary, latest, latestCell, lastDay);
    return summary;
  }

  /** The step to the latest reading, not yet judged (no successor): added to the summary only. */
  private addLatestStep(summary: WindowSummary, latest: HistoryPoint, latestCell: number, lastDay: number): void {
    const { available, at } = latest;
    if (Math.floor((latestCell * CELL_MS) / DAY) !== lastDay) summary.days += 1;
    if (available > this.before) {
      summary.refills.push({ at, added: available - this.before });
      return;
    }
    if (!(this.before > 0)) return;
    const used = this.before - available;
    summary.recent.consumed += used;
    summary.recent.squares += used * used;
    summary.recent.coveredMs += at - this.beforeAt;
    if (used > 0) keepLargest(summary.drops, at, used);
  }
}

const NO_F64 = new Float64Array(0);
const NO_U32 = new Uint32Array(0);
const NO_I32 = new Int32Array(0);

/** Inserts a drop into the (at most 5, largest first) list when it is among the largest. */
function keepLargest(drops: Drop[], at: number, consumed: number): void {
  if (drops.length === MAX_DROPS && (drops[MAX_DROPS - 1] as Drop).consumed >= consumed) return;
  if (drops.length < MAX_DROPS) drops.push({ at, consumed });
  else drops[MAX_DROPS - 1] = { at, consumed };
  for (let i = drops.length - 1; i > 0 && (drops[i - 1] as Drop).consumed < consumed; i -= 1) {
    drops[i] = drops[i - 1] as Drop;
    drops[i - 1] = { at, consumed };
  }
}
