#!/usr/bin/env node
// Benchmark (not a test): renders a pool chart (30 days of 5-minute readings, levels, forecast) to
// PNG BENCH_RENDERS (30) times after 3 warm-up renders. Prints median and p95 render time.
// `pnpm test` runs it with BENCH_SMOKE=1 (2 renders: test/benchmarks.smoke.test.ts).
import { benchSetting, loadAverage } from '@licensewatch/tooling/bench';
import { renderPoolChart } from '../dist/index.js';

const RENDERS = benchSetting('BENCH_RENDERS', 30, 2);
const WARMUP = benchSetting('BENCH_WARMUP', 3, 1);
const NOW = Date.UTC(2026, 10, 28, 12);
const history = [];
let available = 900;
for (let i = 30 * 288; i >= 0; i -= 1) {
  available -= 40 / 288;
  if (i === 12 * 288) available += 600;
  history.push({ at: NOW - i * 300_000, available: Math.round(available) });
}
const input = {
  title: 'Apex One as a Service (AAAQXXE1X)',
  history,
  now: NOW,
  low: 100,
  critical: 20,
  forecast: { perDay: 40, from: history.at(-1) },
};
for (let i = 0; i < WARMUP; i += 1) renderPoolChart(input);
const times = [];
let bytes = 0;
for (let i = 0; i < RENDERS; i += 1) {
  const started = performance.now();
  bytes = renderPoolChart(input).length;
  times.push(performance.now() - started);
}
times.sort((a, b) => a - b);
const pick = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
console.log(
  `chart: ${RENDERS} renders of 8,641 readings to a ${(bytes / 1024).toFixed(0)} KiB PNG: median ${pick(0.5).toFixed(1)} ms, p95 ${pick(0.95).toFixed(1)} ms (load average ${loadAverage()})`,
);
