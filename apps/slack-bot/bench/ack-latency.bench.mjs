#!/usr/bin/env node
// Benchmark (not a test): 50 concurrent connections send signed /licenses for BENCH_SECONDS (20) to
// the real bot (warm cache) and, in the same script, to a bare Bolt app that only acks. Prints ack
// latency p50/p99 and requests/s side by side, and the LMPI requests the bot made during its run.
// Targets: p99 <= 50 ms, throughput >= 0.7x bare, LMPI requests = 1 per cache TTL.
// Node's global fetch keeps one keep-alive connection per concurrent worker.
// Run: pnpm --filter @licensewatch/slack-bot bench   (after pnpm build). Loopback only.
import { spawn } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const TTL_MS = Number(process.env.BENCH_TTL_MS ?? 60_000);
const SIGNING_SECRET = `bench-${randomUUID()}`;

const children = [];
// Never leave a target behind, whatever happens (they would hold the terminal's pipes open).
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

function startTarget(kind) {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./serve-target.mjs', import.meta.url)), kind], {
    env: { ...process.env, BENCH_SIGNING_SECRET: SIGNING_SECRET, BENCH_TTL_MS: String(TTL_MS) },
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

function signedBody(responseBase, i) {
  const body = new URLSearchParams({
    command: '/licenses',
    text: '',
    response_url: `${responseBase}/response/bench-${i}`,
    user_id: 'UBENCH',
    channel_id: 'CBENCH',
    team_id: 'TBENCH',
    trigger_id: '1.2.3',
    api_app_id: 'ABENCH',
  }).toString();
  const ts = Math.floor(Date.now() / 1000);
  const signature = createHmac('sha256', SIGNING_SECRET).update(`v0:${ts}:${body}`).digest('hex');
  return {
    body,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(ts),
      'x-slack-signature': `v0=${signature}`,
    },
  };
}

async function load(target) {
  const latencies = [];
  let errors = 0;
  let sent = 0;
  const deadline = performance.now() + SECONDS * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const { body, headers } = signedBody(target.responseBase, sent++);
      const started = performance.now();
      try {
        const response = await fetch(`${target.url}/slack/events`, { method: 'POST', body, headers });
        await response.arrayBuffer();
        if (response.status === 200) latencies.push(performance.now() - started);
        else errors += 1;
      } catch {
        errors += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))] ?? Number.NaN;
  return {
    requests: latencies.length,
    errors,
    rps: latencies.length / SECONDS,
    p50: at(0.5),
    p99: at(0.99),
    max: latencies.at(-1) ?? Number.NaN,
  };
}

async function lmpiProductRequests(sandboxUrl) {
  const response = await fetch(`${sandboxUrl}/__sandbox/requests`);
  const { result } = await response.json();
  return result.filter((r) => r.path === '/LMPI/v2/partners/product').length;
}

const sink = await startTarget('sink');
const bare = await startTarget('bare');
bare.responseBase = sink.url;
const bareResult = await load(bare);
bare.child.kill('SIGTERM');

const bot = await startTarget('bot');
bot.responseBase = sink.url;
const lmpiBefore = await lmpiProductRequests(bot.sandbox);
const botResult = await load(bot);
const lmpiDuring = (await lmpiProductRequests(bot.sandbox)) - lmpiBefore;
bot.child.kill('SIGTERM');

const row = (name, r) =>
  `  ${name.padEnd(28)} ${r.p50.toFixed(2).padStart(8)} ms ${r.p99.toFixed(2).padStart(8)} ms ${r.rps.toFixed(0).padStart(8)} req/s  ${String(r.errors).padStart(4)} errors`;
const ratio = botResult.rps / bareResult.rps;
const allowedLmpi = Math.ceil((SECONDS * 1000) / TTL_MS);
console.log(
  `/licenses ack latency: ${CONNECTIONS} connections, ${SECONDS} s each, warm cache (TTL ${TTL_MS / 1000} s), Node ${process.version}`,
);
console.log(`  ${'target'.padEnd(28)} ${'p50'.padStart(11)} ${'p99'.padStart(11)} ${'throughput'.padStart(14)}`);
console.log(row('bare Bolt app (ack only)', bareResult));
console.log(row('licensewatch bot', botResult));
console.log(`  p99 ${botResult.p99.toFixed(2)} ms (target <= 50 ms): ${botResult.p99 <= 50 ? 'MET' : 'MISSED'}`);
console.log(`  throughput ${ratio.toFixed(2)}x bare (target >= 0.7x): ${ratio >= 0.7 ? 'MET' : 'MISSED'}`);
console.log(
  `  LMPI product requests during the bot run: ${lmpiDuring} (at most ${allowedLmpi} per ${SECONDS} s at TTL ${TTL_MS / 1000} s): ${lmpiDuring <= allowedLmpi ? 'MET' : 'MISSED'}`,
);
sink.child.kill('SIGTERM');
process.exit(0);
