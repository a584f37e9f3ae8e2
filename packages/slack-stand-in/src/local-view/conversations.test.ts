import { describe, expect, it } from 'vitest';
import { type Received, workspaceOf } from './conversations.js';

const post = (channel: string, ts: string, text: string, extra = {}): Received => ({
  kind: 'chat.postMessage',
  target: channel,
  ts,
  payload: { channel, text, token: 'xoxb-secret', ...extra },
});

describe('what one person sees in the local Slack', () => {
  it('edits posted messages in place and keeps threads under their parent', () => {
    const { messages } = workspaceOf(
      [
        post('C1', '1.1', 'Low: Apex'),
        post('C1', '1.2', 'chart', { thread_ts: '1.1' }),
        { kind: 'chat.update', target: 'C1', ts: '1.1', payload: { text: 'Acknowledged: Apex' } },
      ],
      new Map(),
      'U1',
    );
    expect(messages.map((m) => [m.key, m.payload.text, m.threadTs])).toEqual([
      ['C1:1.1', 'Acknowledged: Apex', undefined],
      ['C1:1.2', 'chart', '1.1'],
    ]);
    expect(messages[0]?.payload.token).toBeUndefined();
  });

  it('places response URL replies: ephemeral by default, replacing or deleting the pressed message', () => {
    const origins = new Map([
      ['r1', { channel: 'C2', user: 'U1' }],
      ['r2', { channel: 'C2', user: 'U1', source: 'r:0' }],
      ['r3', { channel: 'C2', user: 'U1' }],
      ['r4', { channel: 'C2', user: 'U1', source: 'r:2' }],
    ]);
    const reply = (id: string, payload: Record<string, unknown>): Received => ({
      kind: 'response',
      target: id,
      ts: 'reply',
      payload,
    });
    const { messages } = workspaceOf(
      [
        reply('r1', { text: 'page 1', response_type: 'ephemeral' }),
        reply('r2', { text: 'page 2', replace_original: true }),
        reply('r3', { text: 'for everyone', response_type: 'in_channel' }),
        reply('r4', { delete_original: true }),
        reply('unknown', { text: 'a test response URL: not shown' }),
        { kind: 'chat.postEphemeral', target: 'C2', ts: '2.1', payload: { user: 'U2', text: 'for someone else' } },
      ],
      origins,
      'U1',
    );
    expect(messages.map((m) => [m.channel, m.payload.text, m.ephemeral])).toEqual([['C2', 'page 2', true]]);
  });

  it('shows shared files in their channel and the Home tab published for this person only', () => {
    const { messages, home } = workspaceOf(
      [
        {
          kind: 'files.completeUploadExternal',
          target: 'D1',
          ts: '3.1',
          payload: { files: [{ id: 'F1', title: 'Apex: 30 days' }], initial_comment: 'your chart' },
        },
        { kind: 'views.publish', target: 'U2', ts: '3.2', payload: { type: 'home', blocks: [{ type: 'divider' }] } },
        { kind: 'views.publish', target: 'U1', ts: '3.3', payload: { type: 'home', blocks: [] } },
      ],
      new Map(),
      'U1',
    );
    expect(messages[0]?.payload.blocks).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: 'your chart' } },
      { type: 'image', slack_file: { id: 'F1' }, alt_text: 'Apex: 30 days' },
    ]);
    expect(home).toEqual({ type: 'home', blocks: [] });
  });
});
