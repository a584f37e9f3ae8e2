import { rateProducts } from '@licensewatch/alerts';
import { explainLmpiFailure } from '@licensewatch/client';
import type { KnownBlock } from '@slack/types';
import type { CurrentHandling } from '../alerts/handling.js';
import { context, divider, header, section } from '../block-kit/blocks.js';
import { escapeMrkdwn, formatAge, formatCount } from '../block-kit/format.js';
import { dataCode, dataName } from '../block-kit/mrkdwn.js';
import { slackDate } from '../block-kit/slack-dates.js';
import type { CatalogueView } from '../catalogue-cache.js';
import type { LicensesViewInputs } from '../licenses/message.js';
import { LINES_LEGEND, productSections } from '../licenses/product-line.js';

/** At-risk pools shown on the Home tab; more are counted and left to `/licenses low`. */
export const HOME_AT_RISK_LIMIT = 40;

/** Action id of the Home tab's Refresh button. */
export const HOME_REFRESH_ACTION = 'home_refresh';

/** A Home tab view (`views.publish`). */
export interface HomeView {
  type: 'home';
  blocks: KnownBlock[];
}

/** What the Home tab shows for one viewer. */
export interface HomeInput extends LicensesViewInputs {
  catalogue: CatalogueView;
  /** The viewer's own snoozes and mutes in force. */
  snoozes: readonly CurrentHandling[];
  now: number;
}

function statusLine({ catalogue, now }: HomeInput): string {
  const { snapshot, error } = catalogue;
  const age = snapshot ? `data as of ${formatAge(now - snapshot.fetchedAt)}` : 'no data yet';
  const lmpi = error ? `:warning: LMPI: ${escapeMrkdwn(explainLmpiFailure(error).reason)}` : 'LMPI: answering';
  return `${age} · ${lmpi}`;
}

/** The "Your snoozes and mutes" section stays below Slack's 3,000 characters, whatever the names. */
export const SNOOZES_SECTION_MAX = 2_900;

function snoozeLine(s: CurrentHandling): string {
  const [emoji, verb] = s.muted?.kind === 'snooze' ? [':zzz:', 'snoozed'] : [':no_bell:', 'muted'];
  return `${emoji} *${dataName(s.productName, 60)}* \`${dataCode(s.productCode)}\` ${verb} until ${slackDate(s.muted?.until ?? 0)}`;
}

/** The viewer's snoozes and mutes, as many lines as fit {@link SNOOZES_SECTION_MAX} characters. */
function snoozeLines(snoozes: readonly CurrentHandling[]): string {
  const title = '*Your snoozes and mutes*';
  if (snoozes.length === 0)
    return `${title}\nNone. Snooze an alert from its message, or \`/licenses mute <code> <duration>\`.`;
  let text = title;
  for (let i = 0; i < snoozes.length; i += 1) {
    const line = snoozeLine(snoozes[i] as CurrentHandling);
    const left = snoozes.length - i - 1;
    const reserve = left > 0 ? `\n…and ${formatCount(left)} more`.length : 0;
    if (text.length + 1 + line.length + reserve > SNOOZES_SECTION_MAX)
      return `${text}\n…and ${formatCount(snoozes.length - i)} more`;
    text = `${text}\n${line}`;
  }
  return text;
}

/**
 * The Home tab: at-risk pools (one line each, with sparkline and runway, most urgent first), data
 * age and LMPI status, the viewer's own snoozes, and a Refresh button. At most ~60 blocks (Slack
 * allows 100) and a few kB (Slack allows 250 kB).
 *
 * @example
 * ```ts
 * await client.views.publish({ user_id, view: homeView({ catalogue, snoozes, now, ...view() }) })
 * ```
 */
export function homeView(input: HomeInput): HomeView {
  const blocks: KnownBlock[] = [header('License pools'), context(statusLine(input))];
  if (input.demoNote) blocks.push(context(`:test_tube: ${escapeMrkdwn(input.demoNote)}`));
  blocks.push(divider);
  const products = input.catalogue.snapshot?.catalogue.products;
  if (!products) {
    blocks.push(section('No license data yet: the bot has not reached LMPI. Press Refresh to try again.'));
  } else {
    const atRisk = rateProducts(products, input.levelsFor, input.forecasts).filter((r) => r.level !== 'ok');
    blocks.push(
      section(
        atRisk.length === 0
          ? `:large_green_circle: No pool is low or running out (${formatCount(products.length)} products).`
          : `*At risk: ${formatCount(atRisk.length)}* of ${formatCount(products.length)} products`,
      ),
    );
    blocks.push(...productSections(atRisk.slice(0, HOME_AT_RISK_LIMIT), input.trendFor));
    if (atRisk.length > HOME_AT_RISK_LIMIT)
      blocks.push(context(`…and ${formatCount(atRisk.length - HOME_AT_RISK_LIMIT)} more: \`/licenses low\``));
  }
  blocks.push(divider, section(snoozeLines(input.snoozes)), {
    type: 'actions',
    block_id: 'home_actions',
    elements: [
      {
        type: 'button',
        action_id: HOME_REFRESH_ACTION,
        text: { type: 'plain_text', text: 'Refresh', emoji: true },
        value: 'refresh',
      },
    ],
  });
  blocks.push(context(`${LINES_LEGEND} · \`/licenses <code>\` for a chart`));
  return { type: 'home', blocks };
}
