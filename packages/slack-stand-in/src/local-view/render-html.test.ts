import { describe, expect, it } from 'vitest';
import { blocksHtml, mrkdwnHtml } from './render-html.js';

describe('Block Kit as HTML', () => {
  it('shows text from the app as text, never as markup', () => {
    const html = blocksHtml(
      {
        blocks: [
          { type: 'header', text: { type: 'plain_text', text: '<img src=x onerror=alert(1)>' } },
          { type: 'section', text: { type: 'mrkdwn', text: '*Acme* &lt;script&gt;alert(1)&lt;/script&gt; "q" \'s' } },
          {
            type: 'actions',
            elements: [{ type: 'button', text: { type: 'plain_text', text: 'Go"><b>' }, action_id: 'a' }],
          },
        ],
      },
      'C1:1.0"><script>',
    );
    expect(html).not.toMatch(/<script|<img src=x/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('<b>Acme</b>');
    expect(html).toContain('data-entry="C1:1.0&quot;&gt;&lt;script&gt;"');
    expect(html).toContain('Go&quot;&gt;&lt;b&gt;</button>');
  });

  it('renders links, mentions by name, emoji and marks as Slack shows them', () => {
    const names = new Map([['U1', 'ana']]);
    expect(mrkdwnHtml('<@U1> see <https://x.test/a?b=1&amp;c=2|the *report*>', names)).toBe(
      '<span class="mention">@ana</span> see <a href="https://x.test/a?b=1&amp;c=2" rel="noreferrer" target="_blank">the *report*</a>',
    );
    expect(mrkdwnHtml('<javascript:alert(1)|click>')).toBe('click');
    expect(mrkdwnHtml('_:test_tube: demo data_')).toBe('<i>🧪 demo data</i>');
    // A tilde meaning "about" is no strike; a date token shows its fallback text.
    expect(mrkdwnHtml('empty in ~2 d (<!date^1796000000^{date_short}|Dec 5>) · critical in ~2 d')).toBe(
      'empty in ~2 d (Dec 5) · critical in ~2 d',
    );
    expect(mrkdwnHtml('*Alert*: runs out in ~2 days at ~1,929/day, *4,820* left')).toBe(
      '<b>Alert</b>: runs out in ~2 days at ~1,929/day, <b>4,820</b> left',
    );
    expect(mrkdwnHtml(':red_circle: *Critical*\n`AAAUXXE1X` ~old~')).toBe(
      '🔴 <b>Critical</b><br><code>AAAUXXE1X</code> <s>old</s>',
    );
  });

  it('shows uploaded files from the stand-in and marks blocks it does not draw', () => {
    const html = blocksHtml(
      { blocks: [{ type: 'image', slack_file: { id: 'F1' }, alt_text: 'chart' }, { type: 'video' }] },
      'k',
    );
    expect(html).toContain('src="/local/files/F1" alt="chart"');
    expect(html).toContain('(video block)');
  });
});
