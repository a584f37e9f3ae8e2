// conversations.open in the Slack stand-in: the bot's direct message with one person (scope
// `im:write`). The same person always gets the same `D…` channel, whose members are the bot and
// that person only, so whatever is shared there is visible to nobody else.
import { createHash } from 'node:crypto';
import type { StandInChannel } from './web-api-rules.js';

/** What conversations.open answers: the DM's channel, or Slack's error. */
export type OpenAnswer = { ok: true; channel: { id: string } } | { ok: false; error: string };

const USER_ID = /^[UW][A-Z0-9]{2,}$/;

/**
 * Opens (or finds) the bot's DM with the user named in `users`; group DMs are not modelled.
 *
 * @example
 * ```ts
 * openDirectMessage(channels, 'ULOCALBOT', { users: 'U0123' }) // { ok: true, channel: { id: 'D…' } }
 * ```
 */
export function openDirectMessage(
  channels: Map<string, StandInChannel>,
  botUserId: string,
  args: Record<string, unknown>,
): OpenAnswer {
  if (typeof args.channel === 'string') {
    const existing = channels.get(args.channel);
    return existing?.im ? { ok: true, channel: { id: existing.id } } : { ok: false, error: 'channel_not_found' };
  }
  const users = typeof args.users === 'string' ? args.users.split(',').filter(Boolean) : [];
  if (users.length === 0) return { ok: false, error: 'users_list_not_supplied' };
  if (users.length > 1) return { ok: false, error: 'not_implemented' }; // group DMs: not used by the bot
  const [user] = users as [string];
  if (!USER_ID.test(user)) return { ok: false, error: 'user_not_found' };
  const id = `D${createHash('sha256').update(user).digest('hex').slice(0, 9).toUpperCase()}`;
  if (!channels.has(id))
    channels.set(id, {
      id,
      name: `dm-${user}`,
      private: true,
      archived: false,
      im: true,
      members: new Set([botUserId, user]),
    });
  return { ok: true, channel: { id } };
}
