// Block Kit as HTML for the local Slack's web view. Everything from the app is escaped: message text
// is data, never markup. Buttons carry where they are (message key, block, element) so a press can be
// sent back to the app as Slack's block_actions.

type Json = Record<string, unknown>;

const EMOJI: Record<string, string> = {
  red_circle: '🔴',
  large_orange_circle: '🟠',
  large_green_circle: '🟢',
  large_yellow_circle: '🟡',
  white_check_mark: '✅',
  warning: '⚠️',
  low: '⚠️',
  zzz: '💤',
  bell: '🔔',
  no_bell: '🔕',
  chart_with_downwards_trend: '📉',
  chart_with_upwards_trend: '📈',
  arrows_counterclockwise: '🔄',
  house: '🏠',
  information_source: 'ℹ️',
  busts_in_silhouette: '👥',
  test_tube: '🧪',
  tada: '🎉',
  grey_question: '❔',
  rotating_light: '🚨',
  lock: '🔒',
  hourglass_flowing_sand: '⏳',
};

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Slack's own escaping (`&amp;`, `&lt;`, `&gt;`) undone: the text as the person should read it. */
const unslack = (text: string) => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/**
 * Bold, italic, strike and code marks on already escaped text, as Slack reads them: after a start,
 * space or bracket, around text that neither starts nor ends with a space, and followed by an end,
 * space or punctuation (so `~2 d … in ~2 d` is no strike).
 */
