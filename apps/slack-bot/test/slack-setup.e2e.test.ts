// Slack as it really is (issue 11): a fresh install from manifest.yml, channels the bot is not in,
// rate limits, refusals, and buttons on older alerts - against the strict stand-in.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReceivedMessage } from '@licensewatch/slack-stand-in';
import { afterEach, describe, expect, it } from 'vitest';
import type { HealthReport } from '../src/ops/health.js';
import { healthyCatalogue } from './catalogues.js';
import {
  ALERTS_CHANNEL,
  assertNoAppErrors,
  buttons,
  type Harness,
  type HarnessOptions,
  posts,
  startHarness,
  text,
} from './harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function start(options: HarnessOptions = {}): Promise<Harness> {
  harness = await startHarness({ sandbox: { catalogue: healthyCatalogue() }, ...options });
  await harness.bot.poller.poll(); // baseline: every pool healthy
  return harness;
}

const health = async (h: Harness) => (await (await fetch(`${h.bot.url}/healthz`)).json()) as HealthReport;

function rulesFile(yaml: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'licensewatch-slack-')), 'thresholds.yaml');
  writeFileSync(file, yaml);
  return file;
}

describe('a fresh install from the manifest', () => {
  it('joins the public alert channel it was not in, and reports a private one it was not invited to without looping', async () => {
    const thresholdsFile = rulesFile(
      'default: { low: 100, critical: 20 }\nproducts:\n  - match: TESTP1XXX\n    channel: CPRIVATE\n',
    );
    const h = await start({
      thresholdsFile,
      channels: [ALERTS_CHANNEL, { id: 'CPRIVATE', name: 'network-team', private: true }],
    });
    expect(h.slack.botIsMember('CALERTS')).toBe(true);
    expect(h.slack.botIsMember('CPRIVATE')).toBe(false);
    const report = await health(h);
    expect(report.status).toBe('degraded');
    const problem = report.alertChannels.find((p) => p.channel === 'CPRIVATE')?.problem ?? '';
    expect(problem).toContain('invite @licensewatch to');
    expect(h.logs.join('')).toContain('alert channel not usable');

    h.sandbox.controls.setAvailable('TESTP0XXX', 80); // → public #alerts
    h.sandbox.controls.setAvailable('TESTP1XXX', 80); // → private #network-team
    await h.bot.poller.poll();
    await h.bot.poller.poll();
    const [alert, notice, ...more] = posts(h).map((m) => String(m.payload.text));
    expect(alert).toBe('Low: Test Product A');
    // The dead letter is announced once in the alert channel (ops/outage-notices.ts), not per poll.
    expect(notice).toContain('1 alert could not be delivered');
    expect(more).toEqual([]);
    expect(posts(h, 'CPRIVATE')).toEqual([]);
    // One attempt, then a dead letter: not a retry loop.
    expect(h.slack.refused.filter((r) => r.channel === 'CPRIVATE' && r.method === 'chat.postMessage')).toHaveLength(1);
    const dead = await h.bot.store.outbox.list(['dead']);
    expect(dead.map((r) => [r.destination.target, r.attempts, r.lastError])).toEqual([
      ['CPRIVATE', 1, 'Slack: channel_not_found'],
    ]);
    expect((await health(h)).outbox?.counts.dead).toBe(1);

    const listed = await (await h.slash('alerts')).reply();
    expect(text(listed)).toContain('Dead letters');
    expect(text(listed)).toContain('Low: *Test Product B*');
    expect(text(listed)).toContain('<#CPRIVATE>');
    expect(text(listed)).toContain('<!date^');

    // Invited at last: an admin re-queues the dead letter and it arrives, audited.
    h.slack.createChannel({ id: 'CPRIVATE', name: 'network-team', private: true, botIsMember: true });
    const refused = await (await h.slash('alerts retry', { user: 'UINTRUDER' })).reply();
    expect(refused.payload.text).toBe('Sorry, only licensewatch admins can retry dead alerts.');
    const retried = await (await h.slash('alerts retry', { user: 'UADMIN' })).reply();
    expect(retried.payload.text).toContain('Re-queued 1 dead letter;');
    await h.slack.waitFor((m) => m.kind === 'chat.postMessage' && m.target === 'CPRIVATE');
    expect(posts(h, 'CPRIVATE').map((m) => m.payload.text)).toEqual(['Low: Test Product B']);
    expect((await h.bot.store.rules.recentAudit(1)).map((a) => [a.action, a.actor])).toEqual([
      ['alerts.retry', 'UADMIN'],
    ]);
  });

  it('fails loudly when the bot calls a method whose scope the manifest lacks', async () => {
    const { manifestBotScopes } = await import('@licensewatch/slack-stand-in');
    const { MANIFEST_PATH } = await import('../src/manifest-path.js');
    const h = await start({
      scopes: manifestBotScopes(MANIFEST_PATH).filter((s) => s !== 'channels:join'),
      allowAppErrors: true,
    });
    expect(() => assertNoAppErrors(h.slack)).toThrow(
      /conversations\.join → missing_scope \(needs channels:join: add it to manifest\.yml\)/,
    );
    const refusal = h.slack.refused.find((r) => r.error === 'missing_scope');
    expect(refusal?.needed).toBe('channels:join');
    expect((await health(h)).alertChannels[0]?.problem).toContain('reinstall the app from manifest.yml');
  });
});

