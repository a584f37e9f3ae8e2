#!/usr/bin/env node
// Backtest (not a test): how right is the burn rate, and how often does the true depletion time
// fall inside the stated 80 % runway interval, for each Syntetos-Boylan demand class?
//
// A seeded synthetic corpus with known truth: per pool, demand events arrive as a Poisson process
// (rate λ/day, with a weekday pattern: Mon-Fri 1.2x, Sat-Sun 0.5x, mean 1) and sizes of known mean;
// the pool is polled every 5-15 minutes (jittered) for BENCH_DAYS (30) days; refills (purchases,
// returns) and one-reading glitches (a 0, or a wild value, for one poll) are injected. Each pool is
// classed by its own clean daily demand (ADI 1.32, CV² 0.49: Syntetos, Boylan & Croston 2005)
// until every class has BENCH_POOLS (1,000) pools. The truth: the process's mean rate, and the
// depletion time found by simulating the same process on from the last reading.
//
// Baselines get the clean daily demand (no refills, no glitches, no polling): the plain window
// mean over the same 28 days, and Croston's method with the Syntetos-Boylan Approximation
// (α = 0.1, as R forecast::croston and Nixtla statsforecast CrostonSBA; implemented below).
//
// Usage: pnpm --filter @licensewatch/alerts bench:accuracy  (after `pnpm build`). BENCH_POOLS,
// BENCH_DAYS, BENCH_SEED change the corpus; FORECAST_DIST=<an alerts dist/index.js> measures
// another build (e.g. before a change).
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';

const dist = process.env.FORECAST_DIST ? pathToFileURL(process.env.FORECAST_DIST).href : '../dist/index.js';
const { analyseConsumption } = await import(dist);

const POOLS = Number(process.env.BENCH_POOLS ?? 1_000);
const DAYS = Number(process.env.BENCH_DAYS ?? 30);
const SEED = Number(process.env.BENCH_SEED ?? 20261203);
const DAY = 86_400_000;
const MINUTE = 60_000;
const WINDOW_DAYS = 28;
const MONDAY = Date.UTC(2026, 9, 5);
const WEEKDAY = [0.5, 1.2, 1.2, 1.2, 1.2, 1.2, 0.5]; // Sun..Sat, mean 1

/** mulberry32: small, seeded, good enough for a backtest. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = rng(SEED);
const uniform = (lo, hi) => lo + (hi - lo) * random();
const logUniform = (lo, hi) => Math.exp(uniform(Math.log(lo), Math.log(hi)));
function poisson(mean) {
  if (mean > 50) return Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian()));
  const limit = Math.exp(-mean);
  let k = 0;
  let p = random();
  while (p > limit) {
    k += 1;
    p *= random();
  }
  return k;
}
function gaussian() {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}
/** 1 + Geometric with mean `mean` (≥ 1); times `bulk` with probability `bulkShare` (a bulk deal). */
function size({ mean, bulkShare, bulk }) {
  const p = 1 / mean; // P(stop) per trial: 1 + failures has mean 1/p
  let k = 1;
  while (random() > p) k += 1;
  return random() < bulkShare ? k * bulk : k;
}
const meanSize = ({ mean, bulkShare, bulk }) => mean * (1 - bulkShare + bulkShare * bulk);

/** Demand parameters aimed at each class (the pool is classed by what it actually did). */
const TARGETS = {
  smooth: () => ({ lambda: logUniform(3, 150), sizes: { mean: uniform(1, 3), bulkShare: 0, bulk: 1 } }),
  erratic: () => ({
    lambda: logUniform(1.5, 6),
    sizes: { mean: uniform(2, 8), bulkShare: uniform(0.05, 0.15), bulk: 10 },
  }),
  intermittent: () => ({ lambda: logUniform(0.1, 0.7), sizes: { mean: uniform(1, 1.6), bulkShare: 0, bulk: 1 } }),
  lumpy: () => ({ lambda: logUniform(0.1, 0.7), sizes: { mean: uniform(2, 10), bulkShare: 0.1, bulk: 5 } }),
};
const CLASSES = Object.keys(TARGETS);

/** Demand events (time, units) from `from` for `days` days. */
function events(params, from, days) {
  const out = [];
  for (let d = 0; d < days; d += 1) {
    const dayStart = from + d * DAY;
    const n = poisson(params.lambda * WEEKDAY[new Date(dayStart).getUTCDay()]);
    const today = [];
    for (let i = 0; i < n; i += 1) today.push({ at: dayStart + random() * DAY, units: size(params.sizes) });
    today.sort((a, b) => a.at - b.at);
    out.push(...today);
  }
  return out;
}

