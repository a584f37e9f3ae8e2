// The Slack admin's review, end to end: a catalogue whose LMPI names are mentions, links and mrkdwn,
// through the real bot (acks, respond, alerts, buttons, Home, private charts): nothing goes live,
// every payload within limits, nothing private shows up in a channel.

import type { ReceivedMessage } from '@licensewatch/slack-stand-in';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const NAME = '<!channel> <!here> <@U0EVIL> <https://evil.example|click> A&B<C>D*E_F~G';
const LIVE = /<!channel>|<!here>|<@U0EVIL>|<https:\/\/evil/;

function hostileCatalogue(count: number) {
  return Array.from({ length: count }, (_, i) => ({
    product_id: `0000${String(i).padStart(4, '0')}-aaaa-4bbb-8ccc-000000000000`,
    product_code: `EVIL${String(i).padStart(3, '0')}X`,
    product_name: `${NAME} ${i}`,
    type: 'SaaS',
    version: 'Full',
    available: i < 8 ? 10 + i : 900,
    service_plans: [],
  }));
}

/** What Slack parses for markup in a payload: mrkdwn texts, fallback text, upload comments. */
function markup(payload: unknown): string {
  const out: string[] = [];
  const walk = (value: unknown, key: string, type: unknown) => {
    if (typeof value === 'string') {
      if ((key === 'text' && type !== 'plain_text') || key === 'initial_comment') out.push(value);
    } else if (Array.isArray(value)) for (const item of value) walk(item, '', undefined);
    else if (value && typeof value === 'object')
      for (const [k, v] of Object.entries(value)) walk(v, k, (value as { type?: unknown }).type);
  };
  walk(payload, '', undefined);
  return out.join('\n');
}

describe('a hostile catalogue through the real bot', () => {
  it("never sends anything live, never breaks a limit, and keeps the requester's chart private", async () => {
    harness = await startHarness({ sandbox: { catalogue: hostileCatalogue(120) } });
    const h = harness;
    await h.bot.poller.poll(); // first poll: 8 pools low or critical → a digest in #alerts
    const answers: ReceivedMessage[] = [];
    for (const text of ['', 'low', 'evil', 'EVIL003X', 'threshold list', 'alerts'])
      answers.push(await (await h.slash(text, { user: 'UADMIN' })).reply(20_000));
    await (await h.slash('mute EVIL001X 1h', { user: 'UADMIN' })).reply();
    await h.event({ type: 'app_home_opened', user: 'UADMIN', channel: 'D0HOME', tab: 'home', event_ts: '1.1' });
    await h.slack.waitFor((m) => m.kind === 'views.publish');
    await h.bot.poller.idle();

    const sent = [...h.slack.messages, ...answers];
    expect(sent.filter((m) => m.kind === 'chat.postMessage').length).toBeGreaterThan(0);
    for (const message of sent) {
      expect(message.violations, `${message.kind} to ${message.target}`).toEqual([]);
      expect(markup(message.payload), `${message.kind} to ${message.target}`).not.toMatch(LIVE);
    }
    // The names are there, shown as text: escaped, their formatting characters made inert.
    expect(markup(answers[0]?.payload)).toContain('&lt;!channel&gt; &lt;!here&gt; &lt;@U0EVIL&gt;');
    expect(markup(answers[3]?.payload)).toContain('A&amp;B&lt;C&gt;D∗EˍF∼G'); // the detail names it in full
    // The detail's chart went to the requester's DM; no upload into the command's channel.
    const detail = answers[3] as ReceivedMessage;
    expect(JSON.stringify(detail.payload)).toContain('EVIL003X');
    const uploads = h.slack.messages.filter((m) => m.kind === 'files.completeUploadExternal' && m.target !== 'CALERTS');
    expect(uploads.map((m) => m.target)).toEqual([expect.stringMatching(/^D/)]);
  });
});
