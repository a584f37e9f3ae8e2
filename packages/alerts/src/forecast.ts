// Consumption and depletion forecasts from a pool's `available` history. Pure arithmetic; the
// method (and why) is written out in the package README, "Forecast".
import { type ConsumptionPart, ConsumptionTracker, type WindowSummary } from './consumption-tracker.js';
import { type RunwayBasis, type RunwayInterval, runwayInterval, runwayOn } from './runway-interval.js';

/** One availability reading. */
export interface HistoryPoint {
  at: number;
  available: number;
}

/** When a pool is expected to reach a level at the recent consumption rate. */
export interface Forecast {
  /** Days from the latest reading until `level` is reached (0 if already there), on `runwayBasis`. */
  days: number;
  /** Licenses consumed per day (positive). */
  perDay: number;
  /** Days from the latest reading until the pool is empty (the runway) on `runwayBasis`, when known. */
  daysToZero?: number;
  /** Which end of the 80 % interval `days` and `daysToZero` are: absent means `expected`. */
  runwayBasis?: RunwayBasis;
  /** The 80 % interval of the days until empty. */
  runway?: RunwayInterval;
}

/** How far a forecast can be trusted: span of data and how precisely the rate is known. */
export type ForecastConfidence = 'low' | 'medium' | 'high';

/** An upward jump (auto top-up, purchase, return): excluded from the burn rate. */
export interface Refill {
  /** Time of the first reading after the jump. */
  at: number;
  /** Licenses added (positive). */
  added: number;
}

/** The largest decreases between readings, for "largest recent drops". */
export interface Drop {
  /** Time of the reading after the drop. */
  at: number;
  /** Licenses gone (positive): the same difference an alert reports "since last poll". */
  consumed: number;
}

/** Tuning of {@link analyseConsumption}; defaults in {@link FORECAST_DEFAULTS}. */
export interface ForecastOptions {
  /** Fewer readings than this (in the window): not enough data. */
  minPoints?: number;
  /** Readings spanning less than this (ms): not enough data. */
  minSpanMs?: number;
  /** Only readings this recent (ms before the latest one) count. */
  windowMs?: number;
  /**
   * The recent part of the window (ms): when its rate differs from the older part's beyond
   * sampling noise (|z| > 3), only the recent part counts, so a change of pace is followed quickly.
   */
  recentMs?: number;
  /**
   * @deprecated Ignored since the burn rate sums every step between readings (glitches and refills
   * are detected per reading, not smoothed away by hourly medians). Kept so existing callers compile.
   */
  bucketMs?: number;
}

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** Default minimum data, recency window and recent part. */
export const FORECAST_DEFAULTS: Required<Omit<ForecastOptions, 'bucketMs'>> = {
  minPoints: 4,
  minSpanMs: 12 * HOUR,
  windowMs: 28 * DAY,
  recentMs: 14 * DAY,
};

/** Enough data: the burn rate and what it means. */
export interface ConsumptionEstimate {
  status: 'estimate';
  /** Licenses consumed per day (0 when nothing was consumed: no depletion). */
  perDay: number;
  confidence: ForecastConfidence;
  /** The latest reading: the projection's starting point. */
  latest: HistoryPoint;
  /** Days until zero at `perDay`; undefined when nothing is consumed or the pool is empty. */
  daysToZero: number | undefined;
  /** The 80 % interval of the days until zero; undefined when nothing is consumed or the pool is empty. */
  runway: RunwayInterval | undefined;
  /** When the pool is empty now (latest reading ≤ 0): the first reading of that empty run. */
  emptySince: number | undefined;
  /** Upward jumps found in the window, oldest first. */
  refills: Refill[];
  /** Largest decreases between readings in the window, largest first (at most 5). */
  largestDrops: Drop[];
  /** One-reading glitches (a reading that departs and returns by the next poll) left out. */
  glitches: number;
  /** Variance of consumption per day (licenses² per day), behind the runway interval. */
  variancePerDay: number;
  /** What the estimate rests on: readings, their span, UTC days, and the span the rate uses (ms). */
  basis: { points: number; spanMs: number; days: number; rateSpanMs: number };
}

/** Not enough data yet: what there is and what is needed. */
export interface InsufficientHistory {
  status: 'insufficient';
  have: { points: number; spanMs: number };
  need: { points: number; spanMs: number };
}

/** {@link analyseConsumption}'s result. */
export type ConsumptionAnalysis = ConsumptionEstimate | InsufficientHistory;

const EMPTY: ForecastOptions = {};

