import { stripControls, truncate } from '../block-kit/format.js';

/** What `/licenses <text>` asks for. */
export type LicensesQuery =
  | { kind: 'list'; filter: string | undefined; lowOnly: boolean; text: string }
  | { kind: 'help'; unknown: string | undefined }
  /** `/licenses usage [customer]`: last month's customer summary, optionally one customer's. */
  | { kind: 'usage'; customer: string | undefined; text: string };

/** Longest filter kept: product names are at most 150 characters, so longer text cannot match. */
export const MAX_FILTER_LENGTH = 150;

/** Turns Slack markup into its visible text: `<#C1|general>` → `general`, `<@U1>` → ``. */
export function unwrapSlackMarkup(text: string): string {
  return text.replace(/<([^<>]*)>/g, (_all, inner: string) => {
    const [target, label] = inner.split('|', 2);
    if (label !== undefined) return label;
    if (/^[@#!]/.test(target ?? '')) return '';
    return target ?? '';
  });
}

/**
 * Parses the text after `/licenses`. Empty lists everything; `help` (or `?`) explains; `low` shows
 * products at or below their low level; anything else filters by name or code. Text that is
 * nothing but markup, emoji shortcodes or control characters gets the help.
 *
 * @example
 * ```ts
 * parseLicensesQuery('low') // { kind: 'list', lowOnly: true, filter: undefined, text: 'low' }
 * ```
 */
export function parseLicensesQuery(raw: string): LicensesQuery {
  const original = raw ?? '';
  const cleaned = stripControls(unwrapSlackMarkup(original))
    .replace(/:[a-z0-9_+-]+:/gi, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (original.trim() === '') return { kind: 'list', filter: undefined, lowOnly: false, text: '' };
  const lower = cleaned.toLowerCase();
  if (lower === 'help' || lower === '?' || lower === '-h' || lower === '--help')
    return { kind: 'help', unknown: undefined };
  if (lower === 'low') return { kind: 'list', filter: undefined, lowOnly: true, text: 'low' };
  if (lower === 'usage' || lower.startsWith('usage ')) {
    const customer = truncate(cleaned.slice('usage'.length).trim(), MAX_FILTER_LENGTH) || undefined;
    return { kind: 'usage', customer, text: customer ? `usage ${customer}` : 'usage' };
  }
  if (!/[\p{L}\p{N}]/u.test(cleaned)) return { kind: 'help', unknown: original };
  const filter = truncate(cleaned, MAX_FILTER_LENGTH);
  return { kind: 'list', filter, lowOnly: false, text: filter };
}
