import type { Forecast } from './forecast.js';
import { formatNumber } from './number-format.js';
import { formatRate } from './rate-format.js';
import type { ResolvedRule } from './rules.js';
import type { RunwayInterval } from './runway-interval.js';

const DAY = 86_400_000;

/**
 * Hysteresis for runway levels: a level entered because of the runway is left only once the runway
 * is this many times the threshold (a 14-day low runway clears above 17.5 days), so a runway hovering
 * around a threshold does not flap.
 */
export const RUNWAY_RECOVERY_FACTOR = 1.25;

/** The runway thresholds of a rule (ms; 0 or absent = off). */
export type RunwayLevels = Partial<Pick<ResolvedRule, 'lowRunwayMs' | 'criticalRunwayMs'>>;

/** Why a product is at its level: its count crossed a level, or its runway did. */
export type LevelTrigger =
  | { kind: 'count'; threshold: number }
  | {
      kind: 'runway';
      thresholdMs: number;
      /** The runway the threshold was judged on (the forecast's basis: pessimistic by default). */
      daysToZero: number;
      perDay: number;
      /** The 80 % interval of the runway, when the forecast has one. */
      runway?: RunwayInterval;
    };

/** True when a runway of `days` is within `thresholdMs` (scaled by `factor`); off when 0 or no runway. */
export function withinRunway(days: number | undefined, thresholdMs: number | undefined, factor = 1): boolean {
  return days !== undefined && thresholdMs !== undefined && thresholdMs > 0 && days * DAY <= thresholdMs * factor;
}

/**
 * Why a product at `level` is there: the count threshold when the count alone says so (it wins a
 * tie), else the runway. Undefined for `ok`.
 *
 * @example
 * ```ts
 * levelTrigger('critical', 500, rule, { days: 1, perDay: 200, daysToZero: 2.5 })
 * // { kind: 'runway', thresholdMs: 259200000, daysToZero: 2.5, perDay: 200 }
 * ```
 */
export function levelTrigger(
  level: 'ok' | 'low' | 'critical',
  available: number,
  rule: Pick<ResolvedRule, 'low' | 'critical'> & RunwayLevels,
  forecast: Forecast | undefined,
): LevelTrigger | undefined {
  if (level === 'ok') return undefined;
  const threshold = level === 'critical' ? rule.critical : rule.low;
  const thresholdMs = (level === 'critical' ? rule.criticalRunwayMs : rule.lowRunwayMs) ?? 0;
  if (available <= threshold || !forecast || forecast.daysToZero === undefined || thresholdMs <= 0)
    return { kind: 'count', threshold };
  return {
    kind: 'runway',
    thresholdMs,
    daysToZero: forecast.daysToZero,
    perDay: forecast.perDay,
    ...(forecast.runway ? { runway: forecast.runway } : {}),
  };
}

const count = (value: number) => formatNumber(value, { maximumFractionDigits: 0 });

const inDays = (days: number) => {
  const rounded = Math.round(days);
  return days < 1 ? 'within a day' : `in ~${rounded} day${rounded === 1 ? '' : 's'}`;
};

/**
 * When a pool runs out, as an 80 % interval: `in 12-20 days (80 %)`, `within 3 days (80 %)` when
 * it may run out within a day, `within a day` when even the latest end is under a day.
 *
 * @example
 * ```ts
 * describeRunway({ earliest: 12.2, expected: 15, latest: 19.6 }) // 'in 12-20 days (80 %)'
 * ```
 */
export function describeRunway(runway: RunwayInterval): string {
  if (runway.latest < 1) return 'within a day';
  const latest = Math.round(runway.latest);
  const earliest = Math.min(latest, Math.floor(runway.earliest));
  if (earliest < 1) return `within ${latest} day${latest === 1 ? '' : 's'} (80 %)`;
  if (earliest === latest) return inDays(runway.expected);
  return `in ${earliest}-${latest} days (80 %)`;
}

/**
 * What fired, in words: `runs out in 4-7 days (80 %) at ~40/day` (runway, with its interval when
 * known; `runs out in ~5 days at ~40/day` without) or `20 left (≤ 20)` (count). Rates are written
 * by {@link formatRate}.
 *
 * @example
 * ```ts
 * describeTrigger({ kind: 'runway', thresholdMs: 3 * 86_400_000, daysToZero: 4.6, perDay: 40 }, 184)
 * // 'runs out in ~5 days at ~40/day'
 * ```
 */
export function describeTrigger(trigger: LevelTrigger, available: number): string {
  if (trigger.kind === 'count') return `${count(available)} left (≤ ${count(trigger.threshold)})`;
  const when = trigger.runway ? describeRunway(trigger.runway) : inDays(trigger.daysToZero);
  return `runs out ${when} at ${formatRate(trigger.perDay)}`;
}
