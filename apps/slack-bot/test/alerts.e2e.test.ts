import { describeLmpiFailure } from '@licensewatch/client';
import type { ReceivedMessage } from '@licensewatch/slack-stand-in';
import { afterEach, describe, expect, it } from 'vitest';
import { healthyCatalogue } from './catalogues.js';
import { type Harness, posts, productLines, startHarness, text } from './harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function start(): Promise<Harness> {
  harness = await startHarness({ sandbox: { catalogue: healthyCatalogue() } });
  await harness.bot.poller.poll(); // baseline: every pool healthy
  return harness;
}

const updates = (h: Harness) => h.slack.messages.filter((m) => m.kind === 'chat.update');

function buttonOf(
  message: ReceivedMessage | undefined,
  prefix: string,
  productId?: string,
): { action_id: string; value: string } {
  const blocks = (message?.payload.blocks ?? []) as {
    type: string;
    elements?: { action_id: string; value: string }[];
  }[];
  const button = blocks
    .flatMap((b) => b.elements ?? [])
    .find((e) => e.action_id.startsWith(prefix) && (!productId || e.value === productId));
  if (!button) throw new Error(`no ${prefix} button in ${text(message)}`);
  return button;
}

describe('threshold alerts (sandbox → poller → Slack stand-in)', () => {
  it('keeps one message per episode: escalation and resolution edit it and reply in its thread, in order', async () => {
    const h = await start();
    expect(posts(h)).toHaveLength(0);
    h.sandbox.controls.setAvailable('TESTP0XXX', 80);
    await h.bot.poller.poll();
    h.sandbox.controls.setAvailable('TESTP0XXX', 10);
    await h.bot.poller.poll();
    await h.bot.poller.poll(); // still critical: nothing new
    h.sandbox.controls.setAvailable('TESTP0XXX', 500);
    await h.bot.poller.poll();

    const sent = posts(h);
    expect(sent.map((m) => m.payload.text)).toEqual([
      'Low: Test Product A',
      ':red_circle: *Test Product A* `TESTP0XXX` is now *Critical*: *10* available (critical at ≤ 20) · −70 since last poll',
      expect.stringContaining('recovered: 500 available'),
    ]);
    expect(text(sent[0])).toContain('*80* available (low at ≤ 100)');
    const [episode, escalation, resolution] = sent;
    expect(episode?.payload.thread_ts).toBeUndefined();
    expect(escalation?.payload.thread_ts).toBe(episode?.ts);
    expect(resolution?.payload.thread_ts).toBe(episode?.ts);
    // The episode's message itself reads critical after the escalation, recovered at the end.
    const edits = updates(h).filter((m) => m.ts === episode?.ts);
    expect(text(edits[0])).toContain('*10* available (critical at ≤ 20) · −70 since last poll');
    expect(text(edits.at(-1))).toContain('recovered: 500 available');
    expect(sent.every((m) => m.violations.length === 0)).toBe(true);
    // Reaching critical (only that) shares the 30-day chart in the episode's thread.
    await h.slack.waitFor((m) => m.kind === 'files.completeUploadExternal');
    const charts = h.slack.messages.filter((m) => m.kind === 'files.completeUploadExternal');
    expect(charts.map((m) => [m.target, m.payload.thread_ts])).toEqual([['CALERTS', episode?.ts]]);
    const shared = (charts[0]?.payload.files as { id: string }[] | undefined)?.[0];
    expect(
      h.slack.files.byId
        .get(shared?.id ?? '')
        ?.bytes?.subarray(1, 4)
        .toString('latin1'),
    ).toBe('PNG');
    expect(await h.bot.store.outbox.counts()).toEqual({ posted: 3 });
  });

  it('puts several crossings of one poll into one digest message', async () => {
    const h = await start();
    h.sandbox.controls.setAvailable('TESTP0XXX', 50);
    h.sandbox.controls.setAvailable('TESTP1XXX', 5);
    await h.bot.poller.poll();
    expect(posts(h).map((m) => m.payload.text)).toEqual(['2 license pools need attention (1 critical)']);
  });

  it('turns three failed polls into one unreachable alert and one resolution, and no threshold alert', async () => {
    const h = await start();
    h.sandbox.controls.injectFault({ kind: 'internal-error', forMs: 600_000 });
    for (let i = 0; i < 4; i += 1) await h.bot.poller.poll();
    h.sandbox.controls.clearFaults();
    await h.bot.poller.poll();
    expect(posts(h).map((m) => m.payload.text)).toEqual([
      'LMPI unreachable',
      expect.stringContaining('LMPI answers again'),
    ]);
    expect(text(posts(h)[0])).toContain('counts are not assumed to be zero');
  });

  it('says why LMPI fails in the same words in the channel notice, /licenses and Home', async () => {
    const h = await start();
    h.sandbox.controls.injectFault({ kind: 'internal-error', forMs: 600_000 });
    for (let i = 0; i < 3; i += 1) await h.bot.poller.poll();
    const words = describeLmpiFailure('server').reason; // the CLI test asserts the same words
    expect(words).toBe('LMPI had an internal error');
    expect(text(posts(h)[0])).toContain(`LMPI has failed 3 polls in a row: ${words}.`);
    expect(text(posts(h)[0])).not.toContain('(server)');
    const reply = await (await h.slash('')).reply();
    expect(JSON.stringify(reply)).toContain(`${words}: showing data from`);
    const before = h.slack.messages.length;
    expect((await h.event({ type: 'app_home_opened', user: 'UHOME', tab: 'home', event_ts: '1.1' })).status).toBe(200);
    const home = await h.slack.waitFor(
      (m) => m.kind === 'views.publish' && m.target === 'UHOME' && h.slack.messages.indexOf(m) >= before,
    );
    expect(JSON.stringify(home.payload)).toContain(`:warning: LMPI: ${words}`);
  });

  it('snoozes and acknowledges from the alert buttons', async () => {
    const h = await start();
    h.sandbox.controls.setAvailable('TESTP0XXX', 80);
    h.sandbox.controls.setAvailable('TESTP1XXX', 60);
    await h.bot.poller.poll();
    const digest = posts(h)[0];
    const snooze = await h.click(buttonOf(digest, 'alert_snooze_1d', healthyCatalogue()[0]?.product_id));
    expect(snooze.status).toBe(200);
    await h.slack.waitFor((m) => m.kind === 'chat.update' && text(m).includes('snoozed by <@ULOCALUSER> for 1 day'));
    const snoozed = [...(await h.bot.store.engine.load()).products.values()].find((p) => p.productCode === 'TESTP0XXX');
    expect(snoozed?.mutedUntil).toBeGreaterThan(Date.now() + 86_000_000);

    const productB = healthyCatalogue()[1]?.product_id;
    const ackButton = ((digest?.payload.blocks ?? []) as { elements?: { action_id: string; value: string }[] }[])
      .flatMap((b) => b.elements ?? [])
      .find((e) => e.action_id.startsWith('alert_ack') && e.value === productB);
    if (!ackButton) throw new Error('no Acknowledge button for product B');
    const acked = await h.click(ackButton);
    expect(acked.status).toBe(200);
    await h.slack.waitFor((m) => m.kind === 'chat.update' && text(m).includes('acknowledged by <@ULOCALUSER>'));

    h.sandbox.controls.setAvailable('TESTP0XXX', 5); // critical, but snoozed: silent
    await h.bot.poller.poll();
    // No new alert; the snooze and the acknowledgement are noted in the digest's thread.
    expect(posts(h).map((m) => [m.payload.text, m.payload.thread_ts])).toEqual([
      [digest?.payload.text, undefined],
      [':zzz: *Test Product A* `TESTP0XXX` snoozed by <@ULOCALUSER> for 1 day', digest?.ts],
      [
        ':white_check_mark: *Test Product B* `TESTP1XXX` acknowledged by <@ULOCALUSER>: no reminders until it recovers',
        digest?.ts,
      ],
    ]);
    const audit = await h.bot.store.rules.recentAudit(5);
    // A snooze is a mute chosen on a button: buttons and /licenses mute share one audit vocabulary.
    expect(audit.map((a) => a.action).sort()).toEqual(['alert.acknowledge', 'alert.mute']);
  });

  it('audits acknowledging a snoozed product as an acknowledgement, in the same change', async () => {
    const h = await start();
    h.sandbox.controls.setAvailable('TESTP0XXX', 80);
    await h.bot.poller.poll();
    const digest = posts(h)[0];
    const productA = healthyCatalogue()[0]?.product_id;
    await h.click(buttonOf(digest, 'alert_snooze_1h', productA));
    await h.click(buttonOf(digest, 'alert_ack', productA));
    const [ack, snooze] = await h.bot.store.rules.recentAudit(2);
    expect(snooze).toMatchObject({ action: 'alert.mute', target: 'TESTP0XXX', oldValue: null });
    expect(ack).toMatchObject({
      action: 'alert.acknowledge',
      target: 'TESTP0XXX',
      oldValue: { acknowledged: false },
      newValue: { acknowledged: true },
    });
    const state = [...(await h.bot.store.engine.load()).products.values()].find((p) => p.productCode === 'TESTP0XXX');
    expect(state).toMatchObject({ acknowledged: true });
    expect(state?.mutedUntil).toBeGreaterThan(Date.now());
  });

  it('refuses a mute longer than a year, clearly, and changes nothing', async () => {
    const h = await start();
    await h.bot.poller.poll();
    const refused = await (await h.slash('mute TESTP1XXX 99999999w', { user: 'UADMIN' })).reply();
    expect(refused.payload.text).toContain('A mute can last at most a year');
    const state = [...(await h.bot.store.engine.load()).products.values()].find((p) => p.productCode === 'TESTP1XXX');
    expect(state?.mutedUntil).toBeUndefined();
    expect(await h.bot.store.rules.recentAudit(5)).toEqual([]);

    const muted = await (await h.slash('mute TESTP1XXX 52w', { user: 'UADMIN' })).reply();
    expect(muted.payload.text).toContain('muted for');
    const [entry] = await h.bot.store.rules.recentAudit(1);
    expect(entry).toMatchObject({ action: 'alert.mute', actor: 'UADMIN', target: 'TESTP1XXX' });
  });

  it('shows the runway in /licenses once the history shows a downward trend, and rates by it', async () => {
    let clock = Date.now();
    harness = await startHarness({ sandbox: { catalogue: healthyCatalogue() }, now: () => clock });
    const h = harness;
    for (const available of [480, 440, 400, 360, 320]) {
      h.sandbox.controls.setAvailable('TESTP0XXX', available);
      await h.bot.poller.poll();
      clock += 3 * 3_600_000; // a poll every 3 hours: 40 licenses gone each time, 320 a day
    }
    const reply = await (await h.slash('Test Product A')).reply();
    // 320 left at 320 a day: about one day to zero expected; from 12 hours of readings the
    // pessimistic end (what runway levels use, and what the list shows) is under a day, inside the
    // 3-day critical runway.
    const [line] = productLines(reply);
    expect(line).toMatch(/^:red_circle: \*Test Product A\* `TESTP0XXX` · 320 · `[▁-█ ]{14}` · \*&lt;1 d\*$/);
    const healthy = await (await h.slash('Test Product B')).reply();
    // Flat: full bars and no runway.
    expect(productLines(healthy)[0]).toMatch(
      /^:large_green_circle: \*Test Product B\* `TESTP1XXX` · 500 · `[ █]{14}`$/,
    );
  });

  it('lets admins change thresholds, audited, and refuses others politely', async () => {
    const h = await start();
    const refused = await (await h.slash('threshold TESTP0XXX 600 100', { user: 'UINTRUDER' })).reply();
    expect(refused.payload.text).toBe('Sorry, only licensewatch admins can change thresholds or mute alerts.');
    expect(await h.bot.store.rules.overrides()).toEqual([]);

    const accepted = await (await h.slash('threshold testp0xxx 600 100', { user: 'UADMIN' })).reply();
    expect(accepted.payload.text).toContain('low at ≤ 600, critical at ≤ 100');
    await h.bot.poller.poll(); // takes effect at the next poll: 500 is now low
    expect(posts(h).map((m) => m.payload.text)).toEqual(['Low: Test Product A']);

    const list = await (await h.slash('threshold list')).reply();
    expect(text(list)).toContain('TESTP0XXX* (set by <@UADMIN>');
    expect(text(list)).toContain('<@UADMIN> set the levels of *TESTP0XXX*: low ≤ 600, critical ≤ 100 (was: none)');
    expect(text(list)).toMatch(/<!date\^\d+\^\{date_short_pretty\} \{time\}\|[^>]+ UTC> <@UADMIN> set the levels/);
    expect(text(list)).not.toContain('{\\"low');

    const usage = await (await h.slash('threshold TESTP0XXX lots', { user: 'UADMIN' })).reply();
    expect(usage.payload.text).toContain('Levels are whole numbers of licenses');
    const muted = await (await h.slash('mute TESTP1XXX 2h', { user: 'UADMIN' })).reply();
    expect(muted.payload.text).toContain('muted for 2 h');
  });
});
