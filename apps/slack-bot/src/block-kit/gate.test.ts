import { blockKitViolations, viewBlockViolations } from '@licensewatch/slack-stand-in';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  defuseTokens,
  FALLBACK_TEXT_LIMIT,
  fitLines,
  gateMessage,
  gateView,
  gateWebApiArgs,
  SURFACES,
} from './gate.js';
import { LIMITS } from './limits.js';
import { dataCode, dataName } from './mrkdwn.js';

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const context = (...texts: string[]) => ({
  type: 'context',
  elements: texts.map((text) => ({ type: 'mrkdwn', text })),
});

describe('the output gate: markup', () => {
  it('keeps the tokens the bot writes and escapes every other', () => {
    const text =
      '<@U0123ABC> in <#C0456|alerts> at <!date^1767225600^{date_short}|1 Jan> <https://evil.example|click> <!channel>';
    expect(defuseTokens(text, SURFACES.reply)).toBe(
      '<@U0123ABC> in <#C0456|alerts> at <!date^1767225600^{date_short}|1 Jan> &lt;https://evil.example|click&gt; &lt;!channel&gt;',
    );
    // Channel alerts may notify as the operator's rules say; replies to one person never.
    expect(defuseTokens('<!here> <!subteam^S0NETOPS>', SURFACES.alert)).toBe('<!here> <!subteam^S0NETOPS>');
    expect(defuseTokens('<!here> <!subteam^S0NETOPS>', SURFACES.reply)).toBe('&lt;!here&gt; &lt;!subteam^S0NETOPS&gt;');
    expect(defuseTokens('a < b > c <@U1|x', SURFACES.reply)).toBe('a &lt; b &gt; c &lt;@U1|x');
  });

  it('makes names inert: nothing live, formatting cannot break the bold around them', () => {
    const name = dataName('<!channel> <@U0EVIL> <https://evil.example|click> A&B<C>D*E_F~G`H');
    expect(name).toBe('&lt;!channel&gt; &lt;@U0EVIL&gt; &lt;https://evil.example|click&gt; A&amp;B&lt;C&gt;D∗EˍF∼GˋH');
    expect(`*${name}*`.match(/\*/g)).toHaveLength(2);
    expect(dataCode('AB`C*D')).toBe('ABˋC*D');
    expect(dataName('Apex\u202e One\n\tAdvanced')).toBe('Apex One Advanced');
  });
});

describe('the output gate: Block Kit limits', () => {
  it('cuts a long section at a line, saying how many lines were left out', () => {
    const lines = Array.from({ length: 400 }, (_, i) => `line ${i} ${'x'.repeat(20)}`);
    const fitted = fitLines(lines.join('\n'), LIMITS.sectionText);
    expect(fitted.length).toBeLessThanOrEqual(LIMITS.sectionText);
    const kept = fitted.split('\n');
    expect(kept.at(-1)).toBe(`…and ${400 - (kept.length - 1)} more`);
    expect(kept[0]).toBe(lines[0]);
  });

  it('fits every limit of a message, keeping the first blocks and the footer', () => {
    const blocks = [
      { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(200) } },
      ...Array.from({ length: 70 }, (_, i) => section(`product ${i}`)),
      {
        type: 'section',
        text: { type: 'mrkdwn', text: 'f' },
        fields: Array.from({ length: 12 }, () => ({ type: 'mrkdwn', text: 'y'.repeat(2_500) })),
      },
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            action_id: 'a'.repeat(300),
            text: { type: 'plain_text', text: 'b'.repeat(100) },
            value: 'v'.repeat(3_000),
          },
        ],
      },
      { type: 'image', image_url: 'https://example.com/a.png', alt_text: 'a'.repeat(2_500) },
      context(...Array.from({ length: 12 }, (_, i) => `c${i}`)),
    ];
    const message = gateMessage({ text: 't'.repeat(5_000), blocks }, SURFACES.reply);
    expect(blockKitViolations(message)).toEqual([]);
    expect(message.text).toHaveLength(FALLBACK_TEXT_LIMIT);
    expect(message.blocks).toHaveLength(LIMITS.blocksPerMessage);
    expect(message.blocks[1]).toEqual(section('product 0'));
    expect(JSON.stringify(message.blocks.at(-2))).toMatch(/…and \d+ more/);
    expect((message.blocks.at(-1) as { elements: unknown[] }).elements).toHaveLength(LIMITS.contextElements);
  });

  it('gives the Home tab its 100 blocks, and never leaves a payload over a limit (property)', () => {
    const home = gateView({ type: 'home', blocks: Array.from({ length: 140 }, (_, i) => section(`${i}`)) });
    expect(home.blocks).toHaveLength(LIMITS.blocksPerView);
    expect(viewBlockViolations(home.blocks)).toEqual([]);
    const text = fc.string({ maxLength: 4_000 });
    const block = fc.oneof(
      text.map((t) => section(t || 'x')),
      fc.array(text, { minLength: 1, maxLength: 15 }).map((ts) => context(...ts.map((t) => t || 'x'))),
      text.map((t) => ({ type: 'header', text: { type: 'plain_text', text: t || 'x' } })),
    );
    fc.assert(
      fc.property(fc.array(block, { maxLength: 80 }), text, (blocks, fallback) => {
        expect(blockKitViolations(gateMessage({ text: fallback || 'x', blocks }, SURFACES.reply))).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });

  it('gates upload titles, comments and alt text by the method they go to', () => {
    const complete = gateWebApiArgs('files.completeUploadExternal', {
      files: [{ id: 'F1', title: `a\nb${'t'.repeat(400)}` }],
      initial_comment: '<!channel> chart <@U0123>',
    });
    expect(complete.initial_comment).toBe('&lt;!channel&gt; chart <@U0123>');
    expect((complete.files as { title: string }[])[0]?.title).toMatch(/^a bt+…$/);
    const started = gateWebApiArgs('files.getUploadURLExternal', {
      filename: 'c.png',
      length: 1,
      alt_txt: 'a'.repeat(1_500),
    });
    expect(started.alt_txt).toHaveLength(1_000);
  });
});
