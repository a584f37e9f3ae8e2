#!/usr/bin/env node
// Benchmark (not a test): the production bundle (scripts/bundle-bot.sh, what the Dockerfile ships)
// started from a directory outside the workspace against the LMPI sandbox and a Slack stand-in.
// Prints (1) cold start: spawn → first /readyz 200, for BENCH_STARTS (5) fresh starts, and (2) the
// bot's RSS before and after BENCH_REQUESTS (10,000) signed /licenses sent by wrk (BENCH_CONNECTIONS
// 20, 2 threads). wrk's Lua cannot compute HMACs: the body is fixed and signed once with a timestamp
// taken at bench start (Slack accepts 5 minutes).
// Run: pnpm --filter @licensewatch/slack-bot bench:bundle   (after pnpm build; needs wrk: apt-get install wrk)
// `pnpm test` runs it with BENCH_SMOKE=1 (1 start, 200 requests; the Node load generator of
// @licensewatch/tooling/bench when wrk is not installed): test/benchmarks.smoke.test.ts.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSandbox } from '@licensewatch/lmpi-sandbox';
import { startSlackStandIn } from '@licensewatch/slack-stand-in';
import { BENCH_SMOKE, benchSetting, httpLoad, loadAverage } from '@licensewatch/tooling/bench';
import { smapsSummary } from './smaps.mjs';
import { describeStartPath, startPath } from './start-path.mjs';

const STARTS = benchSetting('BENCH_STARTS', 5, 1);
const REQUESTS = benchSetting('BENCH_REQUESTS', 10_000, 200);
const CONNECTIONS = benchSetting('BENCH_CONNECTIONS', 20, 4);
const SIGNING_SECRET = 'bench-bundle-signing-secret';
// The strict Slack stand-in accepts only the token it issued, and the alert channel must exist.
const BOT_TOKEN = 'xoxb-bench-bundle';
const ALERT_CHANNEL = { id: 'CBENCH', name: 'license-alerts' };
const root = fileURLToPath(new URL('../../..', import.meta.url));
const MANIFEST = fileURLToPath(new URL('../manifest.yml', import.meta.url));

const work = mkdtempSync(join(tmpdir(), 'licensewatch-bench-bundle-'));
const children = new Set();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** CPU seconds (user + system) a process has used, from /proc (clock ticks of 10 ms). */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const rssKb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? Number.NaN);

