import { runBenchSmoke } from '@licensewatch/tooling/bench';
import { describe, expect, it } from 'vitest';

// Benchmarks cannot rot: each one runs here at tiny sizes (BENCH_SMOKE=1), as `pnpm bench` runs it.
// Only that it starts, runs and prints its figures is asserted.
describe('benchmarks (smoke run)', () => {
  it('bench/render renders the pool chart and prints the render time', async () => {
    const out = await runBenchSmoke(new URL('../bench/render.bench.mjs', import.meta.url));
    expect(out).toMatch(/chart: 2 renders of 8,641 readings to a \d+ KiB PNG: median [\d.]+ ms/);
    expect(out).toMatch(/load average [\d.]+ [\d.]+ [\d.]+/);
  });
});
