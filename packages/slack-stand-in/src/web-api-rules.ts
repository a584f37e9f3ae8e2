// What Slack's Web API requires of each method the bot (or its tests) may call: the bot scope,
// given the channel's type, and the rate-limit tier. See /work/shared/slack-reference.md §1.
import type { Tier } from './rate-limits.js';

/** A channel as the stand-in's workspace knows it. */
export interface StandInChannel {
  id: string;
  name: string;
  private: boolean;
  archived: boolean;
  /** A direct message (conversations.open): its members are the bot and one person. */
  im?: boolean;
  /** User ids of the members (the bot's user id once it joined or was invited). */
  members: Set<string>;
}

/** One Web API method: the bot scope it needs and its tier (`special`: limited on its own terms). */
export interface MethodRule {
  tier: Tier | 'special';
  /** The scope needed; `channel` is the conversation the call names, when it names one. */
  scope: (channel: StandInChannel | undefined) => string | undefined;
  /** Whether the method takes a conversation in `channel` (looked up before the scope check). */
  takesChannel: boolean;
}

const byType = (publicScope: string, privateScope: string) => (channel: StandInChannel | undefined) =>
  channel?.private ? privateScope : publicScope;
const fixed = (scope: string | undefined) => () => scope;

/** The Web API methods the stand-in implements. */
export const METHOD_RULES: Record<string, MethodRule> = {
  'auth.test': { tier: 'special', scope: fixed(undefined), takesChannel: false },
  'chat.postMessage': { tier: 'special', scope: fixed('chat:write'), takesChannel: true },
  'chat.postEphemeral': { tier: 4, scope: fixed('chat:write'), takesChannel: true },
  'chat.update': { tier: 3, scope: fixed('chat:write'), takesChannel: true },
  'chat.delete': { tier: 3, scope: fixed('chat:write'), takesChannel: true },
  'conversations.history': { tier: 3, scope: byType('channels:history', 'groups:history'), takesChannel: true },
  'conversations.replies': { tier: 3, scope: byType('channels:history', 'groups:history'), takesChannel: true },
  'conversations.info': { tier: 3, scope: byType('channels:read', 'groups:read'), takesChannel: true },
  // The bot's DM with a person: where a private chart goes (`/licenses <code>`).
  'conversations.open': { tier: 3, scope: fixed('im:write'), takesChannel: false },
  'conversations.join': { tier: 3, scope: fixed('channels:join'), takesChannel: true },
  'files.getUploadURLExternal': { tier: 4, scope: fixed('files:write'), takesChannel: false },
  'files.completeUploadExternal': { tier: 4, scope: fixed('files:write'), takesChannel: false },
  'views.publish': { tier: 4, scope: fixed(undefined), takesChannel: false },
};

/** Methods whose limit drops to 1 request a minute (and `limit` to 15) for non-Marketplace apps (2025). */
export const HISTORY_METHODS = new Set(['conversations.history', 'conversations.replies']);
/** `limit` of history and replies: Slack's normal default/maximum, and the 2025 non-Marketplace cap. */
export const HISTORY_LIMIT = { normal: { default: 100, max: 999 }, capped: { default: 15, max: 15 } } as const;