/** Syntetos-Boylan class of a daily demand series: ADI cut-off 1.32, CV² (of non-zero demand) 0.49. */
function classOf(daily) {
  const nonzero = daily.filter((d) => d > 0);
  if (nonzero.length < 2) return undefined;
  const adi = daily.length / nonzero.length;
  const mean = nonzero.reduce((s, d) => s + d, 0) / nonzero.length;
  const cv2 = nonzero.reduce((s, d) => s + (d - mean) ** 2, 0) / nonzero.length / mean ** 2;
  if (adi <= 1.32) return cv2 <= 0.49 ? 'smooth' : 'erratic';
  return cv2 <= 0.49 ? 'intermittent' : 'lumpy';
}

/** Croston's method with the Syntetos-Boylan Approximation: (1 - α/2)·z/p, α = 0.1 for both. */
function crostonSba(daily, alpha = 0.1) {
  let z;
  let p;
  let since = 1;
  for (const demand of daily) {
    if (demand > 0) {
      if (z === undefined) {
        z = demand;
        p = since;
      } else {
        z += alpha * (demand - z);
        p += alpha * (since - p);
      }
      since = 1;
    } else since += 1;
  }
  return z === undefined ? 0 : (1 - alpha / 2) * (z / p);
}

/** Readings at `times`: available(t) = final + demand after t - refills after t. */
function readingsOf(times, demand, refills, finalAvailable) {
  const changes = [
    ...demand.map((e) => ({ at: e.at, units: e.units })),
    ...refills.map((r) => ({ at: r.at, units: -r.units })),
  ];
  changes.sort((a, b) => b.at - a.at);
  const readings = new Array(times.length);
  let available = finalAvailable;
  let c = 0;
  for (let i = times.length - 1; i >= 0; i -= 1) {
    while (c < changes.length && changes[c].at > times[i]) available += changes[c++].units;
    readings[i] = { at: Math.round(times[i]), available };
  }
  return readings;
}

/** One pool: its readings (with refills and glitches), clean daily demand, truth, or undefined if unclassable. */
function pool(target) {
  const START = MONDAY + Math.floor(random() * 7) * DAY; // histories end on any weekday
  const params = TARGETS[target]();
  const rate = params.lambda * meanSize(params.sizes);
  const demand = events(params, START, DAYS);
  const end = START + DAYS * DAY;
  const daily = new Array(DAYS).fill(0);
  for (const e of demand) daily[Math.floor((e.at - START) / DAY)] += e.units;
  const kind = classOf(daily);
  if (!kind) return undefined;
  // Available at the end: an expected runway of 5-60 days.
  const finalAvailable = Math.max(1, Math.round(rate * uniform(5, 60)));
  // Refills: 0-2 purchases (5-30 days of demand) and 0-3 returns (1-3 seats), at random times.
  const refills = [];
  for (let i = Math.floor(random() * 3); i > 0; i -= 1)
    refills.push({ at: START + random() * DAYS * DAY, units: Math.max(1, Math.round(rate * uniform(5, 30))) });
  for (let i = Math.floor(random() * 4); i > 0; i -= 1)
    refills.push({ at: START + random() * DAYS * DAY, units: 1 + Math.floor(random() * 3) });
  // Polls every 5-15 minutes.
  const step = uniform(5, 15) * MINUTE;
  const times = [];
  for (let at = START; at <= end; at += step * uniform(0.8, 1.2)) times.push(at);
  // A purchase that would have left the pool below 0 before it arrived is dropped (a pool is
  // refilled before it runs dry, or it stops being consumed).
  let readings = readingsOf(times, demand, refills, finalAvailable);
  while (refills.length > 0 && readings.some((r) => r.available < 0)) {
    refills.sort((a, b) => a.units - b.units);
    refills.pop();
    readings = readingsOf(times, demand, refills, finalAvailable);
  }
  if (readings.some((r) => r.available < 0)) return undefined;
  // Glitches: about one every two days, a 0 (mostly) or a wild value for one poll (never the last,
  // never two in a row: a glitch is one reading).
  const glitchEvery = (2 * DAY) / step;
  for (let i = 1; i < readings.length - 1; i += 1)
    if (random() < 1 / glitchEvery) {
      readings[i] = {
        at: readings[i].at,
        available: random() < 0.7 ? 0 : Math.round(readings[i].available * uniform(2, 10)),
      };
      i += 1;
    }
  // Truth: the same process on from the last reading until the pool is empty.
  const last = readings[readings.length - 1];
  let left = last.available;
  let depletion;
  for (let from = START + DAYS * DAY; depletion === undefined; from += DAY) {
    for (const e of events(params, from, 1)) {
      if (e.at < last.at) continue;
      left -= e.units;
      if (left <= 0) {
        depletion = (e.at - last.at) / DAY;
        break;
      }
    }
    if (from > end + 3_650 * DAY) depletion = Infinity;
  }
  return { kind, rate, readings, daily, depletion };
}

