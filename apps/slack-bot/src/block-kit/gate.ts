// The output gate: every payload the bot sends to Slack passes here last (see ./gated-fetch.ts and
// ./gated-ack.ts for the two seams that make that so). It
//   (a) defuses markup tokens: data is escaped by the renderers (./mrkdwn.ts), so any `<…>` left is
//       the bot's own; only the shapes the bot writes survive (user and channel mentions with
//       well-formed ids, Slack date tokens, and broadcast mentions where a surface allows them),
//       anything else (`<url|text>`, a stray `<!channel>`) is escaped; and
//   (b) fits Block Kit limits per surface (./limits.ts), cutting with "…and N more" instead of
//       letting Slack refuse the whole payload.
// Pure functions: the same input gives the same output (a reply cache can sit in front of it).
import { LIMITS } from './limits.js';
import { stripControls, truncate } from './mrkdwn.js';

/** Where a payload goes: its block budget and whether broadcast mentions may stay live. */
export interface Surface {
  /** `message`: 50 blocks and ~12,000 characters in all; `view` (Home tab, modal): 100 blocks. */
  kind: 'message' | 'view';
  /**
   * `<!here>`, `<!channel>`, `<!everyone>`, `<!subteam^S…>` stay live: only channel alerts, whose
   * mentions come from the operator's rule file, never from data. Replies to one person never.
   */
  broadcast: boolean;
}

export const SURFACES = {
  /** Replies (ack, respond), ephemeral messages, upload comments. */
  reply: { kind: 'message', broadcast: false },
  /** Channel alerts (chat.postMessage, chat.update). */
  alert: { kind: 'message', broadcast: true },
  /** The Home tab (views.publish). */
  home: { kind: 'view', broadcast: false },
} as const satisfies Record<string, Surface>;

/** Fallback `text` longer than this is cut (chat.update refuses more with `msg_too_long`). */
export const FALLBACK_TEXT_LIMIT = 4_000;
/** A file title (plain text) is bounded like a header. */
export const FILE_TITLE_LIMIT = 250;
/** `alt_txt` of files.getUploadURLExternal (`alt_txt_too_large` above 1,000). */
export const UPLOAD_ALT_TEXT_LIMIT = 1_000;

type Json = Record<string, unknown>;

const USER = /^@[UW][A-Z0-9]{1,}$/;
const CHANNEL = /^#[CG][A-Z0-9]{2,}(\|[^|<>]*)?$/;
const DATE = /^!date\^\d{1,12}\^[^|<>]+\|[^|<>]*$/;
const BROADCAST = /^!(here|channel|everyone|subteam\^S[A-Z0-9]{2,})$/;

/**
 * Escapes every `<…>` token the surface does not allow: what is left can only mention a user or a
 * channel by id, show a date, or (on alerts) notify as the operator configured.
 *
 * @example
 * ```ts
 * defuseTokens('<@U0123> <https://evil|x>', SURFACES.reply) // '<@U0123> &lt;https://evil|x&gt;'
 * ```
 */
export function defuseTokens(text: string, surface: Surface): string {
  if (!text.includes('<') && !text.includes('>')) return text;
  // Tokens are matched left to right; a `<` or `>` outside an allowed token is escaped.
  return text.replace(/<([^<>]*)>|[<>]/g, (match, inner: string | undefined) => {
    if (inner !== undefined && allowedToken(inner, surface)) return match;
    return match.replace(/</g, '&lt;').replace(/>/g, '&gt;');
  });
}

function allowedToken(inner: string, surface: Surface): boolean {
  return USER.test(inner) || CHANNEL.test(inner) || DATE.test(inner) || (surface.broadcast && BROADCAST.test(inner));
}

/**
 * A mrkdwn text cut to `max` at a line boundary, saying how many lines were left out. `hidden`:
 * items the caller already left out (counted in the same "…and N more" line).
 *
 * @example
 * ```ts
 * fitLines(lines.join('\n'), 3_000) // 'line 1\n…\n…and 120 more'
 * ```
 */
