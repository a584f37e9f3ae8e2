// The small runner every benchmark shares, so that none can rot: each `bench/*.bench.mjs` reads its
// sizes through `benchSetting` (tiny under BENCH_SMOKE=1), and each package's
// `test/benchmarks.smoke.test.ts` runs every one of them with `runBenchSmoke` in `pnpm test`.
// Plain JavaScript: benchmarks are plain Node scripts and vitest loads it untranspiled.
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

/** Whether this run is the smoke run of `pnpm test` (BENCH_SMOKE=1): tiny sizes, a second or two. */
export const BENCH_SMOKE = process.env.BENCH_SMOKE === '1';

/**
 * A benchmark's size or duration: the environment variable `name` when set, else `smoke` in a smoke
 * run, else `full`.
 *
 * @example
 * ```js
 * const PRODUCTS = benchSetting('BENCH_PRODUCTS', 1_000, 20);
 * ```
 * @param {string} name
 * @param {number} full
 * @param {number} smoke
 * @returns {number}
 */
export function benchSetting(name, full, smoke) {
  const value = process.env[name];
  return value === undefined || value === '' ? (BENCH_SMOKE ? smoke : full) : Number(value);
}

/**
 * The machine's load average (1, 5, 15 minutes), to print beside every figure.
 *
 * @example
 * ```js
 * console.log(`median 3.1 ms (load ${loadAverage()})`);
 * ```
 * @returns {string}
 */
export function loadAverage() {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}

/**
 * Runs a benchmark script as `pnpm test` does: its own Node process, BENCH_SMOKE=1. Resolves with
 * what it printed; rejects (with its stderr) when it exits non-zero or outlives `timeoutMs`.
 *
 * @example
 * ```ts
 * const out = await runBenchSmoke(new URL('../bench/render.bench.mjs', import.meta.url));
 * expect(out).toMatch(/median [\d.]+ ms/);
 * ```
 * @param {URL | string} script
 * @param {{ nodeArgs?: string[], env?: Record<string, string>, timeoutMs?: number }} [options]
 * @returns {Promise<string>}
 */
export function runBenchSmoke(script, options = {}) {
  const path = script instanceof URL ? fileURLToPath(script) : script;
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), path], {
    env: { ...process.env, ...options.env, BENCH_SMOKE: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(stdout);
      else reject(new Error(`${path} exited with ${code ?? signal}\n${stderr}\n${stdout}`));
    });
  });
}

/**
 * A closed-loop HTTP load generator in Node (used where `wrk` is not installed, e.g. the smoke run):
 * `connections` keep-alive connections each send the same request back to back for `seconds` (or
 * until `requests` have been sent, when given).
 * Resolves with wrk's figures: requests, seconds, latency p50/p99/max in ms, non-2xx and socket
 * errors. It shares the event loop of the process that runs it: figures are rougher than wrk's.
 *
 * @example
 * ```js
 * const r = await httpLoad({ url, headers, body, seconds: 1, connections: 4 });
 * ```
 * @param {{ url: string, method?: string, headers?: Record<string, string>, body?: string, seconds: number, connections: number, requests?: number }} options
 */
export async function httpLoad(options) {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const latencies = [];
  let non2xx = 0;
  let socket = 0;
  const started = performance.now();
  const until = started + options.seconds * 1000;
  let sent = 0;
  const once = () =>
    new Promise((resolve) => {
      const t = performance.now();
      const req = request(options.url, { method: options.method ?? 'POST', headers: options.headers, agent }, (res) => {
        res.resume();
        res.on('end', () => {
          latencies.push(performance.now() - t);
          if (res.statusCode < 200 || res.statusCode > 299) non2xx += 1;
          resolve();
        });
      });
      req.on('error', () => {
        socket += 1;
        resolve();
      });
      req.end(options.body);
    });
  const connection = async () => {
    while (performance.now() < until && sent < (options.requests ?? Number.POSITIVE_INFINITY)) {
      sent += 1;
      await once();
    }
  };
  await Promise.all(Array.from({ length: options.connections }, connection));
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))] ?? Number.NaN;
  return {
    requests: latencies.length,
    seconds: (performance.now() - started) / 1000,
    p50: at(0.5),
    p99: at(0.99),
    max: latencies.at(-1) ?? Number.NaN,
    non2xx,
    socket,
  };
}
