import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSandbox } from '@licensewatch/lmpi-sandbox';
import type { ReceivedMessage } from '@licensewatch/slack-stand-in';
import { startSlackStandIn } from '@licensewatch/slack-stand-in';
import { openStore } from '@licensewatch/store';
import { freshDatabaseUrl } from '@licensewatch/store/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { MANIFEST_PATH } from '../src/manifest-path.js';
import { healthyCatalogue } from './catalogues.js';
import { type FakePagerDuty, startFakePagerDuty } from './fake-pagerduty.js';
import { ALERTS_CHANNEL, assertNoAppErrors, type Harness, posts, startHarness, text } from './harness.js';
import { botEnv, spawnBot, until } from './processes.js';

const ROUTING_KEY = 'R0UT1NGKEYR0UT1NGKEYR0UT1NGKEY32';
const PRODUCT_A = healthyCatalogue()[0]?.product_id ?? '';

let cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

async function start(options: { thresholdsFile?: string } = {}): Promise<{ h: Harness; pd: FakePagerDuty }> {
  const pd = await startFakePagerDuty();
  const h = await startHarness({
    sandbox: { catalogue: healthyCatalogue() },
    pagerduty: { routingKey: ROUTING_KEY, eventsUrl: pd.url },
    ...options,
  });
  cleanups.push(
    () => pd.close(),
    () => h.close(),
  );
  await h.bot.poller.poll(); // baseline: every pool healthy
  return { h, pd };
}

const actions = (pd: FakePagerDuty) => pd.accepted.map((e) => `${e.event_action}:${e.dedup_key}`);

function ackButton(message: ReceivedMessage | undefined, productId: string): { action_id: string; value: string } {
  const blocks = (message?.payload.blocks ?? []) as { elements?: { action_id: string; value: string }[] }[];
  const button = blocks
    .flatMap((b) => b.elements ?? [])
    .find((e) => e.action_id.startsWith('alert_ack') && e.value === productId);
  if (!button) throw new Error(`no Acknowledge button in ${text(message)}`);
  return button;
}

