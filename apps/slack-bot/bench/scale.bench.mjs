#!/usr/bin/env node
// Benchmark (not a test): cost against catalogue size. For each size (1,000 / 5,000 / 20,000 products;
// BENCH_SIZES), a fresh bot process (HTTP mode, SQLite in memory) is started against the LMPI sandbox
// serving that many products (a quarter of them low, so the first poll raises alerts and asks for
// attributions) and the strict Slack stand-in, both in this process (not counted in the bot's RSS),
// and a signed `/licenses` is sent every 50 ms from the moment it
// listens until its first poll has finished and a while after. Prints per size: the first poll's
// duration, the slowest `/licenses` acknowledgement during the first poll and after it, and RSS
// (peak and after the first poll), with the load average.
// Targets (issue 25): every acknowledgement < 1 s and RSS < 600 MB at 20,000 products, first poll included.
// The requests come from the bot's own process (so an event loop blocked by poll work shows as a
// slow acknowledgement, as it would to Slack).
// Run: pnpm --filter @licensewatch/slack-bot bench:scale   (after pnpm build). `pnpm test` runs it
// with BENCH_SMOKE=1 (one size of 50 products): test/benchmarks.smoke.test.ts.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createSandbox } from '@licensewatch/lmpi-sandbox';
import { generateProductListResponse } from '@licensewatch/schema/fixtures';
import { startSlackStandIn } from '@licensewatch/slack-stand-in';
import { BENCH_SMOKE, loadAverage } from '@licensewatch/tooling/bench';
import { createLogger, slackSignatureHeaders, slashCommandBody, startBot } from '../dist/index.js';
import { describeStartPath, startPath } from './start-path.mjs';

const SIZES = (process.env.BENCH_SIZES ?? (BENCH_SMOKE ? '50' : '1000,5000,20000')).split(',').map(Number);
const AFTER_MS = Number(process.env.BENCH_AFTER_MS ?? (BENCH_SMOKE ? 300 : 5_000));
const INTERVAL_MS = 50;
const SIGNING_SECRET = 'bench-scale-signing-secret';
// The stand-in grants exactly the scopes of the bot's manifest, as Slack would.
const MANIFEST = fileURLToPath(new URL('../manifest.yml', import.meta.url));
const BOT_TOKEN = 'xoxb-bench-scale';
const ALERT_CHANNEL = { id: 'CBENCH', name: 'license-alerts', botIsMember: true };

if (process.argv[2] === 'child') await child();
else await parent();

async function parent() {
  console.log(
    `/licenses against catalogue size, Node ${process.version}; a fresh bot process per size, started as the start script does (${describeStartPath()})`,
  );
  console.log(
    `  ${'products'.padStart(8)} ${'first poll'.padStart(11)} ${'ack during (max)'.padStart(17)} ${'ack after (max)'.padStart(16)} ${'acks'.padStart(5)} ${'RSS peak'.padStart(9)} ${'RSS after'.padStart(10)}   load (1/5/15 min)`,
  );
  for (const size of SIZES) {
    const load = loadAverage();
    const sandbox = await createSandbox({ catalogue: catalogue(size), logger: { info() {}, warn() {} } });
    const slack = await startSlackStandIn({ manifest: MANIFEST, botToken: BOT_TOKEN, channels: [ALERT_CHANNEL] });
    const r = await runChild(size, {
      sandbox: sandbox.url,
      ...sandbox.credentials.distributor,
      slack: slack.apiUrl,
      responseUrl: slack.responseUrl('scale'),
    });
    await slack.close();
    await sandbox.close();
    console.log(
      `  ${String(size).padStart(8)} ${`${r.pollMs.toFixed(0)} ms`.padStart(11)} ${`${r.ackDuringMax.toFixed(0)} ms`.padStart(17)} ${`${r.ackAfterMax.toFixed(0)} ms`.padStart(16)} ${String(r.acks).padStart(5)} ${`${r.rssPeakMb.toFixed(0)} MB`.padStart(9)} ${`${r.rssAfterMb.toFixed(0)} MB`.padStart(10)}   ${load}`,
    );
    const met = r.ackDuringMax < 1000 && r.ackAfterMax < 1000 && r.rssPeakMb < 600;
    if (size >= 20_000) console.log(`  20,000 products: acks < 1 s and RSS < 600 MB: ${met ? 'MET' : 'MISSED'}`);
  }
  console.log(`  load average at end ${loadAverage()}`);
}

