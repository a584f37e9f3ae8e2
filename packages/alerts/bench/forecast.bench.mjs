#!/usr/bin/env node
// Benchmark (not a test): the poller's worst case, a depletion analysis of every product on every
// poll: BENCH_PRODUCTS (1,000) products x 30 days of 5-minute readings (8.6 M points), with a
// refill and a glitch each. Prints, per poll, median and p95 of BENCH_ROUNDS polls:
//   - analyseConsumption over each whole history (what a cold poller, or the CLI, does);
//   - ConsumptionCache, as the bot polls: each poll one new reading per product, the history
//     passed whole (found by time, only the new reading fed).
// and the load average beside the figures (the machine may be shared: say so with them).
// `pnpm test` runs it with BENCH_SMOKE=1 (5 products, 2 rounds: test/benchmarks.smoke.test.ts).
// FORECAST_DIST=<path to an alerts dist/index.js> measures another build (e.g. before a change;
// the cached figure then is skipped when that build has no ConsumptionCache).
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { benchSetting } from '@licensewatch/tooling/bench';

const dist = process.env.FORECAST_DIST ? pathToFileURL(process.env.FORECAST_DIST).href : '../dist/index.js';
const { analyseConsumption, ConsumptionCache } = await import(dist);

const PRODUCTS = benchSetting('BENCH_PRODUCTS', 1_000, 5);
const ROUNDS = benchSetting('BENCH_ROUNDS', 15, 2);
const DAY = 86_400_000;
const STEP = 5 * 60_000;
const READINGS = (30 * DAY) / STEP;
const START = Date.UTC(2026, 9, 1);

let seed = 7;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const pools = Array.from({ length: PRODUCTS }, (_, p) => {
  const perDay = 5 + random() * 500;
  const refillAt = Math.floor(random() * READINGS);
  const glitchAt = Math.floor(random() * READINGS);
  let available = 20_000;
  const next = (i) => {
    available -= (perDay * STEP) / DAY;
    if (i === refillAt) available += 5_000;
    return { at: START + i * STEP, available: i === glitchAt ? 0 : Math.max(0, Math.round(available)) };
  };
  const points = [];
  for (let i = 0; i < READINGS; i += 1) points.push(next(i));
  return { id: `pool-${p}`, points, next };
});
const points = pools.reduce((sum, pool) => sum + pool.points.length, 0);
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const pick = (times, q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
// CPU time (user + system) of this process beside the wall time: on a shared machine the wall time
// includes waiting for a core, the CPU time does not.
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const report = (what, times, cpu, loadBefore, sink) => {
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  console.log(
    `${what}: ${PRODUCTS} products, ${(points / 1e6).toFixed(1)} M points: median ${pick(times, 0.5).toFixed(1)} ms (CPU ${pick(cpu, 0.5).toFixed(1)} ms), p95 ${pick(times, 0.95).toFixed(1)} ms per poll (${ROUNDS} polls; checksum ${sink.toFixed(0)}); load average ${loadBefore} before, ${load()} after`,
  );
};

{
  const loadBefore = load();
  const times = [];
  const cpu = [];
  let sink = 0;
  for (let round = 0; round < ROUNDS + 1; round += 1) {
    const started = performance.now();
    const startedCpu = cpuMs();
    for (const pool of pools) {
      const analysis = analyseConsumption(pool.points);
      if (analysis.status === 'estimate') sink += analysis.perDay;
    }
    if (round > 0) {
      times.push(performance.now() - started); // round 0 warms up
      cpu.push(cpuMs() - startedCpu);
    }
  }
  report('forecast, whole history each poll (analyseConsumption)', times, cpu, loadBefore, sink);
}

if (ConsumptionCache) {
  const cache = new ConsumptionCache();
  for (const pool of pools) cache.analyse(pool.id, pool.points); // the first poll: every history fed once
  const loadBefore = load();
  const times = [];
  const cpu = [];
  let sink = 0;
  for (let round = 0; round < ROUNDS + 1; round += 1) {
    for (const pool of pools) pool.points.push(pool.next(pool.points.length)); // this poll's reading
    const started = performance.now();
    const startedCpu = cpuMs();
    for (const pool of pools) {
      const analysis = cache.analyse(pool.id, pool.points);
      if (analysis.status === 'estimate') sink += analysis.perDay;
    }
    if (round > 0) {
      times.push(performance.now() - started);
      cpu.push(cpuMs() - startedCpu);
    }
  }
  report('forecast, cached by last reading (ConsumptionCache)', times, cpu, loadBefore, sink);
}