async function startBot(bundle, sandbox, slack, run) {
  const port = await freePort();
  const cwd = join(work, `run-${run}`);
  mkdirSync(cwd);
  const { accessToken, secretKey } = sandbox.credentials.distributor;
  const started = performance.now();
  const start = startPath();
  const child = spawn(process.execPath, [...start.flags, join(bundle, 'dist/main.js')], {
    cwd,
    stdio: 'ignore',
    env: {
      PATH: process.env.PATH,
      // As `pnpm start` and the Dockerfile start it (environment and Node flags).
      ...start.env,
      // Node flags for the bot alone (e.g. heap settings), to compare their effect on RSS.
      ...(process.env.BENCH_BOT_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_BOT_NODE_OPTIONS } : {}),
      PORT: String(port),
      DATA_DIR: join(cwd, 'data'),
      LOG_LEVEL: 'warn',
      LMPI_BASE_URL: sandbox.url,
      LMPI_ACCESS_TOKEN: accessToken,
      LMPI_SECRET_KEY: secretKey,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      ALERT_CHANNEL: ALERT_CHANNEL.id,
    },
  });
  children.add(child);
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    const status = await fetch(`${url}/readyz`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) break;
    if (child.exitCode !== null) throw new Error(`bot exited with ${child.exitCode}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return { child, url, readyMs: performance.now() - started, cpu: cpuSeconds(child.pid) };
}

async function stop(child) {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
  children.delete(child);
}

function signedCommand(responseUrl) {
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
  const ts = Math.floor(Date.now() / 1000);
  const signature = createHmac('sha256', SIGNING_SECRET).update(`v0:${ts}:${body}`).digest('hex');
  return { body, ts, signature };
}

function wrkScript({ body, ts, signature }) {
  const file = join(work, 'licenses.lua');
  writeFileSync(
    file,
    `wrk.method = "POST"
wrk.body = "${body}"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["X-Slack-Request-Timestamp"] = "${ts}"
wrk.headers["X-Slack-Signature"] = "v0=${signature}"
`,
  );
  return file;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const bundle = join(work, 'bot');
execFileSync('bash', [join(root, 'scripts/bundle-bot.sh'), bundle], { stdio: ['ignore', 'ignore', 'inherit'] });
const sandbox = await createSandbox({ logger: { info() {}, warn() {} } });
const slack = await startSlackStandIn({
  print: () => undefined,
  manifest: MANIFEST,
  botToken: BOT_TOKEN,
  channels: [ALERT_CHANNEL],
});

const starts = [];
const cpu = [];
for (let run = 0; run < STARTS; run += 1) {
  const bot = await startBot(bundle, sandbox, slack, run);
  starts.push(bot.readyMs);
  cpu.push(bot.cpu * 1000);
  await stop(bot.child);
}
console.log(`load average ${loadAverage()} on this machine (wall times grow with it; CPU time does not)`);
console.log(`the bot started as the start script does: ${describeStartPath()}`);
console.log(
  `cold start to /readyz 200: median ${median(starts).toFixed(0)} ms wall (min ${Math.min(...starts).toFixed(0)}, max ${Math.max(...starts).toFixed(0)}; ${STARTS} starts), median ${median(cpu).toFixed(0)} ms CPU`,
);

const bot = await startBot(bundle, sandbox, slack, 'load');
const rssBefore = rssKb(bot.child.pid);
/** The bot's own heap figures (prom-client's default metrics), in MiB. */
const heap = async () => {
  const text = await (await fetch(`${bot.url}/metrics`)).text();
  const mib = (name) => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1] ?? Number.NaN) / 1024 / 1024;
  return `heap used ${mib('nodejs_heap_size_used_bytes').toFixed(1)} MiB, external ${mib('nodejs_external_memory_bytes').toFixed(1)} MiB`;
};
// Settled first: the first poll (and its alerts, rendered with charts) is start-up work, not /licenses'.
await new Promise((resolve) => setTimeout(resolve, BENCH_SMOKE ? 200 : 3_000));
const rssSettled = rssKb(bot.child.pid);
const heapSettled = await heap();
const smapsSettled = process.env.BENCH_SMAPS ? smapsSummary(bot.child.pid) : '';
const command = signedCommand(slack.responseUrl('bench'));
const useWrk = !BENCH_SMOKE || spawnSync('wrk', ['--version']).error === undefined;
// wrk runs for a duration; it is stopped with SIGINT (it then prints its summary) once the bot's own
// counter of handled commands reaches REQUESTS.
const handled = async () => {
  const text = await (await fetch(`${bot.url}/metrics`)).text();
  return Number(/^licensewatch_slash_command_duration_seconds_count (\d+)/m.exec(text)?.[1] ?? 0);
};
const before = await handled();
const loadStarted = performance.now();
const { non2xx, p50, p99 } = useWrk ? await wrkUntilHandled() : await nodeLoad();
const seconds = (performance.now() - loadStarted) / 1000;
const requests = (await handled()) - before;

/** wrk until the bot has handled REQUESTS commands. */
async function wrkUntilHandled() {
  const script = wrkScript(command);
  const wrk = spawn('wrk', ['-t2', `-c${CONNECTIONS}`, '-d600s', '--latency', '-s', script, `${bot.url}/slack/events`]);
  let output = '';
  wrk.stdout.on('data', (chunk) => {
    output += chunk;
  });
  const wrkDone = new Promise((resolve) => wrk.once('exit', resolve));
  const giveUp = performance.now() + 300_000;
  while ((await handled()) - before < REQUESTS) {
    if (wrk.exitCode !== null || performance.now() > giveUp)
      throw new Error(`the bot handled ${(await handled()) - before} of ${REQUESTS} commands; wrk: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  wrk.kill('SIGINT');
  await wrkDone;
  return {
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1] ?? 0),
    p50: /50%\s+([\d.]+\w+)/.exec(output)?.[1],
    p99: /99%\s+([\d.]+\w+)/.exec(output)?.[1],
  };
}

/** The smoke run without wrk: the same signed command REQUESTS times from Node. */
async function nodeLoad() {
  const r = await httpLoad({
    url: `${bot.url}/slack/events`,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(command.ts),
      'x-slack-signature': `v0=${command.signature}`,
    },
    body: command.body,
    seconds: 60,
    connections: CONNECTIONS,
    requests: REQUESTS,
  });
  return { non2xx: r.non2xx + r.socket, p50: `${r.p50.toFixed(2)}ms`, p99: `${r.p99.toFixed(2)}ms` };
}
await new Promise((resolve) => setTimeout(resolve, 500));
const rssAfter = rssKb(bot.child.pid);
console.log(
  `/licenses via ${useWrk ? 'wrk' : 'Node (no wrk)'}: ${requests} handled in ${seconds.toFixed(1)} s (${(requests / seconds).toFixed(0)} req/s; ${non2xx} non-2xx), latency p50 ${p50} p99 ${p99}, ${CONNECTIONS} connections`,
);
console.log(
  `RSS: ${(rssBefore / 1024).toFixed(1)} MiB ready, ${(rssSettled / 1024).toFixed(1)} MiB settled (first poll done), ${(rssAfter / 1024).toFixed(1)} MiB after the run`,
);
console.log(`heap: settled ${heapSettled}; after the run ${await heap()}`);
if (process.env.BENCH_SMAPS)
  console.log(`smaps: settled: ${smapsSettled}\nsmaps: after the run: ${smapsSummary(bot.child.pid)}`);
await stop(bot.child);
await slack.close();
await sandbox.close();
process.exit(0);
