#!/usr/bin/env node
// Benchmark (not a test): the production bundle (scripts/bundle-bot.sh, what the Dockerfile ships)
// started from a directory outside the workspace against the LMPI sandbox and a Slack stand-in.
// Prints (1) cold start: spawn → first /readyz 200, for BENCH_STARTS (5) fresh starts, and (2) the
// bot's RSS before and after BENCH_REQUESTS (10,000) signed /licenses sent by wrk (BENCH_CONNECTIONS
// 20, 2 threads). wrk's Lua cannot compute HMACs: the body is fixed and signed once with a timestamp
// taken at bench start (Slack accepts 5 minutes).
// Run: pnpm --filter @licensewatch/slack-bot bench:bundle   (after pnpm build; needs wrk: apt-get install wrk)
import { execFileSync, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSandbox } from '@licensewatch/lmpi-sandbox';
import { startSlackStandIn } from '@licensewatch/slack-stand-in';

const STARTS = Number(process.env.BENCH_STARTS ?? 5);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 10_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const SIGNING_SECRET = 'bench-bundle-signing-secret';
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
  const child = spawn(process.execPath, [join(bundle, 'dist/main.js')], {
    cwd,
    stdio: 'ignore',
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      DATA_DIR: join(cwd, 'data'),
      LOG_LEVEL: 'warn',
      LMPI_BASE_URL: sandbox.url,
      LMPI_ACCESS_TOKEN: accessToken,
      LMPI_SECRET_KEY: secretKey,
      SLACK_BOT_TOKEN: 'xoxb-bench',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      ALERT_CHANNEL: 'CBENCH',
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

function wrkScript(responseUrl) {
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
const slack = await startSlackStandIn({ print: () => undefined, manifest: MANIFEST, botToken: 'xoxb-bench' });

const starts = [];
const cpu = [];
for (let run = 0; run < STARTS; run += 1) {
  const bot = await startBot(bundle, sandbox, slack, run);
  starts.push(bot.readyMs);
  cpu.push(bot.cpu * 1000);
  await stop(bot.child);
}
console.log(`load average ${loadavg()[0].toFixed(1)} on this machine (wall times grow with it; CPU time does not)`);
console.log(
  `cold start to /readyz 200: median ${median(starts).toFixed(0)} ms wall (min ${Math.min(...starts).toFixed(0)}, max ${Math.max(...starts).toFixed(0)}; ${STARTS} starts), median ${median(cpu).toFixed(0)} ms CPU`,
);

const bot = await startBot(bundle, sandbox, slack, 'load');
const rssBefore = rssKb(bot.child.pid);
const script = wrkScript(slack.responseUrl('bench'));
// wrk runs for a duration; it is stopped with SIGINT (it then prints its summary) once the bot's own
// counter of handled commands reaches REQUESTS.
const handled = async () => {
  const text = await (await fetch(`${bot.url}/metrics`)).text();
  return Number(/^licensewatch_slash_command_duration_seconds_count (\d+)/m.exec(text)?.[1] ?? 0);
};
const before = await handled();
const wrk = spawn('wrk', ['-t2', `-c${CONNECTIONS}`, '-d600s', '--latency', '-s', script, `${bot.url}/slack/events`]);
let output = '';
wrk.stdout.on('data', (chunk) => {
  output += chunk;
});
const wrkDone = new Promise((resolve) => wrk.once('exit', resolve));
const loadStarted = performance.now();
while ((await handled()) - before < REQUESTS) await new Promise((resolve) => setTimeout(resolve, 50));
const seconds = (performance.now() - loadStarted) / 1000;
wrk.kill('SIGINT');
await wrkDone;
const requests = (await handled()) - before;
const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1] ?? 0);
const p50 = /50%\s+([\d.]+\w+)/.exec(output)?.[1];
const p99 = /99%\s+([\d.]+\w+)/.exec(output)?.[1];
await new Promise((resolve) => setTimeout(resolve, 500));
const rssAfter = rssKb(bot.child.pid);
console.log(
  `/licenses via wrk: ${requests} handled in ${seconds.toFixed(1)} s (${(requests / seconds).toFixed(0)} req/s; ${non2xx} non-2xx), latency p50 ${p50} p99 ${p99}, ${CONNECTIONS} connections`,
);
console.log(`RSS: ${(rssBefore / 1024).toFixed(1)} MiB ready, ${(rssAfter / 1024).toFixed(1)} MiB after the run`);
await stop(bot.child);
await slack.close();
await sandbox.close();
process.exit(0);