describe('PagerDuty Events API v2 (real Bolt app, SQLite store, fake Events endpoint)', () => {
  it('triggers once per episode on critical, resolves on recovery, and opens a new alert next time', async () => {
    const { h, pd } = await start();
    h.sandbox.controls.setAvailable('TESTP0XXX', 80);
    await h.bot.poller.poll(); // low: Slack only (rules page on critical by default)
    expect(pd.requests).toHaveLength(0);
    h.sandbox.controls.setAvailable('TESTP0XXX', 10);
    await h.bot.poller.poll();
    await h.bot.poller.poll(); // still critical: nothing new
    h.sandbox.controls.setAvailable('TESTP0XXX', 500);
    await h.bot.poller.poll();
    h.sandbox.controls.setAvailable('TESTP0XXX', 5);
    await h.bot.poller.poll();

    const [trigger, resolve, next] = pd.accepted;
    expect(pd.accepted.map((e) => e.event_action)).toEqual(['trigger', 'resolve', 'trigger']);
    expect(resolve?.dedup_key).toBe(trigger?.dedup_key);
    expect(next?.dedup_key).not.toBe(trigger?.dedup_key);
    expect(trigger?.routing_key).toBe(ROUTING_KEY);
    expect(trigger?.payload).toMatchObject({
      severity: 'critical',
      summary: 'Critical license pool: Test Product A (TESTP0XXX) has 10 licenses available (critical at ≤ 20)',
      source: new URL(h.sandbox.url).host,
      custom_details: { product_code: 'TESTP0XXX', available: 10, previous_available: 80, threshold: 20 },
    });
    expect(pd.alerts.get(trigger?.dedup_key ?? '')).toEqual({ status: 'resolved', triggers: 1 });
    // Slack: one message per episode (the escalation and the recovery reply in its thread).
    expect(posts(h).map((m) => m.payload.text)).toEqual([
      'Low: Test Product A',
      expect.stringContaining('is now *Critical*'),
      expect.stringContaining('recovered: 500 available'),
      'Critical: Test Product A',
    ]);
    expect(posts(h).map((m) => m.payload.thread_ts)).toEqual([undefined, posts(h)[0]?.ts, posts(h)[0]?.ts, undefined]);
    expect(h.logs.join('')).not.toContain(ROUTING_KEY);
  });

  it('pages on low too for a rule with pagerduty: low', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'licensewatch-pd-'));
    const thresholdsFile = join(dir, 'thresholds.yaml');
    writeFileSync(
      thresholdsFile,
      'default: { low: 100, critical: 20 }\nproducts:\n  - match: TESTP1XXX\n    pagerduty: low\n',
    );
    const { h, pd } = await start({ thresholdsFile });
    h.sandbox.controls.setAvailable('TESTP0XXX', 80);
    h.sandbox.controls.setAvailable('TESTP1XXX', 80);
    await h.bot.poller.poll();
    expect(
      pd.accepted.map((e) => [e.event_action, e.payload?.severity, e.payload?.custom_details?.product_code]),
    ).toEqual([['trigger', 'warning', 'TESTP1XXX']]); // PagerDuty's own severity word
  });

  it('acknowledges the PagerDuty alert when Acknowledge is pressed in Slack, and not on snooze', async () => {
    const { h, pd } = await start();
    h.sandbox.controls.setAvailable('TESTP0XXX', 10);
    h.sandbox.controls.setAvailable('TESTP1XXX', 5);
    await h.bot.poller.poll();
    const digest = posts(h)[0];
    const snooze = ackButton(digest, healthyCatalogue()[1]?.product_id ?? '');
    await h.click({ ...snooze, action_id: snooze.action_id.replace('alert_ack', 'alert_snooze_1h') });
    await h.slack.waitFor((m) => m.kind === 'chat.update' && text(m).includes('snoozed by <@ULOCALUSER> for 1 hour'));
    expect(pd.accepted.map((e) => e.event_action)).toEqual(['trigger', 'trigger']);

    const clicked = await h.click(ackButton(digest, PRODUCT_A));
    expect(clicked.status).toBe(200);
    await h.slack.waitFor((m) => m.kind === 'chat.update' && text(m).includes('acknowledged by <@ULOCALUSER>'));
    await until(() => pd.accepted.length === 3, 5_000, 'the acknowledge event');
    const triggerA = pd.accepted.find((e) => e.payload?.custom_details?.product_code === 'TESTP0XXX');
    expect(pd.accepted[2]).toEqual({
      routing_key: ROUTING_KEY,
      event_action: 'acknowledge',
      dedup_key: triggerA?.dedup_key,
    });
    expect(pd.alerts.get(triggerA?.dedup_key ?? '')?.status).toBe('acknowledged');
  });

  it('retries 429 and 5xx with growing delays without holding Slack up, and gives up on 400 with its message', async () => {
    const { h, pd } = await start();
    pd.failNext(429, 503);
    h.sandbox.controls.setAvailable('TESTP0XXX', 10);
    const started = Date.now();
    await h.bot.poller.poll();
    expect(posts(h).map((m) => m.payload.text)).toEqual(['Critical: Test Product A']); // Slack did not wait
    expect(pd.requests.map((r) => r.status)).toEqual([429]);
    await until(() => pd.accepted.length === 1, 10_000, 'the trigger to get through');
    expect(pd.requests.map((r) => r.status)).toEqual([429, 503, 202]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(3_000); // waited 1 s, then 2 s

    pd.failNext(400);
    h.sandbox.controls.setAvailable('TESTP1XXX', 5);
    await h.bot.poller.poll();
    await h.bot.poller.poll();
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // a retry, if any, would be due
    await h.bot.poller.poll();
    expect(pd.requests.map((r) => r.status)).toEqual([429, 503, 202, 400]);
    // The two alerts, and one notice for the dead letter PagerDuty's 400 left (ops/outage-notices.ts).
    expect(posts(h).map((m) => m.payload.text)).toEqual([
      'Critical: Test Product A',
      'Critical: Test Product B',
      expect.stringContaining('1 alert could not be delivered'),
    ]);
    const failed = (await h.bot.store.outbox.list()).filter((row) => row.status === 'dead');
    expect(failed.map((row) => [row.destination.notifier, row.lastError])).toEqual([
      ['pagerduty', 'PagerDuty 400: Event object is invalid (Length of routing_key is incorrect)'],
    ]);
    expect(h.logs.join('')).toContain('Event object is invalid');
    expect(h.logs.join('')).not.toContain(ROUTING_KEY);
  });
});