/** |z| beyond which the recent part's rate is a real change, not sampling noise. */
const CHANGE_Z = 3;

/**
 * Estimates the burn rate from a pool's readings. One pass over the last `windowMs` (28 days):
 * a reading that departs and comes back by the next poll is a glitch (left out); every rise is a
 * refill (a top-up, purchase or return: neither consumption nor negative demand, and its step's
 * time is left out); time spent empty is left out. The rate is the window mean, consumed licenses
 * over covered time, with no quiet days trimmed, so few-a-week pools are rated right. When the last
 * `recentMs` (14 days) differ from the older part beyond sampling noise, only they count. Readings
 * need not be sorted.
 *
 * @example
 * ```ts
 * const analysis = analyseConsumption(points)
 * if (analysis.status === 'estimate') console.log(`${analysis.perDay}/day, empty in ${analysis.daysToZero} days`)
 * ```
 */
export function analyseConsumption(
  points: readonly HistoryPoint[],
  options: ForecastOptions = EMPTY,
): ConsumptionAnalysis {
  const settings = options === EMPTY ? FORECAST_DEFAULTS : { ...FORECAST_DEFAULTS, ...options };
  const tracker = scratchTracker(settings.windowMs);
  // Usually in time order already: sorted (and fed again) only when they were not.
  if (!tracker.feed(points)) tracker.reset().feed(inTimeOrder(points));
  const analysis = estimateFrom(tracker.window(settings.recentMs), settings);
  // A tracker kept for no window (past the four kept) gives its ring back now, not when collected:
  // a loop of such analyses would otherwise hold a block of the shared slab per call until then.
  if (scratch.get(settings.windowMs) !== tracker) tracker.release();
  return analysis;
}

const scratch = new Map<number, ConsumptionTracker>();

/**
 * A cleared tracker for one analysis. Reused from call to call (nothing of one call survives the
 * next: it is reset), because a new buffer per pool per poll makes the garbage collector trace the
 * whole history heap again and again.
 */
function scratchTracker(windowMs: number): ConsumptionTracker {
  const known = scratch.get(windowMs);
  if (known) return known.reset();
  const tracker = new ConsumptionTracker(windowMs);
  if (scratch.size < 4) scratch.set(windowMs, tracker);
  return tracker;
}

/**
 * The estimate (or "not enough data yet") from a window's sums: shared by {@link analyseConsumption}
 * and the per-pool cache, so both give the same answer for the same readings.
 */
export function estimateFrom(
  window: WindowSummary | undefined,
  settings: Required<Omit<ForecastOptions, 'bucketMs'>> = FORECAST_DEFAULTS,
): ConsumptionAnalysis {
  const points = window?.points ?? 0;
  const spanMs = window?.spanMs ?? 0;
  if (!window || points < settings.minPoints || spanMs < settings.minSpanMs) {
    return {
      status: 'insufficient',
      have: { points, spanMs },
      need: { points: settings.minPoints, spanMs: settings.minSpanMs },
    };
  }
  const part = chosenPart(window.older, window.recent);
  const rateDays = part.coveredMs / DAY;
  const perDay = rateDays > 0 ? part.consumed / rateDays : 0;
  const variancePerDay = rateDays > 0 ? part.squares / rateDays : 0;
  const model = { perDay, variancePerDay, spanDays: rateDays };
  const latest = window.latest;
  const runway = window.emptySince === undefined ? runwayInterval(model, latest.available) : undefined;
  return {
    status: 'estimate',
    perDay,
    confidence: confidenceOf(spanMs, window.days, model),
    latest,
    daysToZero: runway?.expected,
    runway,
    emptySince: window.emptySince,
    refills: window.refills,
    largestDrops: window.drops,
    glitches: window.glitches,
    variancePerDay,
    basis: { points, spanMs, days: window.days, rateSpanMs: part.coveredMs },
  };
}

/**
 * Days until the pool reaches `level` at the recent burn rate ({@link analyseConsumption}): only
 * when it is being consumed and there is enough data; otherwise `undefined`. `daysToZero` is the
 * runway.
 *
 * @example
 * ```ts
 * forecastDepletion(points, 20) // { days: 6.5, perDay: 40, daysToZero: 7, runway: { earliest: 6, … } }
 * ```
 */
export function forecastDepletion(
  points: readonly HistoryPoint[],
  level: number,
  options: ForecastOptions = EMPTY,
): Forecast | undefined {
  const analysis = analyseConsumption(points, options);
  return analysis.status === 'estimate' ? forecastFrom(analysis, level) : undefined;
}

