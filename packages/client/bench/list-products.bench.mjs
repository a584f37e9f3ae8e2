#!/usr/bin/env node
// Benchmark (not a test): listProducts() on a 1,000-product response from a local server, against a
// bare fetch + JSON.parse of the same response. Prints medians, the ratio (target <= 1.25x, issue 25)
// and the machine's load average (the machine is shared: compare runs taken at similar load).
// Run: pnpm --filter @licensewatch/client bench   (after pnpm build). `pnpm test` runs it with
// BENCH_SMOKE=1 (20 products, a few calls: test/benchmarks.smoke.test.ts).
import { createServer } from 'node:http';
import { createLmpiClient } from '@licensewatch/client';
import { generateProductListResponse } from '@licensewatch/schema/fixtures';
import { benchSetting, loadAverage } from '@licensewatch/tooling/bench';

const PRODUCTS = benchSetting('BENCH_PRODUCTS', 1000, 20);
const CALLS = benchSetting('BENCH_CALLS', 300, 6);
const WARMUP = benchSetting('BENCH_WARMUP', 50, 2);

const body = JSON.stringify(generateProductListResponse({ count: PRODUCTS, seed: 42 }));
const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const baseUrl = `http://127.0.0.1:${server.address().port}`;
const url = `${baseUrl}/LMPI/v2/partners/product`;

const client = createLmpiClient({
  baseUrl,
  accessToken: '975f9ce9-1234-5678-8c2e-9f0b1f27e1b3',
  secretKey: 'bench-secret',
  retry: false,
});

const bare = async () => {
  const response = await fetch(url);
  return JSON.parse(await response.text()).products.length;
};
const viaClient = async () => (await client.listProducts()).products.length;

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const p = (values, q) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * q))];

for (let i = 0; i < WARMUP; i += 1) {
  await bare();
  await viaClient();
}
const bareTimes = [];
const clientTimes = [];
for (let i = 0; i < CALLS; i += 1) {
  // Interleave so that drift in machine load hits both sides alike.
  for (const [fn, times] of i % 2 === 0
    ? [
        [bare, bareTimes],
        [viaClient, clientTimes],
      ]
    : [
        [viaClient, clientTimes],
        [bare, bareTimes],
      ]) {
    const start = performance.now();
    const count = await fn();
    times.push(performance.now() - start);
    if (count !== PRODUCTS) throw new Error(`expected ${PRODUCTS} products, got ${count}`);
  }
}
server.close();

const bareMedian = median(bareTimes);
const clientMedian = median(clientTimes);
const ratio = clientMedian / bareMedian;
const load = loadAverage();
console.log(
  `listProducts() vs bare fetch + JSON.parse: ${PRODUCTS} products, ${CALLS} calls each, ${(body.length / 1024).toFixed(0)} KiB body, Node ${process.version}, load average ${load}`,
);
console.log(`  bare fetch + JSON.parse   median ${bareMedian.toFixed(3)} ms   p90 ${p(bareTimes, 0.9).toFixed(3)} ms`);
console.log(
  `  client.listProducts()     median ${clientMedian.toFixed(3)} ms   p90 ${p(clientTimes, 0.9).toFixed(3)} ms`,
);
console.log(`  ratio (client / bare)     ${ratio.toFixed(3)}x   target <= 1.25x   ${ratio <= 1.25 ? 'MET' : 'MISSED'}`);
