import { runBenchSmoke } from '@licensewatch/tooling/bench';
import { describe, expect, it } from 'vitest';

// Benchmarks cannot rot: each one runs here at tiny sizes (BENCH_SMOKE=1) against the same strict
// Slack stand-in and LMPI sandbox as the tests (a token or channel the stand-in does not know fails
// them, as it fails the bot). Only that each starts, runs and prints its figures is asserted; the
// figures are `pnpm bench`'s business. wrk is used when installed, else Node's load generator.
describe('benchmarks (smoke run)', () => {
  it('bench (ack latency) runs the bot and a bare Bolt app ABBA and prints throughput, p99 and load', async () => {
    const out = await runBenchSmoke(new URL('../bench/ack-latency.bench.mjs', import.meta.url), { timeoutMs: 90_000 });
    expect(out).toMatch(/licensewatch bot\s+[\d.]+ ms\s+[\d.]+ ms\s+\d+ req\/s\s+0 errors/);
    expect(out).toMatch(/bare Bolt app \(same reply\)\s+[\d.]+ ms/);
    expect(out).toMatch(/throughput [\d.]+x bare/);
    expect(out).toMatch(/load average at start [\d.]+ [\d.]+ [\d.]+/);
    // The bot's figures are those of the process as `pnpm start` and the Dockerfile start it.
    expect(out).toMatch(/bot started as the start script does: MALLOC_ARENA_MAX=1 node --optimize-for-size/);
  }, 100_000);

  it('bench:scale starts the bot on a generated catalogue and prints ack times and RSS during the first poll', async () => {
    const out = await runBenchSmoke(new URL('../bench/scale.bench.mjs', import.meta.url), { timeoutMs: 60_000 });
    expect(out).toMatch(/^\s+50\s+\d+ ms\s+\d+ ms\s+\d+ ms\s+\d+\s+\d+ MB\s+\d+ MB\s+[\d.]+ [\d.]+ [\d.]+$/m);
  }, 70_000);

  it('bench:polls polls repeatedly and prints RSS, heap, time per poll and how long the event loop was blocked', async () => {
    const out = await runBenchSmoke(new URL('../bench/polls-memory.bench.mjs', import.meta.url), { timeoutMs: 60_000 });
    expect(out).toMatch(
      /after poll\s+5: RSS\s+\d+ MiB\s+heap used\s+\d+ MiB \(of \d+ MiB, external \d+ MiB\)\s+\d+ ms per poll, event loop blocked up to \d+ ms\s+load [\d.]+ [\d.]+ [\d.]+/,
    );
    // The memory figures are those of the process as `pnpm start` and the Dockerfile start it.
    expect(out).toMatch(/started as the start script does \(MALLOC_ARENA_MAX=1 node --optimize-for-size\)/);
  }, 70_000);

  it('bench:bundle starts the production bundle and prints cold start, throughput and RSS', async () => {
    const out = await runBenchSmoke(new URL('../bench/bundle.bench.mjs', import.meta.url), { timeoutMs: 150_000 });
    expect(out).toMatch(/cold start to \/readyz 200: median \d+ ms wall/);
    expect(out).toMatch(/\/licenses via .*: \d+ handled in [\d.]+ s \(\d+ req\/s; 0 non-2xx\)/);
    expect(out).toMatch(/RSS: [\d.]+ MiB ready, [\d.]+ MiB settled \(first poll done\), [\d.]+ MiB after the run/);
    expect(out).toMatch(/the bot started as the start script does: MALLOC_ARENA_MAX=1 node --optimize-for-size/);
    expect(out).toMatch(/heap: settled heap used [\d.]+ MiB/);
    expect(out).toMatch(/load average [\d.]+ [\d.]+ [\d.]+/);
  }, 160_000);
});
