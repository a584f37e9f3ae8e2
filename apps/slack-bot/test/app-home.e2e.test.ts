import { viewBlockViolations } from '@licensewatch/slack-stand-in';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, settled, startHarness } from './harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

type Block = { type: string; block_id?: string; text?: { text: string }; elements?: { action_id?: string }[] };

async function openHome(h: Harness, user: string) {
  const before = h.slack.messages.length;
  const sent = await h.event({ type: 'app_home_opened', user, channel: 'D0HOME', tab: 'home', event_ts: '1.1' });
  expect(sent.status).toBe(200);
  return h.slack.waitFor(
    (m) => m.kind === 'views.publish' && m.target === user && h.slack.messages.indexOf(m) >= before,
  );
}

const linesOf = (blocks: Block[]) =>
  blocks.flatMap((b) => (b.block_id?.startsWith('licenses_products') ? (b.text?.text ?? '').split('\n') : []));

describe('App Home (signed event_callback → views.publish through the stand-in)', () => {
  it('publishes a home view of the at-risk pools, data age and LMPI status, within Block Kit limits', async () => {
    harness = await startHarness();
    const h = harness;
    await settled(h);
    await h.bot.poller.poll();
    const published = await openHome(h, 'ULOCALUSER');
    const view = published.payload as { type: string; blocks: Block[] };
    expect(view.type).toBe('home');
    expect(viewBlockViolations(view.blocks)).toEqual([]);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(Buffer.byteLength(JSON.stringify(view))).toBeLessThan(250_000);
    const text = JSON.stringify(view.blocks);
    expect(text).toMatch(/data as of (just now|\d+ s ago) · LMPI: answering/);
    expect(text).toContain('*At risk: 10* of 64 products');
    const lines = linesOf(view.blocks);
    expect(lines).toHaveLength(10);
    const firstLow = lines.findIndex((l) => l.startsWith(':large_orange_circle:'));
    expect(lines.slice(0, firstLow).every((l) => l.startsWith(':red_circle:'))).toBe(true);
    expect(lines.slice(firstLow).every((l) => l.startsWith(':large_orange_circle:'))).toBe(true);
    expect(lines[0]).toMatch(/`[▁-█ ]{14}`/);
    expect(text).toContain('*Your snoozes and mutes*\\nNone.');
    const refresh = view.blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id === 'home_refresh');
    expect(refresh).toBeDefined();
  });

  it("shows the viewer's own snoozes only, and Refresh asks LMPI again and republishes", async () => {
    harness = await startHarness();
    const h = harness;
    await settled(h);
    await h.bot.poller.poll();
    const muted = await (await h.slash('mute NNZBXXE1X 2h', { user: 'UADMIN' })).reply();
    expect(muted.payload.text).toContain('muted for 2 h');
    const mine = JSON.stringify((await openHome(h, 'UADMIN')).payload.blocks);
    expect(mine).toMatch(
      // A mute from /licenses mute reads as a mute (it read "snoozed" before).
      /\*Your snoozes and mutes\*\\n:no_bell: \*Worry-Free Business Security Services\* `NNZBXXE1X` muted until <!date\^\d+\^/,
    );
    expect(JSON.stringify((await openHome(h, 'ULOCALUSER')).payload.blocks)).toContain(
      '*Your snoozes and mutes*\\nNone.',
    );

    const lmpiBefore = h.lmpiRequests();
    const publishes = h.slack.calls.get('views.publish') ?? 0;
    const clicked = await h.click({ action_id: 'home_refresh', value: 'refresh' }, 'home');
    expect(clicked.status).toBe(200);
    await h.slack.waitFor(() => (h.slack.calls.get('views.publish') ?? 0) > publishes);
    expect(h.lmpiRequests()).toBe(lmpiBefore + 1);
    expect(h.slack.homeViews.get('ULOCALUSER')).toBeDefined();
  });

  it('answers an unsigned event with 401 and publishes nothing; ignores the Messages tab', async () => {
    harness = await startHarness();
    const h = harness;
    await settled(h);
    const body = JSON.stringify({
      type: 'event_callback',
      event: { type: 'app_home_opened', user: 'UX', tab: 'home' },
    });
    const forged = await fetch(`${h.bot.url}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-slack-request-timestamp': '1', 'x-slack-signature': 'v0=00' },
      body,
    });
    expect(forged.status).toBe(401);
    const messagesTab = await h.event({
      type: 'app_home_opened',
      user: 'UX',
      channel: 'D0X',
      tab: 'messages',
      event_ts: '1.2',
    });
    expect(messagesTab.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(h.slack.calls.get('views.publish')).toBeUndefined();
  });
});
