import type { ContextBlock, DividerBlock, HeaderBlock, KnownBlock, MrkdwnElement, SectionBlock } from '@slack/types';

/** A message or a response_url reply, with Block Kit types from `@slack/types`. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
  response_type?: 'ephemeral' | 'in_channel';
  replace_original?: boolean;
}

export const mrkdwn = (text: string): MrkdwnElement => ({ type: 'mrkdwn', text });
export const header = (text: string): HeaderBlock => ({
  type: 'header',
  text: { type: 'plain_text', text, emoji: true },
});
export const section = (text: string, fields?: string[]): SectionBlock =>
  fields
    ? { type: 'section', text: mrkdwn(text), fields: fields.map(mrkdwn) }
    : { type: 'section', text: mrkdwn(text) };
export const context = (...texts: string[]): ContextBlock => ({ type: 'context', elements: texts.map(mrkdwn) });
export const divider: DividerBlock = { type: 'divider' };