describe('delivery that never stalls silently', () => {
  it('waits out 429 Retry-After: 2 on the first three posts, then delivers every alert once, in order', async () => {
    const h = await start();
    h.slack.failNext('chat.postMessage', { ratelimited: 2 }, { ratelimited: 2 }, { ratelimited: 2 });
    for (const [code, available] of [
      ['TESTP0XXX', 80],
      ['TESTP1XXX', 70],
      ['TESTP2XXX', 60],
    ] as const) {
      h.sandbox.controls.setAvailable(code, available);
      await h.bot.poller.poll();
    }
    await h.slack.waitFor((m) => m.kind === 'chat.postMessage' && m.payload.text === 'Low: Test Product C', 30_000);
    await new Promise((resolve) => setTimeout(resolve, 300)); // a duplicate, if any, would arrive now
    expect(posts(h).map((m) => m.payload.text)).toEqual([
      'Low: Test Product A',
      'Low: Test Product B',
      'Low: Test Product C',
    ]);
    const limited = h.slack.refused.filter((r) => r.error === 'ratelimited');
    expect(limited).toHaveLength(3);
    // Every post came at least Retry-After (2 s) after the 429 before it.
    for (const post of posts(h)) {
      const before = limited.filter((r) => r.at <= post.receivedAt).at(-1);
      if (before) expect(post.receivedAt - before.at).toBeGreaterThanOrEqual(2_000);
    }
    expect(await h.bot.store.outbox.counts()).toEqual({ posted: 3 });
  }, 40_000);

  it('makes a channel_not_found post a dead letter after one attempt, shown in /healthz and the log', async () => {
    const h = await start();
    h.slack.failNext('chat.postMessage', { error: 'channel_not_found' });
    h.sandbox.controls.setAvailable('TESTP0XXX', 10);
    await h.bot.poller.poll();
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // a retry, if any, would be due
    // One attempt at the alert, then one dead-letter notice (ops/outage-notices.ts): no retry.
    expect(h.slack.calls.get('chat.postMessage')).toBe(2);
    expect(posts(h).map((m) => String(m.payload.text))).toEqual([expect.stringContaining('could not be delivered')]);
    expect((await h.bot.store.outbox.list(['dead'])).map((r) => [r.attempts, r.lastError])).toEqual([
      [1, 'Slack: channel_not_found'],
    ]);
    const report = await health(h);
    expect(report.outbox?.counts).toMatchObject({ dead: 1 });
    expect(report.status).toBe('degraded');
    expect(h.logs.join('')).toContain('now a dead letter');
  });

  it('gives up after OUTBOX_MAX_ATTEMPTS transient failures', async () => {
    const h = await start({ maxAttempts: 2 });
    h.slack.failNext('chat.postMessage', { error: 'internal_error' }, { error: 'internal_error' });
    h.sandbox.controls.setAvailable('TESTP0XXX', 10);
    await h.bot.poller.poll();
    await new Promise((resolve) => setTimeout(resolve, 2_500)); // first retry after 1–1.5 s
    expect(h.slack.calls.get('chat.postMessage')).toBe(2);
    expect((await h.bot.store.outbox.list(['dead'])).map((r) => [r.attempts, r.lastError])).toEqual([
      [2, 'Slack: internal_error'],
    ]);
  });
});

describe('who gets told', () => {
  it('mentions the rule’s people and groups on critical alerts only, never anything from LMPI data', async () => {
    const thresholdsFile = rulesFile('default: { low: 100, critical: 20, mention: [U0ONCALL, S0NETOPS, here] }\n');
    const catalogue = healthyCatalogue();
    if (catalogue[1]) catalogue[1].product_name = 'Evil <!channel> <@U0BOSS> Suite';
    harness = await startHarness({ sandbox: { catalogue }, thresholdsFile });
    const h = harness;
    await h.bot.poller.poll();
    h.sandbox.controls.setAvailable('TESTP1XXX', 80);
    await h.bot.poller.poll(); // low: nobody is mentioned
    h.sandbox.controls.setAvailable('TESTP1XXX', 10);
    await h.bot.poller.poll(); // critical: the escalation reply mentions the rule's people
    h.sandbox.controls.setAvailable('TESTP0XXX', 5);
    await h.bot.poller.poll(); // a new critical alert mentions them too
    const [low, escalation, critical] = posts(h);
    expect(text(low)).not.toMatch(/<@U0ONCALL>|<!here>/);
    expect(escalation?.payload.text).toContain('is now *Critical*');
    expect(escalation?.payload.text).toContain('<@U0ONCALL> <!subteam^S0NETOPS> <!here>');
    expect(critical?.payload.text).toBe('Critical: Test Product A <@U0ONCALL> <!subteam^S0NETOPS> <!here>');
    expect(text(critical)).toContain(':rotating_light: <@U0ONCALL> <!subteam^S0NETOPS> <!here>');
    // The product name is LMPI data: escaped wherever Slack reads markup (fallback text and mrkdwn;
    // the plain_text header cannot mention), so it can never mention anyone.
    const markup = (m: ReceivedMessage) =>
      `${m.payload.text} ${JSON.stringify(((m.payload.blocks ?? []) as { type: string }[]).filter((b) => b.type !== 'header'))}`;
    const all = [...posts(h), ...h.slack.messages.filter((m) => m.kind === 'chat.update')].map(markup).join(' ');
    expect(all).not.toContain('<!channel>');
    expect(all).not.toContain('<@U0BOSS>');
    expect(all).toContain('&lt;!channel&gt;');
  });
});

