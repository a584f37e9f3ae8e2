// Consumption and depletion forecasts from a pool's `available` history. Pure arithmetic; the
// method (and why) is written out in the package README, "Forecast".

/** One availability reading. */
export interface HistoryPoint {
  at: number;
  available: number;
}

/** When a pool is expected to reach a level at the recent consumption rate. */
export interface Forecast {
  /** Days from the latest reading until `level` is reached (0 if already there). */
  days: number;
  /** Licenses consumed per day (positive). */
  perDay: number;
  /** Days from the latest reading until the pool is empty (the runway), when known. */
  daysToZero?: number;
}

/** How far a forecast can be trusted: span of data and how steady the daily consumption was. */
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
  /** Licenses gone (positive). */
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
  /** Readings are reduced to the median reading of each bucket of this size (ms) first. */
  bucketMs?: number;
}

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** Default minimum data, recency window and bucket size. */
export const FORECAST_DEFAULTS: Required<ForecastOptions> = {
  minPoints: 4,
  minSpanMs: 12 * HOUR,
  windowMs: 14 * DAY,
  bucketMs: HOUR,
};

/** Enough data: the burn rate and what it means. */
export interface ConsumptionEstimate {
  status: 'estimate';
  /** Licenses consumed per day (0 when nothing was consumed: no depletion). */
  perDay: number;
  confidence: ForecastConfidence;
  /** The latest reading: the projection's starting point. */
  latest: HistoryPoint;
  /** Days until zero at `perDay`; undefined when nothing is consumed. */
  daysToZero: number | undefined;
  /** Upward jumps found in the window, oldest first. */
  refills: Refill[];
  /** Largest decreases between buckets in the window, largest first (at most 5). */
  largestDrops: Drop[];
  /** What the estimate rests on. */
  basis: { points: number; spanMs: number; days: number };
}

/** Not enough data yet: what there is and what is needed. */
export interface InsufficientHistory {
  status: 'insufficient';
  have: { points: number; spanMs: number };
  need: { points: number; spanMs: number };
}

/** {@link analyseConsumption}'s result. */
export type ConsumptionAnalysis = ConsumptionEstimate | InsufficientHistory;

/** Consumption within one UTC day: licenses gone over the time covered by falling or flat steps. */
interface DayConsumption {
  consumed: number;
  coveredMs: number;
}

/**
 * Estimates the burn rate from a pool's readings: upward jumps are refills (excluded), the rest is
 * reduced to one rate per UTC day, and the days' rates are combined by a weighted interquartile
 * mean (the middle half), so one glitch reading or one odd day barely moves it. Only the last
 * `windowMs` (14 days) counts. Readings need not be sorted.
 *
 * @example
 * ```ts
 * const analysis = analyseConsumption(points)
 * if (analysis.status === 'estimate') console.log(`${analysis.perDay}/day, empty in ${analysis.daysToZero} days`)
 * ```
 */
export function analyseConsumption(
  points: readonly HistoryPoint[],
  options: ForecastOptions = {},
): ConsumptionAnalysis {
  const settings = { ...FORECAST_DEFAULTS, ...options };
  const recent = windowed(points, settings.windowMs);
  const first = recent[0];
  const latest = recent[recent.length - 1];
  const spanMs = first && latest ? latest.at - first.at : 0;
  if (!first || !latest || recent.length < settings.minPoints || spanMs < settings.minSpanMs) {
    return {
      status: 'insufficient',
      have: { points: recent.length, spanMs },
      need: { points: settings.minPoints, spanMs: settings.minSpanMs },
    };
  }
  const buckets = medianPerBucket(recent, settings.bucketMs);
  const { days, refills, drops } = stepsByDay(buckets);
  const rates = [...days.values()].filter((d) => d.coveredMs > 0);
  const perDay = Math.max(0, interquartileRate(rates));
  return {
    status: 'estimate',
    perDay,
    confidence: confidenceOf(spanMs, rates, perDay),
    latest,
    daysToZero: perDay > 0 ? Math.max(0, latest.available / perDay) : undefined,
    refills,
    largestDrops: drops.sort((a, b) => b.consumed - a.consumed).slice(0, 5),
    basis: { points: recent.length, spanMs, days: rates.length },
  };
}

/**
 * Days until the pool reaches `level` at the recent burn rate ({@link analyseConsumption}): only
 * when it is being consumed and there is enough data; otherwise `undefined`. `daysToZero` is the
 * runway.
 *
 * @example
 * ```ts
 * forecastDepletion(points, 20) // { days: 6.5, perDay: 40, daysToZero: 7 }
 * ```
 */
export function forecastDepletion(
  points: readonly HistoryPoint[],
  level: number,
  options: ForecastOptions = {},
): Forecast | undefined {
  const analysis = analyseConsumption(points, options);
  return analysis.status === 'estimate' ? forecastFrom(analysis, level) : undefined;
}

/**
 * The depletion forecast an estimate implies for `level`; undefined when nothing is consumed.
 *
 * @example
 * ```ts
 * forecastFrom(analysis, rule.critical)?.days
 * ```
 */
export function forecastFrom(estimate: ConsumptionEstimate, level: number): Forecast | undefined {
  if (!(estimate.perDay > 0) || estimate.daysToZero === undefined) return undefined;
  const days = Math.max(0, (estimate.latest.available - level) / estimate.perDay);
  return { days, perDay: estimate.perDay, daysToZero: estimate.daysToZero };
}

