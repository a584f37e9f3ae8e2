import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, type HarnessOptions, settled, startHarness } from './harness.js';

const harnesses: Harness[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.close();
});

async function start(options?: HarnessOptions): Promise<Harness> {
  const harness = await startHarness(options);
  harnesses.push(harness);
  await settled(harness);
  return harness;
}

async function getJson(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** A poll tick completed by the bot's own timer (the first one runs at start). */
async function firstPoll(h: Harness): Promise<void> {
  for (let i = 0; i < 200 && !h.bot.ops.state.lastPoll; i += 1) await new Promise((r) => setTimeout(r, 20));
}

/**
 * Lines promtool reports that are known and accepted: prom-client's default `nodejs_active_*_total`
 * metrics are gauges whose names end in `_total` (prom-client issue 283). Exactly these three, and
 * nothing of licensewatch's own.
 */
const KNOWN_PROM_CLIENT_FINDINGS = [
  'nodejs_active_handles_total non-counter metrics should not have "_total" suffix',
  'nodejs_active_requests_total non-counter metrics should not have "_total" suffix',
  'nodejs_active_resources_total non-counter metrics should not have "_total" suffix',
];

function promtool(text: string): { status: number | null; findings: string[] } {
  const run = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  if (run.error)
    throw new Error(`promtool is needed to lint /metrics (Debian: apt-get install prometheus): ${run.error.message}`);
  const findings = `${run.stdout}${run.stderr}`
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  return { status: run.status, findings };
}

describe('operations endpoints', () => {
  it('/livez and /readyz answer 200 on a healthy bot; /healthz shows the details without asking LMPI', async () => {
    const h = await start({ cacheTtlMs: 50 });
    await firstPoll(h);
    expect((await getJson(`${h.bot.url}/livez`)).status).toBe(200);
    const ready = await getJson(`${h.bot.url}/readyz`);
    expect(ready).toMatchObject({ status: 200, body: { ready: true, failing: [] } });
    await new Promise((r) => setTimeout(r, 100)); // the cached data is past its TTL now
    const before = h.lmpiRequests();
    const health = await getJson(`${h.bot.url}/healthz`);
    await getJson(`${h.bot.url}/healthz`);
    expect(h.lmpiRequests()).toBe(before);
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({
      ready: true,
      lmpi: { reachable: true },
      poll: { last: { outcome: 'ok' } },
      outbox: { oldestWaitingAgeSeconds: null },
    });
  });

  it('stays live and ready when LMPI never answered; /healthz names the poll once the grace is over', async () => {
    let clock = Date.now();
    const h = await start({ lmpiSecret: 'wrong-secret-key', pollIntervalMs: 60_000, now: () => clock });
    await firstPoll(h);
    expect((await getJson(`${h.bot.url}/livez`)).status).toBe(200);
    const health = await getJson(`${h.bot.url}/healthz`);
    expect(health).toMatchObject({
      status: 200,
      body: {
        status: 'down',
        lmpi: { reachable: false, error: { kind: 'credentials' } },
        poll: { last: { outcome: 'lmpi-error' } },
      },
    });
    expect(Object.keys(health.body.errors as object)).toContain('lmpi:credentials');
    expect((await getJson(`${h.bot.url}/healthz`)).body).toMatchObject({ failing: [] }); // first poll within its grace
    clock += 3 * 60_000 + 1_000;
    // LMPI is shared by every replica: it never takes this one out of the load balancer.
    expect(await getJson(`${h.bot.url}/readyz`)).toMatchObject({ status: 200, body: { ready: true, failing: [] } });
    const later = await getJson(`${h.bot.url}/healthz`);
    expect(later.body).toMatchObject({ ready: true, failing: ['poll'] });
    expect((later.body.checks as Record<string, { detail: string }>).poll?.detail).toMatch(/no successful poll/);
  });

  it('stays ready while an alert is dead in the outbox; /healthz names "alerts" and the channel is told once', async () => {
    const h = await start();
    await firstPoll(h);
    await h.bot.store.outbox.enqueue([
      {
        kind: 'lmpi-notice',
        key: 'dead-1',
        group: 'lmpi',
        destination: { notifier: 'nowhere', target: 'C1' },
        event: { kind: 'lmpi-unreachable', key: 'dead-1', at: 1, failures: 3, since: 1, reason: 'unreachable' },
        createdAt: 1,
      },
    ]);
    await h.bot.store.outbox.markDead(['dead-1'], 'refused');
    expect(await getJson(`${h.bot.url}/readyz`)).toMatchObject({ status: 200, body: { ready: true } });
    const health = await getJson(`${h.bot.url}/healthz`);
    expect(health.body).toMatchObject({ ready: true, failing: ['alerts'], outbox: { counts: { dead: 1 } } });
    const notice = (m: { kind: string; target: string; payload: Record<string, unknown> }) =>
      m.kind === 'chat.postMessage' && m.target === 'CALERTS' && String(m.payload.text).includes('dead letters');
    await h.bot.poller.poll();
    await h.slack.waitFor(notice, 5_000);
    await h.bot.poller.poll(); // the same outage: no second notice
    await new Promise((r) => setTimeout(r, 100));
    expect(h.slack.messages.filter(notice)).toHaveLength(1);
    expect(h.slack.messages.filter(notice)[0]?.payload.text).toContain('1 alert could not be delivered');
  });

  it('serves Prometheus metrics that promtool accepts, with LMPI, poll, product, outbox, Slack and command series', async () => {
    const h = await start();
    await firstPoll(h);
    await (await h.slash('')).reply();
    const response = await fetch(`${h.bot.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    const lint = promtool(text);
    const unexpected = lint.findings.filter((line) => !KNOWN_PROM_CLIENT_FINDINGS.includes(line));
    expect(unexpected).toEqual([]);
    expect(lint.status === 0 || lint.findings.length > 0).toBe(true); // exit 3 only for the known findings

    const sample = (pattern: RegExp) => text.split('\n').find((line) => pattern.test(line));
    expect(
      sample(
        /^licensewatch_lmpi_request_duration_seconds_count\{endpoint="\/LMPI\/v2\/partners\/product",outcome="ok"\} [1-9]/,
      ),
    ).toBeDefined();
    expect(sample(/^licensewatch_poll_duration_seconds_count\{outcome="ok"\} 1$/)).toBeDefined();
    expect(sample(/^licensewatch_poll_last_success_timestamp_seconds \d/)).toBeDefined();
    expect(sample(/^licensewatch_products\{level="critical"\} [1-9]/)).toBeDefined();
    expect(sample(/^licensewatch_product_available\{product_code="[^"]+"\} \d+/)).toBeDefined();
    expect(text.match(/^licensewatch_product_available\{/gm)?.length).toBe(64); // one per catalogue product
    expect(sample(/^licensewatch_alert_transitions_total\{level="critical"\} [1-9]/)).toBeDefined();
    expect(sample(/^licensewatch_outbox_rows\{notifier="slack",status="posted"\} [1-9]/)).toBeDefined();
    expect(sample(/^licensewatch_outbox_oldest_pending_age_seconds\{notifier="slack"\} 0$/)).toBeDefined();
    expect(sample(/^licensewatch_outbox_deliveries_total\{notifier="slack",outcome="delivered"\} [1-9]/)).toBeDefined();
    expect(
      sample(/^licensewatch_slack_api_calls_total\{method="chat\.postMessage",outcome="ok"\} [1-9]/),
    ).toBeDefined();
    expect(sample(/^licensewatch_slash_command_duration_seconds_count 1$/)).toBeDefined();
    expect(sample(/^process_resident_memory_bytes \d/)).toBeDefined();
  });

  it('counts LMPI errors by kind and failed attempts by outcome', async () => {
    const h = await start({ lmpiSecret: 'wrong-secret-key' });
    await firstPoll(h);
    const text = await (await fetch(`${h.bot.url}/metrics`)).text();
    expect(text).toMatch(/^licensewatch_lmpi_errors_total\{kind="credentials"\} [1-9]/m);
    expect(text).toMatch(
      /^licensewatch_lmpi_request_duration_seconds_count\{endpoint="[^"]+",outcome="http_error"\} [1-9]/m,
    );
    expect(text).toMatch(/^licensewatch_poll_duration_seconds_count\{outcome="lmpi_error"\} 1$/m);
  });

  it('asks for the bearer token on /metrics when METRICS_TOKEN is set, and keeps the probes open', async () => {
    const h = await start({ metricsToken: 'scrape-me-123' });
    expect((await fetch(`${h.bot.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${h.bot.url}/metrics`, { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
    const ok = await fetch(`${h.bot.url}/metrics`, { headers: { authorization: 'Bearer scrape-me-123' } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('licensewatch_products');
    expect((await fetch(`${h.bot.url}/livez`)).status).toBe(200);
    expect(h.logs.join('\n')).not.toContain('scrape-me-123');
  });
});
