// One implementation of escaping for the whole bot: the output gate's (block-kit/mrkdwn.ts).
import { formatNumber } from '@licensewatch/alerts';
import { dataName, escapeMrkdwn, stripControls, truncate } from './mrkdwn.js';

export { escapeMrkdwn, stripControls, truncate };

/** User text made safe to echo inside mrkdwn: no controls, no markup or formatting, bounded length. */
export function echo(text: string, max = 80): string {
  return dataName(text, max);
}

/** `12500` → `12,500` (en-US, as Intl writes it, without loading ICU's locale data: `formatNumber`). */
export function formatCount(value: number): string {
  return formatNumber(value);
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
