import { runBenchSmoke } from '@licensewatch/tooling/bench';
import { describe, expect, it } from 'vitest';

// Benchmarks cannot rot: each one runs here at tiny sizes (BENCH_SMOKE=1), as `pnpm bench` runs it
// (same flags, same built code). Only that it starts, runs and prints its figures is asserted.
describe('benchmarks (smoke run)', () => {
  it('bench/evaluate evaluates cycles and prints time per cycle and heap', async () => {
    const out = await runBenchSmoke(new URL('../bench/evaluate.bench.mjs', import.meta.url), {
      nodeArgs: ['--expose-gc'],
    });
    expect(out).toMatch(/per cycle\s+median [\d.]+ ms/);
    expect(out).toMatch(/heap used\s+before [\d.]+ MiB\s+after [\d.]+ MiB/);
    expect(out).toMatch(/load average [\d.]+ [\d.]+ [\d.]+/);
  });

  it('bench/forecast analyses every history and prints the time per poll', async () => {
    const out = await runBenchSmoke(new URL('../bench/forecast.bench.mjs', import.meta.url));
    expect(out).toMatch(/forecast, whole history each poll \(analyseConsumption\): 5 products, .*median [\d.]+ ms/);
    expect(out).toMatch(/forecast, cached by last reading \(ConsumptionCache\): 5 products, .*median [\d.]+ ms/);
    expect(out).toMatch(/load average [\d.]+ [\d.]+ [\d.]+/);
  });
});