/** Readings within `windowMs` of the latest, oldest first (sorted only when needed). */
function windowed(points: readonly HistoryPoint[], windowMs: number): readonly HistoryPoint[] {
  let sorted = true;
  for (let i = 1; i < points.length; i += 1) {
    if ((points[i] as HistoryPoint).at < (points[i - 1] as HistoryPoint).at) {
      sorted = false;
      break;
    }
  }
  const ordered = sorted ? points : [...points].sort((a, b) => a.at - b.at);
  const last = ordered[ordered.length - 1];
  if (!last) return ordered;
  const from = last.at - windowMs;
  let start = 0;
  while (start < ordered.length && (ordered[start] as HistoryPoint).at < from) start += 1;
  return start === 0 ? ordered : ordered.slice(start);
}

/** The median reading (by value, with its own time) of each time bucket: single glitches vanish. */
function medianPerBucket(points: readonly HistoryPoint[], bucketMs: number): HistoryPoint[] {
  const out: HistoryPoint[] = [];
  let from = 0;
  while (from < points.length) {
    const key = Math.floor((points[from] as HistoryPoint).at / bucketMs);
    let to = from + 1;
    while (to < points.length && Math.floor((points[to] as HistoryPoint).at / bucketMs) === key) to += 1;
    const chosen = medianOf(points, from, to);
    // A non-monotone bucket's median can precede the previous one's: keep time order.
    if (out.length === 0 || chosen.at > (out[out.length - 1] as HistoryPoint).at) out.push(chosen);
    from = to;
  }
  return out;
}

/** The lower median by value of points[from..to); no sorting when the run is monotone (the usual case). */
function medianOf(points: readonly HistoryPoint[], from: number, to: number): HistoryPoint {
  const n = to - from;
  if (n <= 2) return points[from] as HistoryPoint;
  let rising = true;
  let falling = true;
  for (let i = from + 1; i < to && (rising || falling); i += 1) {
    const change = (points[i] as HistoryPoint).available - (points[i - 1] as HistoryPoint).available;
    if (change < 0) rising = false;
    if (change > 0) falling = false;
  }
  const lower = (n - 1) >> 1;
  if (rising) return points[from + lower] as HistoryPoint;
  if (falling) return points[to - 1 - lower] as HistoryPoint;
  return points.slice(from, to).sort((a, b) => a.available - b.available)[lower] as HistoryPoint;
}

/** Falling and flat steps per UTC day (of the step's end); rising steps are refills, left out. */
function stepsByDay(buckets: readonly HistoryPoint[]): {
  days: Map<number, DayConsumption>;
  refills: Refill[];
  drops: Drop[];
} {
  const days = new Map<number, DayConsumption>();
  const refills: Refill[] = [];
  const drops: Drop[] = [];
  for (let i = 1; i < buckets.length; i += 1) {
    const before = buckets[i - 1] as HistoryPoint;
    const after = buckets[i] as HistoryPoint;
    const change = after.available - before.available;
    if (change > 0) {
      // Consumption during this step is unknown (hidden under the jump): leave its time out too.
      refills.push({ at: after.at, added: change });
      continue;
    }
    const day = Math.floor(after.at / DAY);
    const entry = days.get(day) ?? { consumed: 0, coveredMs: 0 };
    entry.consumed -= change;
    entry.coveredMs += after.at - before.at;
    days.set(day, entry);
    if (change < 0) drops.push({ at: after.at, consumed: -change });
  }
  return { days, refills, drops };
}

/**
 * Weighted interquartile mean of daily rates: days sorted by rate, a quarter of the covered time
 * cut from each end (a day can be cut in part), the rest averaged by covered time.
 */
function interquartileRate(days: DayConsumption[]): number {
  const total = days.reduce((sum, d) => sum + d.coveredMs, 0);
  if (total <= 0) return 0;
  const sorted = days.map((d) => ({ rate: d.consumed / (d.coveredMs / DAY), weight: d.coveredMs }));
  sorted.sort((a, b) => a.rate - b.rate);
  const cut = days.length >= 2 ? total / 4 : 0;
  let position = 0;
  let kept = 0;
  let sum = 0;
  for (const { rate, weight } of sorted) {
    const from = Math.max(position, cut);
    const to = Math.min(position + weight, total - cut);
    if (to > from) {
      kept += to - from;
      sum += rate * (to - from);
    }
    position += weight;
  }
  return kept > 0 ? sum / kept : 0;
}

/** Low under 3 days of data; high from 7 days when the daily rates' interquartile range is at most the rate. */
function confidenceOf(spanMs: number, days: DayConsumption[], perDay: number): ForecastConfidence {
  if (spanMs < 3 * DAY || days.length < 3) return 'low';
  if (spanMs < 7 * DAY || perDay <= 0) return 'medium';
  const rates = days.map((d) => d.consumed / (d.coveredMs / DAY)).sort((a, b) => a - b);
  const q1 = rates[Math.floor(rates.length / 4)] ?? 0;
  const q3 = rates[Math.floor((3 * rates.length) / 4)] ?? 0;
  return (q3 - q1) / perDay <= 1 ? 'high' : 'medium';
}

/**
 * "runs out in ~N days" style text.
 *
 * @example
 * ```ts
 * describeForecast({ days: 6.4, perDay: 12 }, 'critical') // 'critical in ~6 days'
 * ```
 */
export function describeForecast(forecast: Pick<Forecast, 'days'>, what = 'runs out'): string {
  if (forecast.days < 1) return `${what} within a day`;
  const days = Math.round(forecast.days);
  return `${what} in ~${days} day${days === 1 ? '' : 's'}`;
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
