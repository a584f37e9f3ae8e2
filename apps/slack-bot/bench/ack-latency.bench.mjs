#!/usr/bin/env node
// Benchmark (not a test): wrk (2 threads, 50 keep-alive connections, 20 s per run) sends a signed
// /licenses POST to the real bot (warm cache) and to a bare Bolt app that acks with the same reply
// (the bot's, fetched once before the runs),
// alternating bare, bot, bot, bare (ABBA, so that drift in machine load hits both alike). Prints ack
// latency p50/p99 and requests/s per run, the throughput ratio, the LMPI requests the bot made, and
// the machine's load average. wrk is a C load generator in its own process: it does not share Node's
// event loop, allocator or fetch stack with the targets. Each target runs in its own process.
// Targets: throughput >= 1.0x bare and p99 no worse than bare's (issue 25), LMPI requests <= 1 per
// cache TTL. Run: pnpm --filter @licensewatch/slack-bot bench   (after pnpm build). Loopback only.
// Needs `wrk` (Debian package `wrk`): installed with `apt-get install -y wrk` when missing.
// `pnpm test` runs it with BENCH_SMOKE=1 (1 s per run, 4 connections; wrk if installed, else the
// Node load generator of @licensewatch/tooling/bench; nothing is installed): test/benchmarks.smoke.test.ts.
import { spawn, spawnSync } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH_SMOKE, benchSetting, httpLoad, loadAverage } from '@licensewatch/tooling/bench';
import { describeStartPath, startPath } from './start-path.mjs';

const SECONDS = benchSetting('BENCH_SECONDS', 20, 1);
const CONNECTIONS = benchSetting('BENCH_CONNECTIONS', 50, 4);
const THREADS = benchSetting('BENCH_THREADS', 2, 1);
const ROUNDS = benchSetting('BENCH_ROUNDS', 2, 2);
const TTL_MS = benchSetting('BENCH_TTL_MS', 60_000, 60_000);
const SIGNING_SECRET = `bench-${randomUUID()}`;

const children = [];
// Never leave a target behind, whatever happens (they would hold the terminal's pipes open).
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

const load = loadAverage;

const hasWrk = () => spawnSync('wrk', ['--version']).error === undefined;

/** Whether wrk generates the load: always in a full run (installed when missing), if present in a smoke run. */
function ensureWrk() {
  if (hasWrk()) return true;
  if (BENCH_SMOKE) return false;
  console.log('wrk not found: running `apt-get install -y wrk` (Debian package wrk)');
  const install = spawnSync('apt-get', ['install', '-y', 'wrk'], { stdio: 'inherit' });
  if (install.status !== 0 || spawnSync('wrk', ['--version']).error !== undefined) {
    throw new Error('could not install wrk: install the Debian package `wrk` (apt-get install -y wrk) and rerun');
  }
  return true;
}

function startTarget(kind, env = {}) {
  // The bot runs as `pnpm start` runs it (its Node flags and environment); the bare Bolt app as plain node.
  const start = kind === 'bot' ? startPath() : { env: {}, flags: [] };
  const target = fileURLToPath(new URL('./serve-target.mjs', import.meta.url));
  const child = spawn(process.execPath, [...start.flags, target, kind], {
    env: {
      ...process.env,
      ...start.env,
      BENCH_SIGNING_SECRET: SIGNING_SECRET,
      BENCH_TTL_MS: String(TTL_MS),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      // The target's own logs are JSON lines too: its address line is marked.
      const line = out.split('\n').find((l) => l.startsWith('TARGET '));
      if (line) resolve({ child, ...JSON.parse(line.slice('TARGET '.length)) });
    });
    child.on('exit', (code) => reject(new Error(`${kind} target exited with ${code}`)));
  });
}

/** One signed /licenses request; Bolt accepts the timestamp for 5 minutes, longer than the whole run. */
function signedRequest(responseUrl) {
  const body = new URLSearchParams({
    command: '/licenses',
    text: '',
    response_url: responseUrl,
    user_id: 'UBENCH',
    channel_id: 'CBENCH',
    team_id: 'TBENCH',
    trigger_id: '1.2.3',
    api_app_id: 'ABENCH',
  }).toString();
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = createHmac('sha256', SIGNING_SECRET).update(`v0:${timestamp}:${body}`).digest('hex');
  return { body, timestamp, signature: `v0=${signature}` };
}

/** wrk script: the same signed POST on every request; done() prints one JSON line for this script. */
function wrkScript({ body, timestamp, signature }) {
  return `wrk.method = "POST"
wrk.body = ${JSON.stringify(body)}
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["X-Slack-Request-Timestamp"] = "${timestamp}"
wrk.headers["X-Slack-Signature"] = "${signature}"
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRK {"requests":%d,"seconds":%f,"p50":%f,"p99":%f,"max":%f,"non2xx":%d,"socket":%d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3, latency:percentile(99) / 1e3,
    latency.max / 1e3, e.status, e.connect + e.read + e.write + e.timeout))
end
`;
}