describe('alert buttons act on the message clicked', () => {
  it('snoozes from an older alert while a newer one exists: the clicked message changes and loses its buttons', async () => {
    const h = await start();
    h.sandbox.controls.setAvailable('TESTP0XXX', 80);
    await h.bot.poller.poll(); // episode 1
    h.sandbox.controls.setAvailable('TESTP0XXX', 500);
    await h.bot.poller.poll(); // resolved
    h.sandbox.controls.setAvailable('TESTP0XXX', 10);
    await h.bot.poller.poll(); // episode 2: a new message
    const [older, newer] = posts(h).filter((m) => !m.payload.thread_ts);
    expect([older?.payload.text, newer?.payload.text]).toEqual(['Low: Test Product A', 'Critical: Test Product A']);
    const before = h.slack.messages.length;
    const snooze = buttons(older as ReceivedMessage).find((b) => b.action_id.startsWith('alert_snooze_1h'));
    if (!snooze) throw new Error('no Snooze button on the older alert');
    // The older message still shows its buttons to someone whose client has not refreshed.
    expect((await h.click(snooze, older)).status).toBe(200);
    const edit = await h.slack.waitFor((m) => m.kind === 'chat.update' && h.slack.messages.indexOf(m) >= before);
    expect(edit.ts).toBe(older?.ts);
    expect(text(edit)).toContain('snoozed by <@ULOCALUSER> for 1 hour');
    expect(buttons(edit)).toEqual([]);
    expect(h.slack.messages.filter((m) => m.kind === 'chat.update' && m.ts === newer?.ts)).toEqual([]);
  });

  it('gives each product of a digest its own episode: an escalation edits its section and replies in the digest thread', async () => {
    const h = await start();
    h.sandbox.controls.setAvailable('TESTP0XXX', 80);
    h.sandbox.controls.setAvailable('TESTP1XXX', 90);
    await h.bot.poller.poll();
    h.sandbox.controls.setAvailable('TESTP1XXX', 15);
    await h.bot.poller.poll();
    const [digest, reply] = posts(h);
    expect(digest?.payload.text).toBe('2 license pools need attention');
    expect(reply?.payload.thread_ts).toBe(digest?.ts);
    expect(reply?.payload.text).toContain('*Test Product B* `TESTP1XXX` is now *Critical*: *15* available');
    const edit = h.slack.messages.find((m) => m.kind === 'chat.update' && m.ts === digest?.ts);
    expect(text(edit)).toContain('*15* available (critical at ≤ 20)');
    expect(text(edit)).toContain('*80* available (low at ≤ 100)'); // product A's section is untouched
    expect(posts(h).filter((m) => !m.payload.thread_ts)).toHaveLength(1);
  });

  it('reminds in the episode thread instead of posting a new alert', async () => {
    const thresholdsFile = rulesFile('default: { low: 100, critical: 20 }\nrenotify: 1ms\n');
    const h = await start({ thresholdsFile });
    h.sandbox.controls.setAvailable('TESTP0XXX', 80);
    await h.bot.poller.poll();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await h.bot.poller.poll();
    const sent = posts(h);
    expect(sent.map((m) => m.payload.text)).toEqual([
      'Low: Test Product A',
      ':bell: Reminder: *Test Product A* `TESTP0XXX` is still *Low*: *80* available (low at ≤ 100) · no change since last poll',
    ]);
    expect(sent[1]?.payload.thread_ts).toBe(sent[0]?.ts);
  });

  it('lets only admins press them when ALERT_ACTIONS=admins', async () => {
    const h = await start({ alertActions: 'admins' });
    h.sandbox.controls.setAvailable('TESTP0XXX', 80);
    await h.bot.poller.poll();
    const [alert] = posts(h);
    const ack = buttons(alert as ReceivedMessage).find((b) => b.action_id.startsWith('alert_ack'));
    if (!ack) throw new Error('no Acknowledge button');
    const refused = await h.click(ack, alert);
    expect((await refused.reply()).payload.text).toContain('only licensewatch admins can snooze or acknowledge');
    expect(await h.bot.store.rules.recentAudit(5)).toEqual([]);
    expect(h.slack.messages.filter((m) => m.kind === 'chat.update')).toEqual([]);
  });
});
