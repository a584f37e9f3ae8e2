// One way to write a burn rate, for the chart legend, Slack and the CLI alike.
import { formatNumber } from './number-format.js';

const whole = (value: number) => formatNumber(value, { maximumFractionDigits: 0 });
const oneDecimal = (value: number) => formatNumber(value, { maximumFractionDigits: 1 });

/**
 * A burn rate in words: `~1,234/day` (thousands separators), `~2.5/day` (one decimal under 10/day),
 * and under 1/day the week (`~2/week`) or, under 1/week, the month (`~1.5/month`), so that a pool
 * consumed a few times a week never reads as `~0/day`. `—` for no consumption.
 *
 * @example
 * ```ts
 * formatRate(0.29) // '~2/week'
 * formatRate(4.26) // '~4.3/day'
 * formatRate(1932.4) // '~1,932/day'
 * ```
 */
export function formatRate(perDay: number): string {
  if (!(perDay > 0) || !Number.isFinite(perDay)) return '—';
  if (perDay >= 10) return `~${whole(perDay)}/day`;
  if (perDay >= 1) return `~${oneDecimal(perDay)}/day`;
  const perWeek = perDay * 7;
  if (perWeek >= 10) return `~${whole(perWeek)}/week`;
  if (perWeek >= 1) return `~${oneDecimal(perWeek)}/week`;
  const perMonth = perDay * 30;
  return perMonth >= 0.1 ? `~${oneDecimal(perMonth)}/month` : '<0.1/month';
}
