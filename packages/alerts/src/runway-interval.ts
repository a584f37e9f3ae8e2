// The 80 % interval of a runway: when will `amount` licenses have been consumed? Pure arithmetic;
// the model (and its calibration) is written out in the package README, "Forecast".

/** Which end of the runway interval thresholds and forecasts use. */
export type RunwayBasis = 'pessimistic' | 'expected';

/** Days until an amount is consumed: the expected time and the 80 % interval around it. */
export interface RunwayInterval {
  /** 10th percentile: the pessimistic end (runs out this early or earlier one time in ten). */
  earliest: number;
  /** At the estimated rate: amount / perDay. */
  expected: number;
  /** 90th percentile: the optimistic end. */
  latest: number;
}

/** What the interval needs from an estimate: the rate, its variance rate and the data behind it. */
export interface DemandModel {
  /** Licenses consumed per day. */
  perDay: number;
  /** Variance of the consumption per day (licenses² per day): the sum of squared steps over the span. */
  variancePerDay: number;
  /** Days of readings the rate rests on. */
  spanDays: number;
}

/** z of the 90th percentile of the standard normal: an 80 % central interval. */
const Z80 = 1.2815515655446004;

/**
 * Demand over `t` days, D(t), is modelled as lognormal (compound-Poisson moments): mean
 * perDay·t, variance variancePerDay·t·(1 + t/spanDays), where the second term is the uncertainty
 * of the rate itself (estimated from spanDays of data). The runway quantile q is the t at which
 * P(D(t) ≥ amount) = q. Returns the standardised distance of `amount` from D(t).
 */
function zAt(model: DemandModel, amount: number, t: number): number {
  const mean = model.perDay * t;
  const variance = model.variancePerDay * t * (1 + t / model.spanDays);
  const s2 = Math.log1p(variance / (mean * mean));
  const s = Math.sqrt(s2);
  return (Math.log(amount / mean) + s2 / 2) / s;
}

/** The t (days) with zAt(t) = z, by bisection in log t (zAt falls as t grows). */
function solve(model: DemandModel, amount: number, z: number, expected: number): number {
  let lo = Math.log(expected) - 12;
  let hi = Math.log(expected) + 12;
  for (let i = 0; i < 40; i += 1) {
    const mid = (lo + hi) / 2;
    if (zAt(model, amount, Math.exp(mid)) > z) lo = mid;
    else hi = mid;
  }
  return Math.exp((lo + hi) / 2);
}

/**
 * The 80 % interval of the days until `amount` more licenses are consumed, under the demand model
 * (see {@link DemandModel}); undefined when nothing is consumed. An amount of 0 or less is reached now.
 *
 * @example
 * ```ts
 * runwayInterval({ perDay: 2, variancePerDay: 6, spanDays: 28 }, 40)
 * // { earliest: 13.4, expected: 20, latest: 28.9 }
 * ```
 */
export function runwayInterval(model: DemandModel, amount: number): RunwayInterval | undefined {
  if (!(model.perDay > 0) || !(model.spanDays > 0)) return undefined;
  if (amount <= 0) return { earliest: 0, expected: 0, latest: 0 };
  const expected = amount / model.perDay;
  if (!(model.variancePerDay > 0)) return { earliest: expected, expected, latest: expected };
  return {
    earliest: Math.min(expected, solve(model, amount, Z80, expected)),
    expected,
    latest: Math.max(expected, solve(model, amount, -Z80, expected)),
  };
}

/**
 * The end of an interval a basis stands for: `pessimistic` the earliest, `expected` the middle.
 *
 * @example
 * ```ts
 * runwayOn({ earliest: 12, expected: 16, latest: 20 }, 'pessimistic') // 12
 * ```
 */
export function runwayOn(interval: RunwayInterval, basis: RunwayBasis): number {
  return basis === 'pessimistic' ? interval.earliest : interval.expected;
}
