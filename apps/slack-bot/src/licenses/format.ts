/** Escapes the three characters Slack's mrkdwn treats as control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Removes control characters (newlines, tabs, NUL, bidi overrides…) and folds white space. */
export function stripControls(text: string): string {
  return text
    .replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Shortens to at most `max` characters (by code point), with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  const points = Array.from(text);
  return points.length <= max ? text : `${points.slice(0, max - 1).join('')}…`;
}

/** User text made safe to echo inside mrkdwn: no controls, no markup, bounded length. */
export function echo(text: string, max = 80): string {
  return escapeMrkdwn(truncate(stripControls(text), max));
}

const numbers = new Intl.NumberFormat('en-US');

/** `12500` → `12,500`. */
export function formatCount(value: number): string {
  return numbers.format(value);
}

/** How long ago, for "as of 2 min ago". */
export function formatAge(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 10) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} days ago`;
}