describe('PagerDuty across a crash (SIGKILL between recording and sending)', () => {
  it.each([
    ['before PagerDuty received the trigger', false],
    ['after PagerDuty received the trigger but before it was recorded', true],
  ])(
    'opens exactly one alert for the episode when the bot dies %s, and resolves it after recovery',
    async (_when, pdGotIt) => {
      const slack = await startSlackStandIn({
        manifest: MANIFEST_PATH,
        botToken: 'xoxb-process-test',
        channels: [ALERTS_CHANNEL],
      });
      const sandbox = await createSandbox({ catalogue: healthyCatalogue() });
      const pd = await startFakePagerDuty();
      const db = await freshDatabaseUrl('sqlite');
      cleanups.push(
        () => assertNoAppErrors(slack),
        () => slack.close(),
        () => sandbox.close(),
        () => pd.close(),
        db.drop,
      );
      const env = botEnv(slack, sandbox, db.url, {
        PAGERDUTY_ROUTING_KEY: ROUTING_KEY,
        PAGERDUTY_EVENTS_URL: pd.url,
      });
      sandbox.controls.setAvailable('TESTP0XXX', 10);
      pd.hold({ record: pdGotIt });
      const first = await spawnBot(env); // its first poll, at start, records the alert and sends it
      cleanups.push(() => first.child.kill('SIGKILL'));
      await until(() => pd.requests.length >= 1, 10_000, 'the trigger to be sent');
      first.child.kill('SIGKILL');
      await first.exited;
      expect(pd.accepted).toHaveLength(pdGotIt ? 1 : 0);

      pd.hold(false);
      const store = openStore(db.url);
      cleanups.push(() => store.close());
      // The dead bot's poller lease would expire after 2 × POLL_INTERVAL; expire it now so the
      // restarted bot polls (and sees the recovery) within the test.
      await store.lease.tryTake('poller', 'test', 0, Date.now() + 86_400_000);
      await store.lease.release('poller', 'test');
      await new Promise((resolve) => setTimeout(resolve, 1_100)); // let the dead claim go stale
      const second = await spawnBot({ ...env, POLL_INTERVAL: '300ms' });
      cleanups.push(() => second.child.kill('SIGKILL'));
      const pdRow = async () => (await store.outbox.list()).find((row) => row.destination.notifier === 'pagerduty');
      await until(async () => (await pdRow())?.status === 'posted', 10_000, 'the trigger to be delivered');
      expect(pd.alerts.size).toBe(1);
      const [dedupKey] = pd.alerts.keys();
      expect(actions(pd)).toEqual(pdGotIt ? [`trigger:${dedupKey}`, `trigger:${dedupKey}`] : [`trigger:${dedupKey}`]);

      sandbox.controls.setAvailable('TESTP0XXX', 500);
      await until(() => pd.alerts.get(dedupKey ?? '')?.status === 'resolved', 10_000, 'the resolve');
      expect(pd.alerts.size).toBe(1);
      // Slack is paced per channel and delivered alongside PagerDuty: its thread reply may come later.
      await slack.waitFor((m) => m.kind === 'chat.postMessage' && String(m.payload.text).includes('recovered'));
      expect(posts(slack).map((m) => m.payload.text)).toEqual([
        'Critical: Test Product A',
        expect.stringContaining('recovered: 500 available'),
      ]);
    },
  );
});