function marks(escaped: string): string {
  // Emoji first: their names hold underscores, which would otherwise read as italics.
  return escaped
    .replace(/:([a-z0-9_+-]+):/g, (all, name: string) => EMOJI[name] ?? all)
    .replace(/`([^`\n]+)`/g, '<code>$1</code>')
    .replace(/(^|[\s(])\*([^*\s](?:[^*\n]*[^*\s])?)\*(?=$|[\s.,;:!?)])/gm, '$1<b>$2</b>')
    .replace(/(^|[\s(])_([^_\s](?:[^_\n]*[^_\s])?)_(?=$|[\s.,;:!?)])/gm, '$1<i>$2</i>')
    .replace(/(^|[\s(])~([^~\s](?:[^~\n]*[^~\s])?)~(?=$|[\s.,;:!?)])/gm, '$1<s>$2</s>');
}

/** Display names of people and channels, by id (mentions show names, as in Slack). */
export type Names = ReadonlyMap<string, string>;
const NO_NAMES: Names = new Map();

/** One `<…>` token of mrkdwn: a link, a mention or a date. */
function token(inner: string, names: Names): string {
  const [target = '', label] = inner.split('|', 2);
  if (/^https?:\/\//.test(target))
    return `<a href="${escapeHtml(unslack(target))}" rel="noreferrer" target="_blank">${escapeHtml(unslack(label ?? target))}</a>`;
  if (target.startsWith('@') || target.startsWith('#')) {
    const name = label ?? names.get(target.slice(1)) ?? target.slice(1);
    return `<span class="mention">${target[0]}${escapeHtml(unslack(name))}</span>`;
  }
  if (target.startsWith('!date^')) return escapeHtml(unslack(label ?? '')); // its fallback: the date as text
  if (target.startsWith('!'))
    return `<span class="mention">${escapeHtml(unslack(label ?? `@${target.slice(1)}`))}</span>`;
  return escapeHtml(unslack(label ?? target));
}

/**
 * Slack mrkdwn as HTML: links, mentions, bold, italic, strike, code, emoji and line breaks.
 *
 * @example
 * ```ts
 * mrkdwnHtml('*Low*: <https://x.test|details> &amp; more') // '<b>Low</b>: <a href=…>details</a> &amp; more'
 * ```
 */
export function mrkdwnHtml(text: string, names: Names = NO_NAMES): string {
  return text
    .split(/(<[^<>\n]+>)/)
    .map((part) => (/^<[^<>]+>$/.test(part) ? token(part.slice(1, -1), names) : marks(escapeHtml(unslack(part)))))
    .join('')
    .replace(/\n/g, '<br>');
}

/** A text object (plain_text or mrkdwn) as HTML. */
export function textHtml(value: unknown, names: Names = NO_NAMES): string {
  const object = value as Json | undefined;
  const text = typeof object?.text === 'string' ? object.text : '';
  return object?.type === 'mrkdwn' ? mrkdwnHtml(text, names) : escapeHtml(unslack(text)).replace(/\n/g, '<br>');
}

/** Where a button is: the message (or `home`), the block and the element index. */
export interface ButtonPlace {
  entry: string;
  block: number;
  element: number | 'accessory';
}

/** The URL the view serves a file's bytes from. */
export const fileUrl = (id: string) => `/local/files/${encodeURIComponent(id)}`;

function imageHtml(element: Json, className: string): string {
  const file = (element.slack_file as Json | undefined)?.id;
  const url = typeof file === 'string' ? fileUrl(file) : typeof element.image_url === 'string' ? element.image_url : '';
  const alt = escapeHtml(String(element.alt_text ?? ''));
  return url ? `<img class="${className}" src="${escapeHtml(url)}" alt="${alt}" title="${alt}">` : `[image: ${alt}]`;
}

function buttonHtml(element: Json, place: ButtonPlace): string {
  const style = element.style === 'primary' || element.style === 'danger' ? ` ${element.style}` : '';
  return `<button type="button" class="button${style}" data-entry="${escapeHtml(place.entry)}" data-block="${place.block}" data-element="${place.element}">${textHtml(element.text)}</button>`;
}

function elementHtml(element: Json, place: ButtonPlace, names: Names): string {
  if (element.type === 'button') return buttonHtml(element, place);
  if (element.type === 'image') return imageHtml(element, 'inline');
  if (element.type === 'mrkdwn' || element.type === 'plain_text') return `<span>${textHtml(element, names)}</span>`;
  return `<span class="unsupported">(${escapeHtml(String(element.type))})</span>`;
}

function blockHtml(block: Json, entry: string, index: number, names: Names): string {
  const at = (element: number | 'accessory'): ButtonPlace => ({ entry, block: index, element });
  const elements = Array.isArray(block.elements) ? (block.elements as Json[]) : [];
  switch (block.type) {
    case 'header':
      return `<h3 class="header">${textHtml(block.text)}</h3>`;
    case 'section': {
      const fields = Array.isArray(block.fields) ? (block.fields as Json[]) : [];
      const accessory = block.accessory ? elementHtml(block.accessory as Json, at('accessory'), names) : '';
      return `<div class="section"><div class="section-body">${block.text ? `<div>${textHtml(block.text, names)}</div>` : ''}${
        fields.length
          ? `<div class="fields">${fields.map((f) => `<div>${textHtml(f, names)}</div>`).join('')}</div>`
          : ''
      }</div>${accessory ? `<div class="accessory">${accessory}</div>` : ''}</div>`;
    }
    case 'context':
      return `<div class="context">${elements.map((e, i) => elementHtml(e, at(i), names)).join(' ')}</div>`;
    case 'divider':
      return '<hr>';
    case 'image':
      return `<figure>${imageHtml(block, 'block')}${block.title ? `<figcaption>${textHtml(block.title)}</figcaption>` : ''}</figure>`;
    case 'actions':
      return `<div class="actions">${elements.map((e, i) => elementHtml(e, at(i), names)).join('')}</div>`;
    default:
      return `<div class="unsupported">(${escapeHtml(String(block.type))} block)</div>`;
  }
}

/**
 * A message or view's blocks as HTML (its `text` when it has none).
 *
 * @example
 * ```ts
 * blocksHtml({ text: 'hi', blocks: [{ type: 'divider' }] }, 'CLOCAL:1.000001')
 * ```
 */
export function blocksHtml(payload: Json, entry: string, names: Names = NO_NAMES): string {
  const blocks = Array.isArray(payload.blocks) ? (payload.blocks as Json[]) : [];
  if (blocks.length === 0) return `<div class="section">${mrkdwnHtml(String(payload.text ?? ''), names)}</div>`;
  return blocks.map((block, i) => blockHtml(block, entry, i, names)).join('');
}
