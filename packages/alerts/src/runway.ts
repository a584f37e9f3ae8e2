import type { Forecast } from './forecast.js';
import type { ResolvedRule } from './rules.js';

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
  | { kind: 'runway'; thresholdMs: number; daysToZero: number; perDay: number };

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
  return { kind: 'runway', thresholdMs, daysToZero: forecast.daysToZero, perDay: forecast.perDay };
}

const counts = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/**
 * What fired, in words: `runs out in ~5 days at ~40/day` (runway) or `20 left (≤ 20)` (count).
 *
 * @example
 * ```ts
 * describeTrigger({ kind: 'runway', thresholdMs: 3 * 86_400_000, daysToZero: 4.6, perDay: 40 }, 184)
 * // 'runs out in ~5 days at ~40/day'
 * ```
 */
export function describeTrigger(trigger: LevelTrigger, available: number): string {
  if (trigger.kind === 'count') return `${counts.format(available)} left (≤ ${counts.format(trigger.threshold)})`;
  const days = trigger.daysToZero;
  const when = days < 1 ? 'within a day' : `in ~${Math.round(days)} day${Math.round(days) === 1 ? '' : 's'}`;
  return `runs out ${when} at ~${counts.format(Math.max(1, trigger.perDay))}/day`;
}
