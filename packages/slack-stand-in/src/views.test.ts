import { describe, expect, it } from 'vitest';
import { publishHomeView } from './views.js';

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

describe('views.publish in the stand-in', () => {
  it('accepts a home view of up to 100 valid blocks', () => {
    const blocks = Array.from({ length: 100 }, (_, i) => section(`line ${i}`));
    expect(publishHomeView({ user_id: 'U1', view: { type: 'home', blocks } })).toMatchObject({ ok: true });
  });

  it('refuses what Slack refuses: 101 blocks, an invalid block, over 250 kB, not a home view, no user', () => {
    const many = Array.from({ length: 101 }, () => section('x'));
    expect(publishHomeView({ user_id: 'U1', view: { type: 'home', blocks: many } })).toMatchObject({
      ok: false,
      error: 'invalid_blocks',
      response_metadata: { messages: ['[ERROR] 101 blocks > 100'] },
    });
    expect(
      publishHomeView({ user_id: 'U1', view: { type: 'home', blocks: [section('x'.repeat(3_001))] } }),
    ).toMatchObject({ ok: false, error: 'invalid_blocks' });
    const huge = Array.from({ length: 90 }, () => section('y'.repeat(2_900)));
    expect(publishHomeView({ user_id: 'U1', view: { type: 'home', blocks: huge } })).toMatchObject({
      ok: false,
      error: 'view_too_large',
    });
    expect(publishHomeView({ user_id: 'U1', view: { type: 'modal', blocks: [section('x')] } })).toMatchObject({
      ok: false,
    });
    expect(publishHomeView({ view: { type: 'home', blocks: [section('x')] } })).toMatchObject({
      ok: false,
      error: 'invalid_arguments',
    });
  });
});