export function fitLines(text: string, max: number, hidden = 0): string {
  const suffix = (count: number) => (count > 0 ? `\n…and ${count} more` : '');
  if (text.length + suffix(hidden).length <= max) return `${text}${suffix(hidden)}`;
  const lines = text.split('\n');
  const kept: string[] = [];
  let used = 0;
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    // Room for this line and the "…and N more" line for whatever would be left after it.
    const after = suffix(lines.length - i - 1 + hidden).length;
    if (used + line.length + (kept.length ? 1 : 0) + after > max) {
      if (kept.length === 0) return truncate(line, max);
      return `${kept.join('\n')}${suffix(lines.length - i + hidden)}`;
    }
    kept.push(line);
    used += line.length + (kept.length > 1 ? 1 : 0);
  }
  return `${kept.join('\n')}${suffix(hidden)}`;
}

const textObject = (value: unknown): Json | undefined =>
  typeof value === 'object' && value !== null && typeof (value as Json).text === 'string' ? (value as Json) : undefined;

/** A text object fitted: mrkdwn defused and cut by lines; plain_text stripped of controls and cut. */
function fitText(value: unknown, max: number, surface: Surface): unknown {
  const object = textObject(value);
  if (!object) return value;
  const text = object.text as string;
  if (object.type === 'mrkdwn') return { ...object, text: fitLines(defuseTokens(text, surface), max) };
  const plain = truncate(text, max);
  return { ...object, text: plain.length > 0 ? plain : '…' };
}

const idOf = (value: unknown, max: number) => (typeof value === 'string' ? truncate(value, max) : value);
const more = (count: number) => ({ type: 'mrkdwn', text: `…and ${count} more` });

function fitElement(element: Json, surface: Surface): Json {
  const out: Json = { ...element };
  if (element.text !== undefined)
    out.text = fitText(element.text, element.type === 'button' ? LIMITS.buttonText : LIMITS.contextText, surface);
  if (typeof element.value === 'string') out.value = element.value.slice(0, LIMITS.buttonValue);
  if (element.action_id !== undefined) out.action_id = idOf(element.action_id, LIMITS.actionId);
  if (typeof element.alt_text === 'string') out.alt_text = truncate(element.alt_text, LIMITS.imageAltText);
  return out;
}

/** One block within its own limits. */
function fitBlock(block: Json, surface: Surface): Json {
  const out: Json = { ...block };
  if (block.block_id !== undefined) out.block_id = idOf(block.block_id, LIMITS.blockId);
  const elements = Array.isArray(block.elements) ? (block.elements as Json[]) : undefined;
  switch (block.type) {
    case 'header':
      out.text = fitText(block.text, LIMITS.headerText, surface);
      break;
    case 'section': {
      if (block.text !== undefined) out.text = fitText(block.text, LIMITS.sectionText, surface);
      if (Array.isArray(block.fields)) {
        const fields = (block.fields as unknown[]).map((f) => fitText(f, LIMITS.fieldText, surface));
        out.fields =
          fields.length > LIMITS.sectionFields
            ? [...fields.slice(0, LIMITS.sectionFields - 1), more(fields.length - LIMITS.sectionFields + 1)]
            : fields;
      }
      break;
    }
    case 'context': {
      const fitted = (elements ?? []).map((e) => fitElement(e, surface));
      out.elements =
        fitted.length > LIMITS.contextElements
          ? [...fitted.slice(0, LIMITS.contextElements - 1), more(fitted.length - LIMITS.contextElements + 1)]
          : fitted;
      break;
    }
    case 'actions':
      out.elements = (elements ?? []).slice(0, LIMITS.actionsElements).map((e) => fitElement(e, surface));
      break;
    case 'image':
      if (typeof block.alt_text === 'string') out.alt_text = truncate(block.alt_text, LIMITS.imageAltText) || 'chart';
      break;
    default:
      break;
  }
  return out;
}

/** Characters of text a block carries (what Slack's cumulative `msg_blocks_too_long` counts). */
function blockTextLength(block: Json): number {
  const own = (textObject(block.text)?.text as string | undefined)?.length ?? 0;
  const fields = Array.isArray(block.fields)
    ? (block.fields as unknown[]).reduce<number>((n, f) => n + ((textObject(f)?.text as string)?.length ?? 0), 0)
    : 0;
  const elements = Array.isArray(block.elements)
    ? (block.elements as Json[]).reduce<number>(
        (n, e) =>
          n + (typeof e.text === 'string' ? e.text.length : ((textObject(e.text)?.text as string)?.length ?? 0)),
        0,
      )
    : 0;
  return own + fields + elements;
}

