// Who can see an uploaded file in the Slack stand-in: the members of the conversations it was shared
// to. A message showing a file (an image block's `slack_file`) must be seen only by people who can
// see the file: a channel message needs the file shared in that channel; a reply to one person
// (response_url, ephemeral) needs it shared somewhere that person is a member, such as their DM.
import type { FileStore } from './files.js';
import type { StandInChannel } from './web-api-rules.js';

/** Who sees a message: everyone in a channel, or one person. */
export type Audience = { channel: string } | { user: string };

/**
 * Image blocks whose file the message's audience cannot see (Slack shows them a broken image or
 * refuses the message; the stand-in reports it).
 *
 * @example
 * ```ts
 * fileVisibilityViolations(payload.blocks, files, channels, { channel: 'C0123' })
 * ```
 */
export function fileVisibilityViolations(
  blocks: unknown,
  files: FileStore,
  channels: ReadonlyMap<string, StandInChannel>,
  audience: Audience,
): string[] {
  if (!Array.isArray(blocks)) return [];
  const out: string[] = [];
  blocks.forEach((block: { type?: unknown; slack_file?: { id?: unknown } }, i) => {
    if (block?.type !== 'image' || !block.slack_file?.id) return;
    const file = files.byId.get(String(block.slack_file.id));
    if (!file || file.shares.length === 0) return; // reported by slackFileViolations
    const visible =
      'channel' in audience
        ? file.shares.some((s) => s.channel === audience.channel)
        : file.shares.some((s) => channels.get(s.channel)?.members.has(audience.user));
    if (!visible)
      out.push(
        `blocks[${i}].slack_file: ${file.id} is shared only in ${file.shares.map((s) => s.channel).join(', ')}, which ${
          'channel' in audience ? `members of ${audience.channel}` : audience.user
        } cannot see`,
      );
  });
  return out;
}