const stats = () => ({ errors: [], late: 0, noisy: 0, covered: 0, early: 0, n: 0 });
const results = Object.fromEntries(CLASSES.map((k) => [k, { forecast: stats(), windowMean: stats(), sba: stats() }]));
const record = (s, estimate, truth) => {
  s.n += 1;
  s.errors.push(Math.abs(estimate - truth) / truth);
  if (estimate < 0.75 * truth) s.late += 1;
  if (estimate > 2 * truth) s.noisy += 1;
};

const loadBefore = loadavg()[0].toFixed(2);
const started = performance.now();
let attempts = 0;
while (CLASSES.some((k) => results[k].forecast.n < POOLS) && attempts < POOLS * 40) {
  attempts += 1;
  const target = CLASSES.filter((k) => results[k].forecast.n < POOLS)[
    attempts % CLASSES.filter((k) => results[k].forecast.n < POOLS).length
  ];
  const p = pool(target);
  if (!p || results[p.kind].forecast.n >= POOLS) continue;
  const r = results[p.kind];
  const analysis = analyseConsumption(p.readings);
  const perDay = analysis.status === 'estimate' ? analysis.perDay : 0;
  record(r.forecast, perDay, p.rate);
  const runway = analysis.status === 'estimate' ? analysis.runway : undefined;
  if (runway && runway.earliest <= p.depletion && p.depletion <= runway.latest) r.forecast.covered += 1;
  // Ran out before the pessimistic end: a runway alert on the default basis would have come late.
  if (!runway || p.depletion < runway.earliest) r.forecast.early += 1;
  const window = p.daily.slice(-WINDOW_DAYS);
  record(r.windowMean, window.reduce((s, d) => s + d, 0) / window.length, p.rate);
  record(r.sba, crostonSba(p.daily), p.rate);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : Number.NaN;
};
const pct = (x, n, digits = 0) => `${((100 * x) / n).toFixed(digits)} %`;
console.log(
  `Forecast backtest: ${POOLS} pools per class, ${DAYS} days polled every 5-15 min, seed ${SEED}; ${((performance.now() - started) / 1000).toFixed(1)} s; load average ${loadBefore} before, ${loadavg()[0].toFixed(2)} after`,
);
console.log('');
console.log(
  '| class | method | pools | median error | late (< 0.75x) | noisy (> 2x) | 80 % interval coverage | empty before the pessimistic end |',
);
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const kind of CLASSES) {
  const rows = [
    ['licensewatch', results[kind].forecast, true],
    ['window mean (clean daily)', results[kind].windowMean, false],
    ['Croston-SBA (clean daily)', results[kind].sba, false],
  ];
  for (const [name, s, interval] of rows)
    console.log(
      `| ${kind} | ${name} | ${s.n} | ${pct(median(s.errors), 1, 1)} | ${pct(s.late, s.n)} | ${pct(s.noisy, s.n)} | ${interval ? pct(s.covered, s.n) : '—'} | ${interval ? pct(s.early, s.n) : '—'} |`,
    );
}

// The targets, per class: median error <= 1.1x the better baseline; late <= 10 % (smooth
// <= 5 %) or, where sampling noise makes that impossible, the window mean's own late share;
// coverage 75-85 %.
console.log('');
for (const kind of CLASSES) {
  const { forecast, windowMean, sba } = results[kind];
  const errorBound = 1.1 * Math.min(median(windowMean.errors), median(sba.errors));
  const lateBound = Math.max(kind === 'smooth' ? 0.05 : 0.1, windowMean.late / windowMean.n);
  const coverage = forecast.covered / forecast.n;
  const checks = [
    `median error ${pct(median(forecast.errors), 1, 1)} <= ${pct(errorBound, 1, 1)}: ${median(forecast.errors) <= errorBound ? 'met' : 'MISSED'}`,
    `late ${pct(forecast.late, forecast.n, 1)} <= ${pct(lateBound, 1, 1)}: ${forecast.late / forecast.n <= lateBound ? 'met' : 'MISSED'}`,
    `coverage ${pct(coverage, 1, 1)} in 75-85 %: ${coverage >= 0.75 && coverage <= 0.85 ? 'met' : 'MISSED'}`,
  ];
  console.log(`${kind}: ${checks.join('; ')}`);
}