function runChild(size, targets) {
  const start = startPath();
  const child = spawn(process.execPath, [...start.flags, fileURLToPath(import.meta.url), 'child', String(size)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...start.env, BENCH_SCALE_TARGETS: JSON.stringify(targets) },
  });
  let out = '';
  child.stdout.on('data', (chunk) => {
    out += chunk;
  });
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('SCALE '));
      if (code !== 0 || !line) reject(new Error(`scale child (${size} products) exited with ${code}: ${out}`));
      else resolve(JSON.parse(line.slice('SCALE '.length)));
    });
  });
}

/** Wire-format products, a quarter of them low (below the default Low level of 100). */
function catalogue(size) {
  return generateProductListResponse({ count: size, seed: 25 }).products.map(({ used: _used, ...product }, i) => ({
    ...product,
    available: i % 4 === 0 ? (i * 7) % 90 : product.available + 200,
  }));
}

async function child() {
  const mb = () => process.memoryUsage().rss / 1024 / 1024;
  const targets = JSON.parse(process.env.BENCH_SCALE_TARGETS ?? '{}');
  let rssPeak = mb();
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, mb());
  }, 20);
  const started = performance.now();
  const bot = await startBot(
    {
      port: 0,
      logLevel: 'warn',
      cacheTtlMs: 60_000,
      lmpiTimeoutMs: 30_000,
      alerts: {
        databaseUrl: 'sqlite::memory:',
        pollIntervalMs: 3_600_000,
        alertChannel: ALERT_CHANNEL.id,
        thresholdsFile: undefined,
        adminUserIds: [],
        historyRetentionMs: 86_400_000,
        claimTimeoutMs: 60_000,
      },
      slack: { mode: 'http', botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, apiUrl: targets.slack },
      lmpi: {
        mode: 'remote',
        baseUrl: targets.sandbox,
        accessToken: targets.accessToken,
        secretKey: targets.secretKey,
      },
    },
    { logger: createLogger({ level: 'error', secrets: [] }), host: '127.0.0.1' },
  );
  let polled = false;
  let pollMs = 0;
  // startBot has scheduled the first poll; it has finished once the poller's view has a time.
  const firstPoll = (async () => {
    while (bot.poller.latest.at === undefined) await new Promise((resolve) => setTimeout(resolve, 5));
    polled = true;
    pollMs = performance.now() - started;
  })();
  const acks = { during: [], after: [] };
  const slash = async () => {
    const body = slashCommandBody({ text: '', response_url: targets.responseUrl });
    const t = performance.now();
    const response = await fetch(`${bot.url}/slack/events`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...slackSignatureHeaders(SIGNING_SECRET, body) },
    });
    await response.text();
    if (response.status !== 200) throw new Error(`/licenses answered ${response.status}`);
    (polled ? acks.after : acks.during).push(performance.now() - t);
  };
  let afterSince;
  while (!polled || performance.now() - (afterSince ?? Number.POSITIVE_INFINITY) < AFTER_MS) {
    await slash();
    if (polled) afterSince ??= performance.now();
    await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS));
  }
  await firstPoll;
  const rssAfter = mb();
  clearInterval(sampler);
  const max = (values) => (values.length ? Math.max(...values) : 0);
  console.log(
    `SCALE ${JSON.stringify({
      pollMs,
      ackDuringMax: max(acks.during),
      ackAfterMax: max(acks.after),
      acks: acks.during.length + acks.after.length,
      rssPeakMb: Math.max(rssPeak, rssAfter),
      rssAfterMb: rssAfter,
    })}`,
  );
  // Not bot.stop(): it would wait for every alert to be delivered at Slack's pace.
  process.exit(0);
}
