import { type Forecast, type LevelsFor, matchesFilter, type RatedProduct, rateProducts } from '@licensewatch/alerts';
import { explainLmpiFailure } from '@licensewatch/client';
import type { ProductProfile } from '@licensewatch/schema';
import type { ActionsBlock, Button, KnownBlock } from '@slack/types';
import { context, divider, header, type SlackMessage, section } from '../block-kit/blocks.js';
import { echo, escapeMrkdwn, formatAge, formatCount } from '../block-kit/format.js';
import { dataCode } from '../block-kit/mrkdwn.js';
import type { CatalogueView } from '../catalogue-cache.js';
import { helpMessage } from './help.js';
import { type DailyTrend, LINES_LEGEND, productSections } from './product-line.js';
import type { LicensesQuery } from './query.js';
import { DEFAULT_LEVELS } from './status.js';

/** Products per page: one line each, 10 lines per section, so 5 sections plus the frame. */
export const PAGE_SIZE = 50;

/** Action ids of the paging buttons. */
export const PAGE_ACTIONS = { previous: 'licenses_page_previous', next: 'licenses_page_next' } as const;

/** What a paging button carries: the query text and the page to show. */
export interface PageRequest {
  q: string;
  p: number;
}

export interface LicensesReplyInput {
  query: LicensesQuery;
  view: CatalogueView;
  now: number;
  /** 0-based page; clamped to the pages there are. */
  page: number;
  levelsFor: LevelsFor;
  /** The poller's depletion forecasts by product id: runways, and runway levels as alerts use them. */
  forecasts?: ReadonlyMap<string, Forecast>;
  /** A product's daily `available` for the sparkline (by product id). */
  trendFor?: (productId: string) => DailyTrend | undefined;
  /** Footer line about the levels in force. Default: the default levels. */
  levelsNote?: string;
  /** Set when the history is synthetic (local mode's demo data): said in the reply. */
  demoNote?: string;
}

/** What the bot supplies to every `/licenses` reply besides the query (levels, forecasts, trends). */
export type LicensesViewInputs = Pick<
  LicensesReplyInput,
  'levelsFor' | 'forecasts' | 'trendFor' | 'levelsNote' | 'demoNote'
>;

// Rating and sorting depend only on the catalogue, the levels and the forecasts: done once per
// snapshot and poll, not per command.
const ratedCache = new WeakMap<
  readonly ProductProfile[],
  { levelsFor: LevelsFor; forecasts: ReadonlyMap<string, Forecast> | undefined; rated: RatedProduct<ProductProfile>[] }
>();

function ratedCatalogue(
  products: readonly ProductProfile[],
  levelsFor: LevelsFor,
  forecasts: ReadonlyMap<string, Forecast> | undefined,
): RatedProduct<ProductProfile>[] {
  const cached = ratedCache.get(products);
  if (cached?.levelsFor === levelsFor && cached.forecasts === forecasts) return cached.rated;
  const rated = rateProducts(products, levelsFor, forecasts);
  ratedCache.set(products, { levelsFor, forecasts, rated });
  return rated;
}

/** "1 match", "2 matches", "3 products": English plurals of the words these replies count. */
function plural(count: number, word: string): string {
  if (count === 1) return `${formatCount(count)} ${word}`;
  return `${formatCount(count)} ${word}${/(?:s|x|z|ch|sh)$/.test(word) ? 'es' : 's'}`;
}

function pageButtons(query: LicensesQuery & { kind: 'list' }, page: number, pages: number): ActionsBlock | undefined {
  if (pages <= 1) return undefined;
  const button = (actionId: string, label: string, target: number): Button => ({
    type: 'button',
    action_id: actionId,
    text: { type: 'plain_text', text: label, emoji: true },
    value: JSON.stringify({ q: query.text, p: target } satisfies PageRequest),
  });
  const elements: Button[] = [];
  if (page > 0) elements.push(button(PAGE_ACTIONS.previous, `◀ Previous (${page}/${pages})`, page - 1));
  if (page < pages - 1) elements.push(button(PAGE_ACTIONS.next, `Next (${page + 2}/${pages}) ▶`, page + 1));
  return { type: 'actions', block_id: 'licenses_paging', elements };
}

function unavailableMessage(error: unknown): SlackMessage {
  const { reason, check } = explainLmpiFailure(error);
  return {
    response_type: 'ephemeral',
    text: `Could not get license data: ${reason}.`,
    blocks: [
      section(`:warning: *Could not get license data: ${escapeMrkdwn(reason)}.*\n${escapeMrkdwn(check)}`),
      context('Try again in a minute · `/licenses help`'),
    ],
  };
}