async function runLoad(scriptPath, url, request) {
  if (!useWrk) {
    const r = await httpLoad({
      url,
      headers: requestHeaders(request),
      body: request.body,
      seconds: SECONDS,
      connections: CONNECTIONS,
    });
    return { ...r, ok: r.requests - r.non2xx, rps: (r.requests - r.non2xx) / r.seconds, errors: r.non2xx + r.socket };
  }
  const args = ['-t', String(THREADS), '-c', String(CONNECTIONS), '-d', `${SECONDS}s`, '-s', scriptPath, url];
  const run = spawnSync('wrk', args, { encoding: 'utf8' });
  const line = run.stdout.split('\n').find((l) => l.startsWith('WRK '));
  if (run.status !== 0 || !line) throw new Error(`wrk failed (${run.status}): ${run.stderr || run.stdout}`);
  const r = JSON.parse(line.slice('WRK '.length));
  return { ...r, ok: r.requests - r.non2xx, rps: (r.requests - r.non2xx) / r.seconds, errors: r.non2xx + r.socket };
}

async function lmpiProductRequests(sandboxUrl) {
  const response = await fetch(`${sandboxUrl}/__sandbox/requests`);
  const { result } = await response.json();
  return result.filter((r) => r.path === '/LMPI/v2/partners/product').length;
}

const requestHeaders = (request) => ({
  'content-type': 'application/x-www-form-urlencoded',
  'x-slack-request-timestamp': String(request.timestamp),
  'x-slack-signature': request.signature,
});

const useWrk = ensureWrk();
const dir = mkdtempSync(join(tmpdir(), 'licensewatch-bench-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const sink = await startTarget('sink');
const bot = await startTarget('bot');
// The bot answers in the acknowledgement (data in memory), so response_url is not called; it points
// at a sink process all the same, as real replies would go to Slack, not to the bot's machine.
const request = signedRequest(`${sink.url}/response/bench`);
const script = join(dir, 'licenses.lua');
writeFileSync(script, wrkScript(request));
// The bare app acks with the bot's own reply (asked once here, before any load), so that both
// targets serialise and send the same bytes: the ratio measures what the bot does to build it.
const reply = await fetch(`${bot.url}/slack/events`, {
  method: 'POST',
  body: request.body,
  headers: requestHeaders(request),
});
const payload = await reply.text();
if (reply.status !== 200 || !payload.startsWith('{')) throw new Error(`bot did not answer in the ack: ${reply.status}`);
const bare = await startTarget('bare', { BENCH_ACK_PAYLOAD: payload });

const loadBefore = load();
const lmpiBefore = await lmpiProductRequests(bot.sandbox);
const startedAt = performance.now();
const runs = [];
for (let round = 0; round < ROUNDS; round += 1) {
  const order = round % 2 === 0 ? ['bare', 'bot'] : ['bot', 'bare'];
  for (const kind of order) {
    const target = kind === 'bare' ? bare : bot;
    runs.push({ kind, load: load(), ...(await runLoad(script, `${target.url}/slack/events`, request)) });
  }
}
const elapsedMs = performance.now() - startedAt;
const lmpiDuring = (await lmpiProductRequests(bot.sandbox)) - lmpiBefore;

const label = { bare: 'bare Bolt app (same reply)', bot: 'licensewatch bot' };
console.log(
  `/licenses ack, ${useWrk ? `wrk ${THREADS} threads` : 'Node load generator (no wrk),'} ${CONNECTIONS} connections ${SECONDS} s per run, ABBA x${ROUNDS / 2}, warm cache (TTL ${TTL_MS / 1000} s), Node ${process.version}`,
);
console.log(`  load average at start ${loadBefore}, at end ${load()}`);
console.log(`  bot started as the start script does: ${describeStartPath()}; bare Bolt app: node`);
console.log(
  `  ${'run'.padEnd(28)} ${'p50'.padStart(11)} ${'p99'.padStart(11)} ${'throughput'.padStart(14)}   load (1/5/15 min)`,
);
for (const r of runs) {
  console.log(
    `  ${label[r.kind].padEnd(28)} ${r.p50.toFixed(2).padStart(8)} ms ${r.p99.toFixed(2).padStart(8)} ms ${r.rps.toFixed(0).padStart(8)} req/s  ${String(r.errors).padStart(4)} errors   ${r.load}`,
  );
}
const total = (kind) => runs.filter((r) => r.kind === kind).reduce((sum, r) => sum + r.ok, 0);
const seconds = (kind) => runs.filter((r) => r.kind === kind).reduce((sum, r) => sum + r.seconds, 0);
const rps = (kind) => total(kind) / seconds(kind);
const ratio = rps('bot') / rps('bare');
const worstP99 = (kind) => Math.max(...runs.filter((r) => r.kind === kind).map((r) => r.p99));
const worstBotP99 = worstP99('bot');
const errors = runs.reduce((sum, r) => sum + r.errors, 0);
const allowedLmpi = Math.ceil(elapsedMs / TTL_MS);
console.log(
  `  throughput ${ratio.toFixed(2)}x bare (${rps('bot').toFixed(0)} / ${rps('bare').toFixed(0)} req/s over all runs; target >= 1.0x): ${ratio >= 1 ? 'MET' : 'MISSED'}`,
);
console.log(
  `  bot p99 (worst run) ${worstBotP99.toFixed(2)} ms, bare ${worstP99('bare').toFixed(2)} ms (target: no worse than bare): ${worstBotP99 <= worstP99('bare') ? 'MET' : 'MISSED'}`,
);
console.log(
  `  LMPI product requests during the runs: ${lmpiDuring} (at most ${allowedLmpi} in ${(elapsedMs / 1000).toFixed(0)} s at TTL ${TTL_MS / 1000} s): ${lmpiDuring <= allowedLmpi ? 'MET' : 'MISSED'}`,
);
if (errors > 0)
  console.log(`  ${errors} requests failed (non-2xx or socket errors): the numbers above count only 200s`);
process.exit(0);
