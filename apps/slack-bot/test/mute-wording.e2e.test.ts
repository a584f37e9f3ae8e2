// Mute, snooze and acknowledge read as what they are on every surface, and the alert message always
// shows the current state: a mute is announced as a mute, an unmute clears it, unmuting nothing says so.

import type { ReceivedMessage } from '@licensewatch/slack-stand-in';
import { afterEach, describe, expect, it } from 'vitest';
import { healthyCatalogue } from './catalogues.js';
import { type Harness, posts, startHarness } from './harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const blocksText = (m: ReceivedMessage | undefined) => JSON.stringify(m?.payload.blocks ?? []);
/** The digest as it reads now: the last edit of it, or the post. */
const current = (h: Harness, digest: ReceivedMessage) =>
  h.slack.messages.filter((m) => m.kind === 'chat.update' && m.ts === digest.ts).at(-1) ?? digest;
const hasButtons = (m: ReceivedMessage) => blocksText(m).includes('alert_snooze_1h');

describe('mute, snooze and acknowledge wording (sandbox → poller → Slack stand-in)', () => {
  it('announces a mute as a mute, clears it on unmute, and says when there was nothing to unmute', async () => {
    harness = await startHarness({ sandbox: { catalogue: healthyCatalogue() } });
    const h = harness;
    await h.bot.poller.poll();
    h.sandbox.controls.setAvailable('TESTP0XXX', 80);
    await h.bot.poller.poll();
    const digest = posts(h)[0] as ReceivedMessage;
    expect(hasButtons(digest)).toBe(true);

    const muted = await (await h.slash('mute TESTP0XXX 2h', { user: 'UADMIN' })).reply();
    expect(muted.payload.text).toMatch(/^Alerts for \*Test Product A\* `TESTP0XXX` are muted for 2 h, until <!date\^/);
    await h.slack.waitFor((m) => m.kind === 'chat.update' && m.ts === digest.ts);
    const afterMute = current(h, digest);
    expect(blocksText(afterMute)).toContain(':no_bell: muted by <@UADMIN> for 2 h');
    expect(blocksText(afterMute)).not.toContain('snoozed');
    expect(hasButtons(afterMute)).toBe(false);
    expect(posts(h).at(-1)?.payload.text).toBe(
      ':no_bell: *Test Product A* `TESTP0XXX` muted by <@UADMIN> for 2 h (`/licenses unmute` ends it)',
    );
    const detail = await (await h.slash('TESTP0XXX')).reply(20_000);
    expect(blocksText(detail)).toContain(':no_bell: muted by <@UADMIN> until');

    const before = h.slack.messages.length;
    const unmuted = await (await h.slash('unmute TESTP0XXX', { user: 'UADMIN' })).reply();
    expect(unmuted.payload.text).toBe(
      'Alerts for *Test Product A* `TESTP0XXX` are unmuted: they resume from the next poll.',
    );
    await h.slack.waitFor(
      (m) => m.kind === 'chat.update' && m.ts === digest.ts && h.slack.messages.indexOf(m) >= before,
    );
    const afterUnmute = current(h, digest);
    expect(blocksText(afterUnmute)).not.toContain('muted by');
    expect(hasButtons(afterUnmute)).toBe(true); // the digest reads as the alert's state now
    expect(posts(h).at(-1)?.payload.text).toBe(
      ':bell: *Test Product A* `TESTP0XXX` unmuted by <@UADMIN>: alerts resume from the next poll',
    );

    const audits = (await h.bot.store.rules.recentAudit(10)).length;
    const again = await (await h.slash('unmute TESTP0XXX', { user: 'UADMIN' })).reply();
    expect(again.payload.text).toBe(
      'Alerts for *Test Product A* `TESTP0XXX` were not muted or snoozed: nothing changed.',
    );
    expect((await h.bot.store.rules.recentAudit(10)).length).toBe(audits);
  });

  it('leaves an acknowledged alert acknowledged, without its buttons, when it is muted and unmuted', async () => {
    harness = await startHarness({ sandbox: { catalogue: healthyCatalogue() } });
    const h = harness;
    await h.bot.poller.poll();
    h.sandbox.controls.setAvailable('TESTP0XXX', 80);
    await h.bot.poller.poll();
    const digest = posts(h)[0] as ReceivedMessage;
    const blocks = digest.payload.blocks as { elements?: { action_id: string; value: string }[] }[];
    const ack = blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id.startsWith('alert_ack'));
    await h.click(ack ?? { action_id: '', value: '' }, digest);
    await h.slack.waitFor((m) => m.kind === 'chat.update' && m.ts === digest.ts);
    expect(blocksText(current(h, digest))).toContain(':white_check_mark: acknowledged by <@ULOCALUSER>');

    const edits = () => h.slack.messages.filter((m) => m.kind === 'chat.update' && m.ts === digest.ts).length;
    const editsBefore = edits();
    await (await h.slash('mute TESTP0XXX 2h', { user: 'UADMIN' })).reply();
    await h.slack.waitFor(() => edits() > editsBefore);
    const afterMute = blocksText(current(h, digest));
    expect(afterMute).toContain(':white_check_mark: acknowledged by <@ULOCALUSER>');
    expect(afterMute).toContain(':no_bell: muted by <@UADMIN> for 2 h');

    const editsMuted = edits();
    await (await h.slash('unmute TESTP0XXX', { user: 'UADMIN' })).reply();
    await h.slack.waitFor(() => edits() > editsMuted);
    const afterUnmute = current(h, digest);
    expect(blocksText(afterUnmute)).toContain(':white_check_mark: acknowledged by <@ULOCALUSER>');
    expect(blocksText(afterUnmute)).not.toContain('muted by');
    expect(hasButtons(afterUnmute)).toBe(false); // still acknowledged: no reminders until it recovers
    expect(blocksText(afterUnmute)).not.toContain('alert_ack');
  });

  it('keeps a snooze from the buttons reading as a snooze in the detail view', async () => {
    harness = await startHarness({ sandbox: { catalogue: healthyCatalogue() } });
    const h = harness;
    await h.bot.poller.poll();
    h.sandbox.controls.setAvailable('TESTP0XXX', 80);
    await h.bot.poller.poll();
    const digest = posts(h)[0] as ReceivedMessage;
    const blocks = digest.payload.blocks as { elements?: { action_id: string; value: string }[] }[];
    const snooze = blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id.startsWith('alert_snooze_1d'));
    await h.click(snooze ?? { action_id: '', value: '' }, digest);
    await h.slack.waitFor((m) => m.kind === 'chat.update' && m.ts === digest.ts);
    expect(blocksText(current(h, digest))).toContain(':zzz: snoozed by <@ULOCALUSER> for 1 day');
    const detail = await (await h.slash('TESTP0XXX')).reply(20_000);
    expect(blocksText(detail)).toContain(':zzz: snoozed by <@ULOCALUSER> until');
  });
});
