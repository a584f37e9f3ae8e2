#!/usr/bin/env node
// Benchmark (not a test): the poller's worst case, a depletion analysis of every product on every
// poll: BENCH_PRODUCTS (1,000) products x 30 days of 5-minute readings (8.6 M points), with a
// refill and a glitch each. Prints the time for all products (median and p95 of BENCH_ROUNDS).
// `pnpm test` runs it with BENCH_SMOKE=1 (5 products, 2 rounds: test/benchmarks.smoke.test.ts).
import { benchSetting, loadAverage } from '@licensewatch/tooling/bench';
import { analyseConsumption } from '../dist/index.js';

const PRODUCTS = benchSetting('BENCH_PRODUCTS', 1_000, 5);
const ROUNDS = benchSetting('BENCH_ROUNDS', 7, 2);
const DAY = 86_400_000;
const STEP = 5 * 60_000;
const START = Date.UTC(2026, 9, 1);

let seed = 7;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const histories = Array.from({ length: PRODUCTS }, () => {
  const perDay = 5 + random() * 500;
  const refillAt = Math.floor(random() * 8640);
  const glitchAt = Math.floor(random() * 8640);
  let available = 20_000;
  const points = [];
  for (let i = 0; i < 8640; i += 1) {
    available -= (perDay * STEP) / DAY;
    if (i === refillAt) available += 5_000;
    points.push({ at: START + i * STEP, available: i === glitchAt ? 0 : Math.max(0, Math.round(available)) });
  }
  return points;
});
const points = histories.reduce((sum, h) => sum + h.length, 0);

const times = [];
let sink = 0;
for (let round = 0; round < ROUNDS + 1; round += 1) {
  const started = performance.now();
  for (const history of histories) {
    const analysis = analyseConsumption(history);
    if (analysis.status === 'estimate') sink += analysis.perDay;
  }
  if (round > 0) times.push(performance.now() - started); // round 0 warms up
}
times.sort((a, b) => a - b);
const pick = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
console.log(
  `forecast: ${PRODUCTS} products, ${(points / 1e6).toFixed(1)} M points: median ${pick(0.5).toFixed(0)} ms, p95 ${pick(0.95).toFixed(0)} ms per poll (${ROUNDS} rounds; checksum ${sink.toFixed(0)}; load average ${loadAverage()})`,
);
