// Fault cases 6 and 7: absurd mute durations are refused clearly (nothing stored, no audit, no
// handler crash), and acknowledging a snoozed product is audited as an acknowledgement, in the same
// transaction as the change.
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_MUTE_MS, muteDurationProblem } from '../../src/alerts/admin-actions.js';
import { healthyCatalogue } from '../catalogues.js';
import { buttons, type Harness, posts, startHarness } from '../harness.js';
import { NONE, reportFault } from './fault-summary.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const handlerFailures = (h: Harness) => h.logs.filter((l) => l.includes('slack handler failed')).length;
const stateOf = async (h: Harness, code: string) =>
  [...(await h.bot.store.engine.load()).products.values()].find((p) => p.productCode === code);

describe('fault 6: mute durations are bounded', () => {
  it('refuses anything over a year (also overflowing numbers) and stores nothing', async () => {
    const h = await startHarness({ sandbox: { catalogue: healthyCatalogue() } });
    harness = h;
    await h.bot.poller.poll();
    const attempts = ['99999999w', '367d', `${'9'.repeat(400)}w`];
    let falseMutes = 0;
    for (const duration of attempts) {
      const reply = await (await h.slash(`mute TESTP1XXX ${duration}`, { user: 'UADMIN' })).reply();
      expect(String(reply.payload.text)).toMatch(/at most a year|Usage|positive duration/);
      if ((await stateOf(h, 'TESTP1XXX'))?.mutedUntil !== undefined) falseMutes += 1;
    }
    const audit = await h.bot.store.rules.recentAudit(10);
    const counts = reportFault('mute-bound', {
      crashes: handlerFailures(h),
      lost: 0,
      duplicates: 0,
      false: falseMutes + audit.length,
    });
    expect(counts).toEqual(NONE);
    // The longest allowed mute works, with its audit row.
    const allowed = await (await h.slash('mute TESTP1XXX 52w', { user: 'UADMIN' })).reply();
    expect(allowed.payload.text).toContain('muted for');
    expect(await h.bot.store.rules.recentAudit(10)).toHaveLength(1);
  });

  it('draws the line at one year (366 days, for leap years)', () => {
    expect(muteDurationProblem(MAX_MUTE_MS)).toBeUndefined();
    expect(muteDurationProblem(MAX_MUTE_MS + 1)).toContain('at most a year');
    expect(muteDurationProblem(Number.POSITIVE_INFINITY)).toBeDefined();
    expect(muteDurationProblem(0)).toBeDefined();
  });
});

describe('fault 7: acknowledging a snoozed product', () => {
  it('is audited as alert.acknowledge with the state it changed, next to the snooze', async () => {
    const h = await startHarness({ sandbox: { catalogue: healthyCatalogue() } });
    harness = h;
    await h.bot.poller.poll();
    h.sandbox.controls.setAvailable('TESTP0XXX', 10);
    await h.bot.poller.poll();
    const digest = posts(h)[0];
    if (!digest) throw new Error('no alert posted');
    const productA = healthyCatalogue()[0]?.product_id;
    const button = (prefix: string) => {
      const found = buttons(digest).find((b) => b.action_id.startsWith(prefix) && b.value === productA);
      if (!found) throw new Error(`no ${prefix} button`);
      return found;
    };
    await h.click(button('alert_snooze_1d'));
    await h.click(button('alert_ack'));
    const audit = await h.bot.store.rules.recentAudit(5);
    const actions = audit.map((a) => a.action);
    const state = await stateOf(h, 'TESTP0XXX');
    const counts = reportFault('acknowledge-snoozed', {
      crashes: handlerFailures(h),
      lost: state?.acknowledged ? 0 : 1,
      duplicates: actions.filter((a) => a === 'alert.mute').length - 1,
      false: actions.filter((a) => a !== 'alert.mute' && a !== 'alert.acknowledge').length,
    });
    expect(counts).toEqual(NONE);
    expect(actions).toEqual(['alert.acknowledge', 'alert.mute']);
    expect(audit[0]).toMatchObject({ oldValue: { acknowledged: false }, newValue: { acknowledged: true } });
  });
});