/**
 * The blocks within the surface's count (and, for messages, the cumulative text cap): when too
 * many, the first ones and the last (the footer) are kept, with "…and N more" between them.
 */
function fitBlockList(blocks: Json[], surface: Surface): Json[] {
  const max = surface.kind === 'view' ? LIMITS.blocksPerView : LIMITS.blocksPerMessage;
  const budget = surface.kind === 'view' ? Number.POSITIVE_INFINITY : LIMITS.blocksTotalText;
  const lengths = blocks.map(blockTextLength);
  const total = lengths.reduce((a, b) => a + b, 0);
  if (blocks.length <= max && total <= budget) return blocks;
  const footer = blocks.length > 1 ? blocks[blocks.length - 1] : undefined;
  const footerLength = footer ? (lengths[lengths.length - 1] ?? 0) : 0;
  const notice = 40; // "…and N more" context
  const head: Json[] = [];
  let used = footerLength + notice;
  const room = max - (footer ? 2 : 1);
  const candidates = footer ? blocks.length - 1 : blocks.length;
  for (let i = 0; i < candidates && head.length < room; i += 1) {
    const length = lengths[i] ?? 0;
    if (used + length > budget) break;
    head.push(blocks[i] as Json);
    used += length;
  }
  const left = candidates - head.length;
  return [...head, { type: 'context', elements: [more(left)] }, ...(footer ? [footer] : [])];
}

/**
 * A message (chat.*, respond, ack) fitted to its surface: blocks and fallback text within limits,
 * markup tokens defused. Leaves every other field as it is.
 *
 * @example
 * ```ts
 * const safe = gateMessage({ text, blocks }, SURFACES.reply)
 * ```
 */
export function gateMessage<T extends object>(message: T, surface: Surface): T {
  const input = message as Json;
  const out: Json = { ...input };
  if (typeof input.text === 'string')
    out.text = truncate(defuseTokens(input.text, surface), FALLBACK_TEXT_LIMIT) || ' ';
  if (Array.isArray(input.blocks))
    out.blocks = fitBlockList(
      (input.blocks as Json[]).map((b) => fitBlock(b, surface)),
      surface,
    );
  return out as T;
}

/**
 * A view (views.publish, views.open) fitted: up to 100 blocks, each within its limits.
 *
 * @example
 * ```ts
 * await client.views.publish({ user_id, view: gateView(view) })
 * ```
 */
export function gateView<T extends object>(view: T): T {
  return gateMessage(view, SURFACES.home);
}

/** Plain text for other systems (PagerDuty summaries): no controls, at most `max` characters. */
export function gatePlainText(text: string, max: number): string {
  return truncate(stripControls(text), max);
}

/**
 * The arguments of one Web API call, gated for what that method shows: messages (alerts may keep
 * configured broadcast mentions), Home views, upload titles, comments and alt text.
 *
 * @example
 * ```ts
 * gateWebApiArgs('chat.postMessage', { channel, text, blocks })
 * ```
 */
export function gateWebApiArgs(method: string, args: Json): Json {
  switch (method) {
    case 'chat.postMessage':
    case 'chat.update':
      return gateMessage(args, SURFACES.alert);
    case 'chat.postEphemeral':
      return gateMessage(args, SURFACES.reply);
    case 'views.publish':
    case 'views.open':
    case 'views.update':
      return typeof args.view === 'object' && args.view !== null ? { ...args, view: gateView(args.view) } : args;
    case 'files.getUploadURLExternal': {
      const out = { ...args };
      for (const key of ['alt_txt', 'alt_text'])
        if (typeof args[key] === 'string') out[key] = gatePlainText(args[key] as string, UPLOAD_ALT_TEXT_LIMIT);
      return out;
    }
    case 'files.completeUploadExternal': {
      const out: Json = { ...args };
      if (typeof args.initial_comment === 'string')
        out.initial_comment = truncate(defuseTokens(args.initial_comment, SURFACES.reply), FALLBACK_TEXT_LIMIT);
      if (Array.isArray(args.files))
        out.files = (args.files as Json[]).map((f) =>
          typeof f.title === 'string' ? { ...f, title: gatePlainText(f.title, FILE_TITLE_LIMIT) } : f,
        );
      if (Array.isArray(args.blocks)) out.blocks = gateMessage({ blocks: args.blocks }, SURFACES.reply).blocks;
      return out;
    }
    default:
      return args;
  }
}