/**
 * The depletion forecast an estimate implies for `level`, on `basis` (`expected` by default; the
 * bot and the CLI pass the configured basis, `pessimistic` unless set otherwise). Undefined when
 * nothing is consumed or the pool is already empty (nothing left to forecast).
 *
 * @example
 * ```ts
 * forecastFrom(analysis, rule.critical, 'pessimistic')?.days
 * ```
 */
export function forecastFrom(
  estimate: ConsumptionEstimate,
  level: number,
  basis: RunwayBasis = 'expected',
): Forecast | undefined {
  const runway = estimate.runway;
  if (!(estimate.perDay > 0) || !runway) return undefined;
  const model = {
    perDay: estimate.perDay,
    variancePerDay: estimate.variancePerDay,
    spanDays: estimate.basis.rateSpanMs / DAY,
  };
  const toLevel = runwayInterval(model, estimate.latest.available - level);
  const days = toLevel ? runwayOn(toLevel, basis) : 0;
  return { days, perDay: estimate.perDay, daysToZero: runwayOn(runway, basis), runwayBasis: basis, runway };
}

/** Readings oldest first: the input itself when already sorted (the usual case), else a sorted copy. */
export function inTimeOrder(points: readonly HistoryPoint[]): readonly HistoryPoint[] {
  let previous = -Infinity;
  for (let i = 0; i < points.length; i += 1) {
    const at = (points[i] as HistoryPoint).at;
    if (at < previous) return [...points].sort((a, b) => a.at - b.at);
    previous = at;
  }
  return points;
}

/** Index of the first reading at or after `from` (binary search over sorted readings). */
export function firstAtOrAfter(points: readonly HistoryPoint[], from: number): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((points[mid] as HistoryPoint).at < from) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The whole window, or only the recent part when its rate differs beyond sampling noise. */
function chosenPart(older: ConsumptionPart, recent: ConsumptionPart): ConsumptionPart {
  const whole = {
    consumed: older.consumed + recent.consumed,
    squares: older.squares + recent.squares,
    coveredMs: older.coveredMs + recent.coveredMs,
  };
  if (older.coveredMs < DAY || recent.coveredMs < DAY) return whole;
  const d1 = older.coveredMs / DAY;
  const d2 = recent.coveredMs / DAY;
  const noise = Math.sqrt(older.squares / (d1 * d1) + recent.squares / (d2 * d2));
  if (!(noise > 0)) return whole;
  const z = (recent.consumed / d2 - older.consumed / d1) / noise;
  return Math.abs(z) > CHANGE_Z ? recent : whole;
}

/**
 * Low under 3 days of data (or steps on fewer than 3 days); medium under 7 days; high from 7 days
 * when the rate's relative standard error is at most 15 %.
 */
function confidenceOf(
  spanMs: number,
  days: number,
  model: { perDay: number; variancePerDay: number; spanDays: number },
): ForecastConfidence {
  if (spanMs < 3 * DAY || days < 3) return 'low';
  if (spanMs < 7 * DAY || !(model.perDay > 0)) return 'medium';
  const standardError = Math.sqrt(model.variancePerDay / model.spanDays);
  return standardError / model.perDay <= 0.15 ? 'high' : 'medium';
}

/**
 * "runs out in ~N days" style text; a forecast on the pessimistic basis says `in as little as ~N
 * days`, so the early end is never read as the expected time.
 *
 * @example
 * ```ts
 * describeForecast({ days: 6.4, perDay: 12 }, 'critical') // 'critical in ~6 days'
 * describeForecast({ days: 6.4, perDay: 12, runwayBasis: 'pessimistic' }, 'critical') // 'critical in as little as ~6 days'
 * ```
 */
export function describeForecast(forecast: Pick<Forecast, 'days' | 'runwayBasis'>, what = 'runs out'): string {
  if (forecast.days < 1) return `${what} within a day`;
  const days = Math.round(forecast.days);
  const early = forecast.runwayBasis === 'pessimistic' ? 'as little as ' : '';
  return `${what} in ${early}~${days} day${days === 1 ? '' : 's'}`;
}

/**
 * Short runway text for tables and lists: `~5 d`, `<1 d`, `~3 w`, or `—` when there is none.
 *
 * @example
 * ```ts
 * formatRunway(4.6) // '~5 d'
 * ```
 */
export function formatRunway(days: number | undefined): string {
  if (days === undefined || !Number.isFinite(days)) return '—';
  if (days < 1) return '<1 d';
  if (days < 60) return `~${Math.round(days)} d`;
  if (days < 365) return `~${Math.round(days / 7)} w`;
  return '>1 y';
}
