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

/** The interval's ends: the 10th and 90th percentiles of the runway (an 80 % central interval). */
const LOWER = 0.1;
const UPPER = 0.9;

/**
 * Extra spread of the rate when few lumps were seen: the rate's uncertainty is scaled by
 * 1 + SPREAD/√(k + 1) (k lumps seen), calibrated on the backtest (`bench:accuracy`) so that the
 * true depletion time falls inside the 80 % interval for 75-85 % of pools in every demand class;
 * with many lumps (smooth demand) it fades to the plain negative binomial.
 */
const SPREAD = 2.5;

/** Up to this many lumps left, the count model is summed exactly; beyond, its lognormal approximation. */
const EXACT_LUMPS = 60;

/**
 * Demand as lumps: consumption comes in lumps of m = Q/C licenses (Q the sum of squared steps, C
 * the licenses consumed: the size-biased step, so mean and variance both match), k = C/m of them
 * in S days. Lumps arrive as a Poisson process whose rate is itself uncertain: with a flat prior,
 * Gamma(k + 1, S) after k lumps in S days, so the lumps in the next t days are negative-binomial
 * with r = k + 1 and p = S / (S + t). Few lumps seen therefore widen the interval and pull its
 * pessimistic end earlier: a pool cannot look safe for lack of data. Returns P(runway ≤ t), the
 * chance that at least `amount` licenses (⌈amount/m⌉ lumps) go within t days.
 */
function depletedBy(model: DemandModel, amount: number, t: number): number {
  const lump = model.variancePerDay / model.perDay;
  const seen = (model.perDay * model.spanDays) / lump;
  const spread = 1 + SPREAD / Math.sqrt(seen + 1);
  const span = model.spanDays / spread;
  const r = seen / spread + 1;
  const p = span / (span + t);
  const needed = Math.ceil(amount / lump - 1e-9);
  if (needed <= EXACT_LUMPS) {
    // P(N ≥ needed) = 1 - Σ_{j < needed} C(j + r - 1, j) p^r (1 - p)^j
    let term = Math.exp(r * Math.log(p));
    let below = 0;
    for (let j = 0; j < needed; j += 1) {
      below += term;
      term *= ((j + r) / (j + 1)) * (1 - p);
    }
    return Math.max(0, 1 - below);
  }
  // Many lumps: lognormal with the negative binomial's mean and variance (in licenses).
  const mean = (lump * r * t) / span;
  const variance = (lump * mean * (span + t)) / span;
  const s2 = Math.log1p(variance / (mean * mean));
  return 1 - normalCdf((Math.log(amount / mean) + s2 / 2) / Math.sqrt(s2));
}

/** Standard normal CDF (Abramowitz & Stegun 7.1.26 on erf; error < 1.5e-7). */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** The t (days) with P(runway ≤ t) = q, by bisection in log t (the chance grows with t). */
function solve(model: DemandModel, amount: number, q: number, expected: number): number {
  let lo = Math.log(expected) - 12;
  let hi = Math.log(expected) + 12;
  for (let i = 0; i < 36; i += 1) {
    const mid = (lo + hi) / 2;
    if (depletedBy(model, amount, Math.exp(mid)) < q) lo = mid;
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
 * // { earliest: 11.8, expected: 20, latest: 32.1 }
 * ```
 */
export function runwayInterval(model: DemandModel, amount: number): RunwayInterval | undefined {
  if (!(model.perDay > 0) || !(model.spanDays > 0)) return undefined;
  if (amount <= 0) return { earliest: 0, expected: 0, latest: 0 };
  const expected = amount / model.perDay;
  if (!(model.variancePerDay > 0)) return { earliest: expected, expected, latest: expected };
  return {
    earliest: Math.min(expected, solve(model, amount, LOWER, expected)),
    expected,
    latest: Math.max(expected, solve(model, amount, UPPER, expected)),
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
