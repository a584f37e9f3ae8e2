#!/usr/bin/env node
// Benchmark (not a test): evaluate() on 10,000 products per cycle. Prints time per cycle (target
// <= 10 ms) and heap before/after BENCH_CYCLES (10,000) cycles (target: flat). Counts drift randomly
// so that transitions, resolutions and renotifies happen. Run with --expose-gc (pnpm bench does).
// `pnpm test` runs it with BENCH_SMOKE=1 (100 products, 20 cycles: test/benchmarks.smoke.test.ts).
import { benchSetting, loadAverage } from '@licensewatch/tooling/bench';
import { evaluate, initialEngineState, ruleResolver } from '../dist/index.js';

const PRODUCTS = benchSetting('BENCH_PRODUCTS', 10_000, 100);
const CYCLES = benchSetting('BENCH_CYCLES', 10_000, 20);
const WARMUP = benchSetting('BENCH_WARMUP', 200, 2);

let seed = 42;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const products = Array.from({ length: PRODUCTS }, (_, i) => ({
  productId: `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
  productCode: `P${i.toString(36).toUpperCase().padStart(8, '0')}`,
  productName: `Product ${i}`,
  type: 'SaaS',
  version: 'Full',
  available: Math.floor(random() * 400),
  servicePlans: [],
}));
const ruleFor = ruleResolver({ default: { low: 100, critical: 20, recovery: 10 }, products: [] });
const options = { ruleFor, renotifyMs: 3_600_000 };

const heapMb = () => {
  globalThis.gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
};

let state = initialEngineState();
let events = 0;
const cycle = (i) => {
  for (let p = 0; p < products.length; p += 50) {
    const product = products[p];
    product.available = Math.max(0, product.available + Math.floor(random() * 41) - 20);
  }
  const result = evaluate(state, { ok: true, products }, i * 60_000, options);
  state = result.state;
  events += result.events.length;
};

for (let i = 0; i < WARMUP; i += 1) cycle(i);
const heapBefore = heapMb();
const times = [];
const started = performance.now();
for (let i = WARMUP; i < WARMUP + CYCLES; i += 1) {
  const t = performance.now();
  cycle(i);
  times.push(performance.now() - t);
}
const total = performance.now() - started;
const heapAfter = heapMb();
times.sort((a, b) => a - b);
const at = (q) => times[Math.min(times.length - 1, Math.floor(times.length * q))];
console.log(
  `evaluate(): ${PRODUCTS} products per cycle, ${CYCLES} cycles (${(total / 1000).toFixed(1)} s), ${events} events, Node ${process.version}, load average ${loadAverage()}`,
);
console.log(
  `  per cycle   median ${at(0.5).toFixed(2)} ms   p99 ${at(0.99).toFixed(2)} ms   max ${times.at(-1).toFixed(2)} ms   target <= 10 ms: ${at(0.5) <= 10 ? 'MET' : 'MISSED'}`,
);
console.log(
  `  heap used   before ${heapBefore.toFixed(1)} MiB   after ${heapAfter.toFixed(1)} MiB   change ${(heapAfter - heapBefore).toFixed(1)} MiB   target flat: ${Math.abs(heapAfter - heapBefore) < 5 ? 'MET' : 'MISSED'}`,
);
