/** The Block Kit subset licensewatch sends (kept loose: Slack validates, and so does blockKitViolations). */
export type Block =
  | { type: 'header'; text: { type: 'plain_text'; text: string; emoji?: boolean } }
  | { type: 'section'; text?: TextObject; fields?: TextObject[]; block_id?: string }
  | { type: 'context'; elements: TextObject[] }
  | { type: 'divider' }
  | { type: 'actions'; block_id?: string; elements: Button[] };

export interface TextObject {
  type: 'mrkdwn' | 'plain_text';
  text: string;
}

export interface Button {
  type: 'button';
  action_id: string;
  text: { type: 'plain_text'; text: string; emoji?: boolean };
  value: string;
}

/** A message or a response_url reply. */
export interface SlackMessage {
  text: string;
  blocks: Block[];
  response_type?: 'ephemeral' | 'in_channel';
  replace_original?: boolean;
}

export const mrkdwn = (text: string): TextObject => ({ type: 'mrkdwn', text });
export const header = (text: string): Block => ({ type: 'header', text: { type: 'plain_text', text, emoji: true } });
export const section = (text: string, fields?: string[]): Block =>
  fields
    ? { type: 'section', text: mrkdwn(text), fields: fields.map(mrkdwn) }
    : { type: 'section', text: mrkdwn(text) };
export const context = (...texts: string[]): Block => ({ type: 'context', elements: texts.map(mrkdwn) });
export const divider: Block = { type: 'divider' };
