// The strict Web API of the Slack stand-in: token, scope, channel, membership and rate-limit checks
// in the order Slack applies them, then the method itself. Answers what Slack answers.
import { blockKitViolations } from './block-kit-limits.js';
import { openDirectMessage } from './conversations-open.js';
import type { FileStore } from './files.js';
import { POST_PER_CHANNEL, type RateLimits, tierLimit } from './rate-limits.js';
import { publishHomeView } from './views.js';
import { HISTORY_LIMIT, HISTORY_METHODS, METHOD_RULES, type StandInChannel } from './web-api-rules.js';

/** The bot user the stand-in's bot token belongs to. */
export const STAND_IN_BOT = { userId: 'ULOCALBOT', botId: 'BLOCAL', teamId: 'TLOCAL' } as const;

/** A message in a channel of the stand-in. */
export interface StoredMessage {
  channel: string;
  ts: string;
  /** Who posted it: the bot's user id, or a person's. */
  user: string;
  payload: Record<string, unknown>;
  /** Milliseconds since the epoch when Slack accepted it. */
  receivedAt: number;
}

/** An answer of the Web API: the JSON body, its HTTP status and headers. */
export interface WebApiAnswer {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

/** A failure to inject: an error answer or a 429 with Retry-After. */
export type InjectedFailure = { error: string } | { ratelimited: number };

export interface WebApiState {
  botToken: string;
  appToken: string | undefined;
  scopes: readonly string[];
  channels: Map<string, StandInChannel>;
  messages: StoredMessage[];
  /** Enforce Slack's 2025 limit on history/replies for apps not approved for the Marketplace. */
  historyCapped: boolean;
  limits: RateLimits;
  injected: Map<string, InjectedFailure[]>;
  now: () => number;
  nextTs: () => string;
  /** Uploads (files.getUploadURLExternal, the upload URL, files.completeUploadExternal). */
  files: FileStore;
  /** The base URL upload URLs point at. */
  baseUrl?: () => string;
  /** The Home tab view published per user (views.publish). */
  homeViews: Map<string, Record<string, unknown>>;
  /** Called for every accepted chat.postMessage / update / postEphemeral (the stand-in records them). */
  accepted: (method: string, message: StoredMessage) => void;
}

const ok = (body: Record<string, unknown> = {}): WebApiAnswer => ({ status: 200, body: { ok: true, ...body } });
const fail = (error: string, extra: Record<string, unknown> = {}): WebApiAnswer => ({
  status: 200,
  body: { ok: false, error, ...extra },
});
const ratelimited = (seconds: number): WebApiAnswer => ({
  status: 429,
  body: { ok: false, error: 'ratelimited' },
  headers: { 'retry-after': String(seconds) },
});

const hasText = (args: Record<string, unknown>) =>
  ['text', 'markdown_text'].some((k) => typeof args[k] === 'string' && (args[k] as string).trim() !== '') ||
  (Array.isArray(args.blocks) && args.blocks.length > 0);

function tokenOf(authorization: string | undefined, args: Record<string, unknown>) {
  const bearer = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  return { token: bearer ?? (typeof args.token === 'string' ? args.token : undefined), inHeader: !!bearer };
}

/**
 * Answers one Web API call as Slack would.
 *
 * @example
 * ```ts
 * const answer = answerWebApi(state, 'chat.postMessage', args, req.headers.authorization)
 * ```
 */
export function answerWebApi(
  state: WebApiState,
  method: string,
  args: Record<string, unknown>,
  authorization: string | undefined,
): WebApiAnswer {
  const { token, inHeader } = tokenOf(authorization, args);
  if (!token) return fail('not_authed');
  if (method === 'apps.connections.open') {
    if (!token.startsWith('xapp-')) return fail('not_allowed_token_type');
    return token === state.appToken && inHeader ? ok() : fail('invalid_auth');
  }
  if (token.startsWith('xapp-')) return fail('not_allowed_token_type');
  if (token !== state.botToken) return fail('invalid_auth');
  const rule = METHOD_RULES[method];
  if (!rule) return fail('unknown_method');
  const injected = state.injected.get(method)?.shift();
  if (injected) return 'error' in injected ? fail(injected.error) : ratelimited(injected.ratelimited);

  const channel = rule.takesChannel ? state.channels.get(String(args.channel ?? '')) : undefined;
  if (rule.takesChannel && !args.channel) return fail('channel_not_found');
  const visible = channel && (!channel.private || channel.members.has(STAND_IN_BOT.userId));
  if (rule.takesChannel && !visible) return fail('channel_not_found');
  const needed = rule.scope(channel);
  if (needed && !state.scopes.includes(needed))
    return fail('missing_scope', { needed, provided: state.scopes.join(',') });

  const wait = rateLimit(state, method, channel);
  if (wait !== undefined) return ratelimited(wait);
  return perform(state, method, args, channel);
}

function rateLimit(state: WebApiState, method: string, channel: StandInChannel | undefined): number | undefined {
  const rule = METHOD_RULES[method];
  const now = state.now();
  if (method === 'chat.postMessage') return state.limits.take(`${method}:${channel?.id}`, POST_PER_CHANNEL, now);
  if (!rule || rule.tier === 'special') return undefined;
  const tier = HISTORY_METHODS.has(method) && state.historyCapped ? 1 : rule.tier;
  return state.limits.take(method, tierLimit(tier), now);
}

function perform(
  state: WebApiState,
  method: string,
  args: Record<string, unknown>,
  channel: StandInChannel | undefined,
): WebApiAnswer {
  const isMember = !!channel?.members.has(STAND_IN_BOT.userId);
  switch (method) {
    case 'auth.test':
      return ok({
        url: 'https://local.slack.invalid/',
        team: 'local',
        user: 'licensewatch',
        team_id: STAND_IN_BOT.teamId,
        user_id: STAND_IN_BOT.userId,
        bot_id: STAND_IN_BOT.botId,
      });
    case 'conversations.info':
      return ok({ channel: channelInfo(channel as StandInChannel) });
    case 'conversations.open': {
      const opened = openDirectMessage(state.channels, STAND_IN_BOT.userId, args);
      return opened.ok ? ok({ channel: opened.channel }) : fail(opened.error);
    }
    case 'conversations.join': {
      const target = channel as StandInChannel;
      if (target.private) return fail('method_not_supported_for_channel_type');
      if (target.archived) return fail('is_archived');
      target.members.add(STAND_IN_BOT.userId);
      return ok({ channel: channelInfo(target) });
    }
    case 'conversations.history':
    case 'conversations.replies':
      if (!isMember) return fail('not_in_channel');
      return readMessages(state, method, args, channel as StandInChannel);
    case 'chat.postMessage':
    case 'chat.postEphemeral':
      return post(state, method, args, channel as StandInChannel);
    case 'chat.update':
      return update(state, args, channel as StandInChannel);
    case 'files.getUploadURLExternal':
    case 'files.completeUploadExternal':
      return fileCall(state, method, args);
    case 'views.publish':
      return publishView(state, args);
    default:
      return fail('unknown_method');
  }
}

function channelInfo(channel: StandInChannel) {
  return {
    id: channel.id,
    name: channel.name,
    is_channel: !channel.private,
    is_im: channel.im ?? false,
    is_group: false,
    is_private: channel.private,
    is_archived: channel.archived,
    is_member: channel.members.has(STAND_IN_BOT.userId),
  };
}

function post(
  state: WebApiState,
  method: string,
  args: Record<string, unknown>,
  channel: StandInChannel,
): WebApiAnswer {
  if (channel.archived) return fail('is_archived');
  const member = channel.members.has(STAND_IN_BOT.userId);
  if (!member && (channel.private || !state.scopes.includes('chat:write.public'))) return fail('not_in_channel');
  if (!hasText(args)) return fail('no_text');
  const invalid = blockKitViolations(args);
  if (invalid.length > 0) return fail('invalid_blocks', { errors: invalid });
  const message: StoredMessage = {
    channel: channel.id,
    ts: state.nextTs(),
    user: STAND_IN_BOT.userId,
    payload: args,
    receivedAt: state.now(),
  };
  if (method === 'chat.postMessage') state.messages.push(message);
  state.accepted(method, message);
  return ok({ channel: channel.id, ts: message.ts, message: { ...args, ts: message.ts } });
}

function update(state: WebApiState, args: Record<string, unknown>, channel: StandInChannel): WebApiAnswer {
  const original = state.messages.find((m) => m.channel === channel.id && m.ts === String(args.ts ?? ''));
  if (!original) return fail('message_not_found');
  if (original.user !== STAND_IN_BOT.userId) return fail('cant_update_message');
  if (channel.archived) return fail('is_archived');
  if (!hasText(args)) return fail('no_text');
  if (typeof args.text === 'string' && args.text.length > 4_000) return fail('msg_too_long');
  const invalid = blockKitViolations(args);
  if (invalid.length > 0) return fail('invalid_blocks', { errors: invalid });
  // An omitted `metadata` keeps the old value (Slack's rule), as do thread fields.
  const { token: _token, ...changes } = args;
  original.payload = { ...original.payload, ...changes };
  state.accepted('chat.update', { ...original, payload: args, receivedAt: state.now() });
  return ok({ channel: channel.id, ts: original.ts, text: args.text });
}

function readMessages(
  state: WebApiState,
  method: string,
  args: Record<string, unknown>,
  channel: StandInChannel,
): WebApiAnswer {
  const bounds = state.historyCapped ? HISTORY_LIMIT.capped : HISTORY_LIMIT.normal;
  const asked = Number(args.limit ?? bounds.default);
  const limit = Math.min(Number.isFinite(asked) && asked > 0 ? asked : bounds.default, bounds.max);
  const withMetadata = args.include_all_metadata === true || args.include_all_metadata === 'true';
  const inChannel = state.messages.filter((m) => m.channel === channel.id);
  let found: StoredMessage[];
  if (method === 'conversations.replies') {
    const thread = String(args.ts ?? '');
    const parent = inChannel.find((m) => m.ts === thread);
    if (!parent) return fail('thread_not_found');
    found = [parent, ...inChannel.filter((m) => m.payload.thread_ts === thread && m.ts !== thread)].slice(0, limit);
  } else {
    found = inChannel
      .filter((m) => !m.payload.thread_ts)
      .reverse()
      .slice(0, limit);
  }
  const total =
    method === 'conversations.replies' ? found.length : inChannel.filter((m) => !m.payload.thread_ts).length;
  return ok({
    messages: found.map((m) => ({
      type: 'message',
      user: m.user,
      ts: m.ts,
      text: m.payload.text,
      ...(m.payload.thread_ts ? { thread_ts: m.payload.thread_ts } : {}),
      ...(withMetadata && m.payload.metadata ? { metadata: m.payload.metadata } : {}),
    })),
    has_more: total > found.length,
  });
}

/** File upload v2: a URL for the bytes, then the share into `channel_id` (membership required). */
function fileCall(state: WebApiState, method: string, args: Record<string, unknown>): WebApiAnswer {
  if (method === 'files.getUploadURLExternal') {
    const started = state.files.start(args, state.baseUrl?.() ?? '');
    return started.ok ? ok({ upload_url: started.upload_url, file_id: started.file_id }) : fail(started.error);
  }
  const channelId = typeof args.channel_id === 'string' ? args.channel_id : undefined;
  if (channelId) {
    const channel = state.channels.get(channelId);
    if (!channel || (channel.private && !channel.members.has(STAND_IN_BOT.userId))) return fail('channel_not_found');
    if (!channel.members.has(STAND_IN_BOT.userId)) return fail('not_in_channel');
  }
  const completed = state.files.complete(args);
  if (!completed.ok) return fail(completed.error);
  const listing = completed.files.map((f) => `${f.id} ${f.path}`).join('\n');
  state.accepted('files.completeUploadExternal', {
    channel: channelId ?? '',
    ts: state.nextTs(),
    user: STAND_IN_BOT.userId,
    payload: { ...args, text: `uploaded ${completed.files.length} file(s):\n${listing}` },
    receivedAt: state.now(),
  });
  return ok({ files: completed.files.map(({ path: _path, ...file }) => file) });
}

function publishView(state: WebApiState, args: Record<string, unknown>): WebApiAnswer {
  const published = publishHomeView(args);
  if (!published.ok)
    return fail(published.error, published.response_metadata ? { response_metadata: published.response_metadata } : {});
  state.homeViews.set(String(args.user_id), published.view);
  state.accepted('views.publish', {
    channel: String(args.user_id),
    ts: state.nextTs(),
    user: STAND_IN_BOT.userId,
    payload: published.view,
    receivedAt: state.now(),
  });
  return ok({ view: { id: `V${String(args.user_id)}`, ...published.view } });
}
