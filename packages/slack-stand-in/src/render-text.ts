// Renders Block Kit messages as readable terminal text, for local mode and the `slash` script.

const EMOJI: Record<string, string> = {
  red_circle: '🔴',
  large_orange_circle: '🟠',
  large_green_circle: '🟢',
  low: '⚠️',
};

/** mrkdwn to plain text: emoji shortcodes, entities and links resolved; bold and code marks kept. */
export function plainText(mrkdwn: string): string {
  return mrkdwn
    .replace(/:([a-z0-9_+-]+):/g, (all, name: string) => EMOJI[name] ?? all)
    .replace(/<([^|<>]+)\|([^<>]+)>/g, '$2')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

type Json = Record<string, unknown>;
const text = (value: unknown) => plainText(String((value as Json | undefined)?.text ?? ''));

function renderBlock(block: Json): string[] {
  switch (block.type) {
    case 'header': {
      const title = text(block.text);
      return [title, '='.repeat(Math.min(title.length, 80))];
    }
    case 'section': {
      const lines = block.text ? text(block.text).split('\n') : [];
      const fields = Array.isArray(block.fields)
        ? (block.fields as Json[]).map((f) => text(f).replace(/\n/, ': '))
        : [];
      if (fields.length) lines.push(`    ${fields.join('  |  ')}`);
      return lines;
    }
    case 'context':
      return [`  ${(block.elements as Json[]).map(text).join('  ')}`];
    case 'divider':
      return ['-'.repeat(40)];
    case 'image': {
      const file = (block.slack_file as Json | undefined)?.id;
      return [`[image: ${String(block.alt_text ?? '')}${file ? ` (file ${String(file)})` : ''}]`];
    }
    case 'actions':
      return [(block.elements as Json[]).map((e) => `[ ${text(e.text)} ]`).join(' ')];
    default:
      return [`(${String(block.type)} block)`];
  }
}

/**
 * A whole message as terminal text.
 *
 * @example
 * ```ts
 * process.stdout.write(renderMessageText({ text, blocks }))
 * ```
 */
export function renderMessageText(payload: unknown): string {
  const message = (payload ?? {}) as Json;
  const blocks = Array.isArray(message.blocks) ? (message.blocks as Json[]) : [];
  if (blocks.length === 0) return `${plainText(String(message.text ?? ''))}\n`;
  return `${blocks.flatMap(renderBlock).join('\n')}\n`;
}
