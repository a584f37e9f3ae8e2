// What one person sees in the local Slack: the stand-in's received messages folded into channel
// timelines as Slack shows them. chat.update edits a message in place; a reply to a response URL is
// "only visible to you" unless `response_type: in_channel`, and `replace_original` /
// `delete_original` change the message whose button was pressed; files shared in a channel appear
// there; views.publish sets the Home tab.

type Json = Record<string, unknown>;

/** The part of a received message the view needs (see `ReceivedMessage`). */
export interface Received {
  kind: string;
  target: string;
  ts: string;
  payload: Json;
}

/** Where a response URL's replies go: the channel and person of the request, and the pressed message. */
export interface ResponseOrigin {
  channel: string;
  user: string;
  /** Key of the message whose button was pressed (replace_original / delete_original act on it). */
  source?: string;
}

/** A message as a person sees it in a channel. */
export interface ShownMessage {
  /** Stable within one fold: how a button names the message it is on. */
  key: string;
  channel: string;
  ts: string;
  /** The parent's ts when this is a reply in a thread. */
  threadTs?: string;
  payload: Json;
  /** Only visible to you (ephemeral replies and postEphemeral). */
  ephemeral: boolean;
  /** Who it is from: the app, Slackbot (the stand-in's own notices), or you (the command you typed). */
  from: 'app' | 'slackbot' | 'you';
}

/** A notice of the stand-in's own (Slackbot), shown after the first `after` received messages. */
export interface Notice {
  after: number;
  message: ShownMessage;
}

/** Everything one person sees. */
export interface Workspace {
  messages: ShownMessage[];
  /** The Home tab view published for the person, if any. */
  home: Json | undefined;
}

const withoutToken = ({ token: _token, ...rest }: Json): Json => rest;

/** A shared file as a message: its comment and the file (rendered as an image). */
function fileMessage(received: Received): Json {
  const files = Array.isArray(received.payload.files) ? (received.payload.files as Json[]) : [];
  const comment = typeof received.payload.initial_comment === 'string' ? received.payload.initial_comment : '';
  return {
    text: comment,
    blocks: [
      ...(comment ? [{ type: 'section', text: { type: 'mrkdwn', text: comment } }] : []),
      ...files.map((f) => ({
        type: 'image',
        slack_file: { id: String(f.id) },
        alt_text: String(f.title ?? f.id),
      })),
    ],
  };
}

/**
 * Folds the received messages into what `user` sees.
 *
 * @example
 * ```ts
 * const { messages, home } = workspaceOf(slack.messages, origins, 'ULOCALUSER')
 * ```
 */
export function workspaceOf(
  received: readonly Received[],
  origins: ReadonlyMap<string, ResponseOrigin>,
  user: string,
  notices: readonly Notice[] = [],
): Workspace {
  const messages: ShownMessage[] = [];
  let home: Json | undefined;
  const find = (key: string | undefined) => (key ? messages.findIndex((m) => m.key === key) : -1);
  const noticesBefore = (index: number) => {
    for (const notice of notices) if (notice.after === index) messages.push(notice.message);
  };
  received.forEach((message, index) => {
    noticesBefore(index);
    const { kind, target, ts, payload } = message;
    const threadTs = typeof payload.thread_ts === 'string' ? payload.thread_ts : undefined;
    if (kind === 'chat.postMessage') {
      messages.push({
        key: `${target}:${ts}`,
        channel: target,
        ts,
        payload: withoutToken(payload),
        ephemeral: false,
        from: 'app',
        ...(threadTs ? { threadTs } : {}),
      });
    } else if (kind === 'chat.update') {
      const at = find(`${target}:${ts}`);
      const shown = messages[at];
      if (shown) shown.payload = { ...shown.payload, ...withoutToken(payload) };
    } else if (kind === 'chat.postEphemeral' && payload.user === user) {
      messages.push({
        key: `e:${index}`,
        channel: target,
        ts,
        payload: withoutToken(payload),
        ephemeral: true,
        from: 'app',
        ...(threadTs ? { threadTs } : {}),
      });
    } else if (kind === 'files.completeUploadExternal' && target) {
      messages.push({
        key: `f:${index}`,
        channel: target,
        ts,
        payload: fileMessage(message),
        ephemeral: false,
        from: 'app',
        ...(threadTs ? { threadTs } : {}),
      });
    } else if (kind === 'views.publish' && target === user) {
      home = payload;
    } else if (kind === 'response') {
      const origin = origins.get(target);
      if (!origin) return; // a response URL handed out by a test, not by this view
      const at = find(origin.source);
      if (payload.delete_original === true) {
        if (at >= 0) messages.splice(at, 1);
        return;
      }
      const { replace_original, delete_original: _d, response_type, ...content } = payload;
      const shown = messages[at];
      if (replace_original === true && shown) {
        shown.payload = content;
        return;
      }
      messages.push({
        key: `r:${index}`,
        channel: origin.channel,
        ts: `reply-${index}`,
        payload: content,
        ephemeral: response_type !== 'in_channel',
        from: 'app',
      });
    }
  });
  for (const notice of notices) if (notice.after >= received.length) messages.push(notice.message);
  return { messages, home };
}
