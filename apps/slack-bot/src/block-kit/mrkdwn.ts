// Text from outside (LMPI product and customer names, codes, user input) made inert for Slack's
// mrkdwn. Renderers call these for every piece of data they put in a message; the output gate
// (./gate.ts) then defuses any markup token that is not one of the few the bot writes itself.
//
// Slack encodes only `&`, `<` and `>` (https://docs.slack.dev/messaging/formatting-message-text):
// with those escaped, no `<!channel>`, `<@U…>`, `<#C…>` or `<url|text>` can come from data.
// mrkdwn has no escape for `*`, `_`, `~` and `` ` ``, so inside names they are replaced by
// look-alike characters: a name like `A*B_C` cannot end the bold around it or start italics.

/** Formatting characters of mrkdwn and the look-alikes that stand in for them inside data. */
const FORMATTING: Readonly<Record<string, string>> = {
  '*': '\u2217', // ∗ asterisk operator
  _: '\u02cd', // ˍ modifier letter low macron
  '~': '\u223c', // ∼ tilde operator
  '`': '\u02cb', // ˋ modifier letter grave accent
};

/**
 * Escapes the three characters Slack's mrkdwn treats as control characters (`&`, `<`, `>`).
 *
 * @example
 * ```ts
 * escapeMrkdwn('<!channel> A&B') // '&lt;!channel&gt; A&amp;B'
 * ```
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Removes control and format characters (newlines, tabs, NUL, bidi overrides, zero-width joiners)
 * and folds white space, so a name stays on its line and cannot reorder the text around it.
 *
 * @example
 * ```ts
 * stripControls('Apex\u202e One\n') // 'Apex One'
 * ```
 */
export function stripControls(text: string): string {
  return text
    .replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Shortens to at most `max` UTF-16 units (what Slack's limits and `.length` count), never splitting
 * a code point, with an ellipsis when cut.
 *
 * @example
 * ```ts
 * truncate('Apex One Advanced', 8) // 'Apex On…'
 * ```
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = '';
  for (const point of text) {
    if (out.length + point.length > max - 1) break;
    out += point;
  }
  return `${out}…`;
}

/** Replaces mrkdwn formatting characters with look-alikes. */
export function neutraliseFormatting(text: string): string {
  return text.replace(/[*_~`]/g, (c) => FORMATTING[c] ?? c);
}

/**
 * A name from data (product, customer, plan, partner) ready to sit inside mrkdwn, also inside
 * `*bold*`: no controls, at most `max` characters, `&<>` escaped, formatting characters neutralised.
 *
 * @example
 * ```ts
 * `*${dataName('<!here> A*B', 60)}*` // '*&lt;!here&gt; A∗B*'
 * ```
 */
export function dataName(text: string, max = 150): string {
  return escapeMrkdwn(neutraliseFormatting(truncate(stripControls(text), max)));
}

/**
 * A code from data (product code, partner id) for a `` `code` `` span: no controls, escaped, and no
 * backtick to end the span early (other formatting characters are inert inside it and kept, so the
 * code reads exactly as LMPI spells it).
 *
 * @example
 * ```ts
 * `\`${dataCode('NNZB`XXE1X')}\`` // '`NNZBˋXXE1X`'
 * ```
 */
export function dataCode(text: string, max = 40): string {
  return escapeMrkdwn(truncate(stripControls(text), max).replace(/`/g, FORMATTING['`'] ?? "'"));
}

/**
 * Data for plain_text fields (headers, button labels, file titles, alt text): Slack does not parse
 * markup there, so only controls are removed and the length bounded.
 *
 * @example
 * ```ts
 * plainData('Apex\nOne', 150) // 'Apex One'
 * ```
 */
export function plainData(text: string, max: number): string {
  return truncate(stripControls(text), max);
}
