import { runBenchSmoke } from '@licensewatch/tooling/bench';
import { describe, expect, it } from 'vitest';

// Benchmarks cannot rot: each one runs here at tiny sizes (BENCH_SMOKE=1) against the same local
// server as its full run. Only that it starts, runs and prints its figures is asserted; the figures
// themselves are `pnpm bench`'s business.
describe('benchmarks (smoke run)', () => {
  it('bench/list-products runs listProducts() against bare fetch + JSON.parse and prints the ratio', async () => {
    const out = await runBenchSmoke(new URL('../bench/list-products.bench.mjs', import.meta.url));
    expect(out).toMatch(/client\.listProducts\(\)\s+median [\d.]+ ms/);
    expect(out).toMatch(/ratio \(client \/ bare\)\s+[\d.]+x/);
    expect(out).toMatch(/load average [\d.]+ [\d.]+ [\d.]+/);
  });
});
