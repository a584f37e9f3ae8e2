#!/usr/bin/env node
// Benchmark (not a test): memory over many polls. A bot process (HTTP mode, SQLite in a file as in
// production, started with --expose-gc) polls BENCH_PRODUCTS (1,000) products BENCH_POLLS (1,000)
// times, its clock 5 minutes on per poll, against the LMPI sandbox and the Slack stand-in (both in
// this process, not counted). Every pool is healthy, so no alert is delivered: what is measured is
// the poll itself (history, forecasts, trends, the /licenses view). Prints RSS and heap used (after a
// full GC) at intervals, the time per poll, the longest the event loop was blocked since the last
// checkpoint (what a /licenses arriving then would wait for), and the load average.
// Target (issue 25): RSS <= 150 MB after 1,000 polls of 1,000 products; heap flat. The bot runs with
// the start script's environment and Node flags (./start-path.mjs; BENCH_START_PATH=plain for none).
// BENCH_SMAPS=1 adds where the RSS is (smaps), BENCH_SPACES=1 V8's spaces, BENCH_IDLE_MS=n a second
// reading after n ms idle at each checkpoint.
// Run: pnpm --filter @licensewatch/slack-bot bench:polls   (after pnpm build). `pnpm test` runs it
// with BENCH_SMOKE=1 (20 products, 5 polls): test/benchmarks.smoke.test.ts.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createSandbox } from '@licensewatch/lmpi-sandbox';
import { generateProductListResponse } from '@licensewatch/schema/fixtures';
import { startSlackStandIn } from '@licensewatch/slack-stand-in';
import { benchSetting, loadAverage } from '@licensewatch/tooling/bench';
import { createLogger, startBot } from '../dist/index.js';
import { smapsSummary } from './smaps.mjs';
import { describeStartPath, startPath } from './start-path.mjs';

const PRODUCTS = benchSetting('BENCH_PRODUCTS', 1_000, 20);
const POLLS = benchSetting('BENCH_POLLS', 1_000, 5);
// The stand-in grants exactly the scopes of the bot's manifest, as Slack would.
const MANIFEST = fileURLToPath(new URL('../manifest.yml', import.meta.url));
const BOT_TOKEN = 'xoxb-bench-polls';
const STEP_MS = 5 * 60_000;

if (process.argv[2] === 'child') await child();
else await parent();

async function parent() {
  const catalogue = generateProductListResponse({ count: PRODUCTS, seed: 4 }).products.map(
    ({ used: _used, ...product }) => ({ ...product, available: product.available + 500 }),
  );
  const sandbox = await createSandbox({ catalogue, logger: { info() {}, warn() {} } });
  const slack = await startSlackStandIn({ manifest: MANIFEST, botToken: BOT_TOKEN });
  const dir = mkdtempSync(join(tmpdir(), 'licensewatch-bench-polls-'));
  const start = startPath();
  console.log(
    `polls: ${PRODUCTS} products x ${POLLS} polls (clock +5 min each), SQLite file, Node ${process.version}, started as the start script does (${describeStartPath()}), load average ${loadAverage()}`,
  );
  const child = spawn(process.execPath, ['--expose-gc', ...start.flags, fileURLToPath(import.meta.url), 'child'], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env,
      ...start.env,
      BENCH_POLLS_TARGETS: JSON.stringify({
        sandbox: sandbox.url,
        ...sandbox.credentials.distributor,
        slack: slack.apiUrl,
        database: join(dir, 'bot.db'),
      }),
    },
  });
  const code = await new Promise((resolve) => child.on('exit', resolve));
  await slack.close();
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
  console.log(`  load average at end ${loadAverage()}`);
  process.exit(code ?? 1);
}

async function child() {
  const targets = JSON.parse(process.env.BENCH_POLLS_TARGETS ?? '{}');
  let clock = Date.now();
  const bot = await startBot(
    {
      port: 0,
      logLevel: 'error',
      cacheTtlMs: 60_000,
      lmpiTimeoutMs: 30_000,
      alerts: {
        databaseUrl: `sqlite:${targets.database}`,
        pollIntervalMs: 3_600_000,
        alertChannel: undefined,
        thresholdsFile: undefined,
        adminUserIds: [],
        historyRetentionMs: 30 * 86_400_000,
        claimTimeoutMs: 60_000,
      },
      slack: { mode: 'http', botToken: BOT_TOKEN, signingSecret: 'bench-polls-secret', apiUrl: targets.slack },
      lmpi: {
        mode: 'remote',
        baseUrl: targets.sandbox,
        accessToken: targets.accessToken,
        secretKey: targets.secretKey,
      },
    },
    { logger: createLogger({ level: 'error', secrets: [] }), host: '127.0.0.1', now: () => clock },
  );
  await bot.poller.idle();
  const mib = (bytes) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
  // The event loop's delay, sampled every 5 ms: its maximum since the last checkpoint is the longest
  // a request arriving during the polls would have waited behind them.
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  loopDelay.enable();
  const report = async (poll, msPerPoll) => {
    const blockedMs = loopDelay.max / 1e6;
    globalThis.gc?.();
    const { rss, heapUsed, heapTotal, external } = process.memoryUsage();
    if (process.env.BENCH_SPACES)
      console.log(
        (await import('node:v8'))
          .getHeapSpaceStatistics()
          .map((s) => `${s.space_name} ${mib(s.space_size)}/${mib(s.space_used_size)}`)
          .join(', '),
      );
    if (process.env.BENCH_SMAPS) console.log(`    smaps: ${smapsSummary()}`);
    console.log(
      `  after poll ${String(poll).padStart(5)}: RSS ${mib(rss).padStart(8)}  heap used ${mib(heapUsed).padStart(8)} (of ${mib(heapTotal)}, external ${mib(external)})  ${msPerPoll.toFixed(0).padStart(5)} ms per poll, event loop blocked up to ${blockedMs.toFixed(0)} ms   load ${loadAverage()}`,
    );
    // The forced GC above delays the loop too: let that sample land before the next interval starts.
    await new Promise((resolve) => setTimeout(resolve, 20));
    loopDelay.reset();
  };
  // Every 1,000 polls beyond the first 1,000: a long run (8,064 polls fill the forecast's 28-day window)
  // shows where RSS levels off.
  const checkpoints = new Set([1, 10, 100, 250, 500, 750, POLLS]);
  for (let poll = 1_000; poll < POLLS; poll += 1_000) checkpoints.add(poll);
  let since = performance.now();
  let last = 0;
  for (let poll = 1; poll <= POLLS; poll += 1) {
    clock += STEP_MS;
    await bot.poller.poll();
    if (checkpoints.has(poll)) {
      await report(poll, (performance.now() - since) / (poll - last));
      if (process.env.BENCH_IDLE_MS) {
        await new Promise((resolve) => setTimeout(resolve, Number(process.env.BENCH_IDLE_MS)));
        await report(poll, 0);
      }
      since = performance.now();
      last = poll;
    }
  }
  // Not bot.stop(): nothing is waiting, and exit is quicker.
  process.exit(0);
}