/**
 * Builds the `/licenses` reply for one page: partner, data age, products in the urgency order of
 * `rateProducts` (critical, low, ok; shortest runway, then fewest available first, then by name), one
 * line each (badge, name, code, available, 14-day sparkline, runway), 50 per page, paging buttons.
 * With old data it says why it is old; with no data, why
 * and what to check. Always within Slack's Block Kit limits.
 *
 * @example
 * ```ts
 * await respond(buildLicensesReply({ query: parseLicensesQuery(text), view: await cache.read(), now: Date.now(), page: 0, levelsFor }))
 * ```
 */
export function buildLicensesReply(input: LicensesReplyInput): SlackMessage {
  const { query, view, now } = input;
  if (query.kind === 'help') return helpMessage(query.unknown);
  if (query.kind === 'usage') return helpMessage(); // answered by usageReply (./usage.ts), not from the catalogue
  const snapshot = view.snapshot;
  if (!snapshot) return unavailableMessage(view.error);

  const rated = ratedCatalogue(snapshot.catalogue.products, input.levelsFor, input.forecasts);
  const atRisk = rated.filter((r) => r.level !== 'ok').length;
  const selected = rated.filter(
    (r) => (!query.lowOnly || r.level !== 'ok') && (!query.filter || matchesFilter(r.product, query.filter)),
  );
  const pages = Math.max(1, Math.ceil(selected.length / PAGE_SIZE));
  const page = Math.min(Math.max(0, Math.trunc(input.page) || 0), pages - 1);
  const shown = selected.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE);

  const title = `Licenses: ${plural(rated.length, 'product')}, ${formatCount(atRisk)} at risk`;
  const partner = snapshot.catalogue.partnerId
    ? `Partner \`${dataCode(snapshot.catalogue.partnerId)}\``
    : 'Partner unknown';
  const scope = query.lowOnly
    ? `showing ${plural(selected.length, 'product')} low or critical`
    : query.filter
      ? `${plural(selected.length, 'match')} for “${echo(query.filter)}”`
      : `showing all ${formatCount(selected.length)}`;
  const blocks: KnownBlock[] = [
    header(title),
    context(
      `${partner} · as of ${formatAge(now - snapshot.fetchedAt)} · ${scope}${pages > 1 ? ` · page ${page + 1} of ${pages}` : ''}`,
    ),
  ];
  if (view.error) {
    const { reason } = explainLmpiFailure(view.error);
    blocks.push(
      context(`:warning: ${escapeMrkdwn(reason)}: showing data from ${formatAge(now - snapshot.fetchedAt)}.`),
    );
  }
  if (view.suspect) {
    const listed = view.suspect.catalogue.products.length;
    blocks.push(
      context(
        `:warning: LMPI returned a much smaller catalogue (${formatCount(listed)} of ${formatCount(snapshot.catalogue.products.length)} products) ${formatAge(now - view.suspect.since)}: showing the last full list until later polls confirm it.`,
      ),
    );
  }
  blocks.push(divider);
  if (shown.length === 0) {
    blocks.push(
      section(
        rated.length === 0
          ? 'LMPI lists no products this partner can provision.'
          : query.lowOnly
            ? ':large_green_circle: No product is Low or Critical.'
            : `No product name or code contains “${echo(query.filter ?? '')}”. Try part of a name or a product code, or \`/licenses help\`.`,
      ),
    );
  }
  blocks.push(...productSections(shown, input.trendFor));
  const buttons = query.kind === 'list' ? pageButtons(query, page, pages) : undefined;
  if (buttons) blocks.push(buttons);
  const drift = snapshot.catalogue.warnings.length;
  // Products LMPI listed but sent unreadable (set aside): not shown, so say that they exist.
  const unreadable = snapshot.catalogue.setAside?.length ?? 0;
  const notes = [
    drift ? ` · LMPI sent ${plural(drift, 'unexpected value')} (see the bot log)` : '',
    unreadable ? ` · :warning: ${plural(unreadable, 'product')} LMPI sent unreadable not shown (see the bot log)` : '',
  ].join('');
  blocks.push(
    context(`${input.levelsNote ?? defaultLevelsNote()}${notes} · \`/licenses help\``),
    context(`${LINES_LEGEND}${input.demoNote ? ` · :test_tube: ${escapeMrkdwn(input.demoNote)}` : ''}`),
  );
  return { response_type: 'ephemeral', text: `${title}${view.error ? ' (stale data)' : ''}`, blocks };
}

function defaultLevelsNote(): string {
  return `Default levels: low at ≤ ${formatCount(DEFAULT_LEVELS.low)}, critical at ≤ ${formatCount(DEFAULT_LEVELS.critical)}`;
}

/** Reads a paging button's value; anything malformed goes back to the first page of everything. */
export function readPageRequest(value: string | undefined): PageRequest {
  try {
    const parsed = JSON.parse(value ?? '') as Partial<PageRequest>;
    return {
      q: typeof parsed.q === 'string' ? parsed.q : '',
      p: Number.isSafeInteger(parsed.p) ? (parsed.p as number) : 0,
    };
  } catch {
    return { q: '', p: 0 };
  }
}
