import type { ParsedUrlQuery } from 'node:querystring';
import type {
  BlockAction,
  ButtonAction,
  Middleware,
  SlackActionMiddlewareArgs,
  SlackCommandMiddlewareArgs,
} from '@slack/bolt';
import type { Logger } from 'pino';
import { type AdminContext, parseAdminCommand, runAdminCommand } from '../alerts/commands.js';
import { databaseRefusal } from '../alerts/database-refusal.js';
import type { SlackMessage } from '../block-kit/blocks.js';
import { withDemoNote } from '../block-kit/demo-note.js';
import { gateAckBody } from '../block-kit/gated-ack.js';
import type { CatalogueCache } from '../catalogue-cache.js';
import { checkInteraction } from '../interactions/edge.js';
import { consumersSection, exactProduct, readsReports, withSections } from './consumers.js';
import { helpMessage } from './help.js';
import { buildLicensesReply, type LicensesViewInputs, readPageRequest } from './message.js';
import { type ProductDetailDeps, productDetailReply } from './product-command.js';
import { parseLicensesQuery } from './query.js';
import { type ReplyCache, type ReplyGeneration, replyKey, type StoredReply } from './reply-cache.js';
import type { LicenseReports } from './reports.js';
import { usageReply } from './usage.js';

/** What `/licenses` and its paging buttons need. */
export interface LicensesCommandDeps {
  cache: CatalogueCache;
  /** LMPI's transaction and customer summary reports (`/licenses usage`, `/licenses <code>`). */
  reports: LicenseReports;
  /** Levels, forecasts and trends for `/licenses`, as of the last poll or rule change. */
  view: () => LicensesViewInputs;
  /**
   * `/licenses <exact code>`: the product view with its 30-day chart (uploaded to Slack), then who
   * took its licenses. Absent: the list reply with who took its licenses.
   */
  productDetail?: ProductDetailDeps | undefined;
  /** Alert controls (`threshold`, `mute`, `unmute`); absent when alerts are off. */
  admin?: AdminContext | undefined;
  logger: Logger;
  now: () => number;
  /** The embedded LMPI sandbox serves the data: every reply says so. */
  demoData?: boolean;
  /** Replies answered in the acknowledgement, kept rendered and serialised (see {@link licensesFastReply}). */
  replies?: ReplyCache;
}

/** The slash command this module answers. */
export const LICENSES_COMMAND = '/licenses';

const ALERTS_OFF: SlackMessage = {
  response_type: 'ephemeral',
  text: 'Alerts are not enabled on this licensewatch.',
  blocks: [],
};

/** An admin command met a database outage: say so (nothing was changed); anything else is a bug. */
function databaseUnavailable(error: unknown): SlackMessage {
  const text = databaseRefusal(error);
  if (!text) throw error;
  return { response_type: 'ephemeral', text, blocks: [] };
}

async function listReply(deps: LicensesCommandDeps, text: string, page: number): Promise<SlackMessage> {
  const query = parseLicensesQuery(text);
  const demo = deps.demoData ?? false;
  if (query.kind === 'help') return withDemoNote(helpMessage(query.unknown), demo);
  if (query.kind === 'usage') return withDemoNote(await usageReply(query, deps.reports, deps.now(), page), demo);
  const view = await deps.cache.read();
  const message = buildLicensesReply({ query, view, now: deps.now(), page, ...deps.view() });
  const product = exactProduct(query, view.snapshot?.catalogue.products);
  return withDemoNote(
    product ? withSections(message, await consumersSection(product, deps.reports, deps.now())) : message,
    demo,
  );
}

/**
 * `/licenses [text]`. When everything needed is in memory (help, or fresh catalogue data) the
 * answer rides in the acknowledgement itself: one exchange with Slack instead of two. Anything that
 * must wait for LMPI or the database is acknowledged first and answered through `respond()`, so a
 * slow LMPI can never miss Slack's 3-second deadline.
 *
 * @example
 * ```ts
 * app.command('/licenses', licensesCommand(deps))
 * ```
 */
export function licensesCommand(deps: LicensesCommandDeps): Middleware<SlackCommandMiddlewareArgs> {
  return async ({ command, ack, respond }) => {
    const started = deps.now();
    const text = command.text ?? '';
    const adminCommand = parseAdminCommand(text);
    const query = parseLicensesQuery(text);
    // Reports (`usage`, one product's consumers) always wait for LMPI: answered after the ack.
    const fresh = deps.cache.fresh() && !readsReports(query, deps.cache.peek().snapshot?.catalogue.products);
    const inMemory = !adminCommand && (query.kind === 'help' || fresh);
    const snapshot = deps.cache.peek().snapshot;
    const detail = deps.productDetail && !adminCommand ? exactProduct(query, snapshot?.catalogue.products) : undefined;
    let message: SlackMessage;
    if (detail && deps.productDetail && snapshot) {
      // Rendering, uploading and the reports take longer than Slack's 3 s: acknowledged first.
      await ack();
      const [reply, consumers] = await Promise.all([
        productDetailReply(deps.productDetail, detail, snapshot.fetchedAt, command.channel_id, command.user_id),
        consumersSection(detail, deps.reports, deps.now()),
      ]);
      message = withSections(reply, consumers);
      await respond(message);
    } else if (inMemory) {
      message = (await storedListReply(deps, text)).message;
      await ack(message);
    } else {
      await ack();
      message = adminCommand
        ? deps.admin
          ? withDemoNote(
              await runAdminCommand(adminCommand, command.user_id, deps.admin).catch(databaseUnavailable),
              deps.demoData ?? false,
            )
          : ALERTS_OFF
        : await listReply(deps, text, 0);
      await respond(message);
    }
    deps.logger.info(
      {
        user: command.user_id,
        channel: command.channel_id,
        ms: deps.now() - started,
        reply: message.text,
        ...(inMemory ? { via: 'ack' } : {}),
      },
      '/licenses answered',
    );
  };
}

/** What a reply in the acknowledgement is built from besides its text: compared by identity. */
function generationOf(deps: LicensesCommandDeps, snapshot: object | undefined): ReplyGeneration {
  const view = deps.view();
  return { snapshot, levelsFor: view.levelsFor, forecasts: view.forecasts };
}

/** The first page for `text`, gated and serialised once per generation and key. */
async function storedListReply(deps: LicensesCommandDeps, text: string): Promise<StoredReply> {
  const snapshot = deps.cache.peek().snapshot;
  const generation = generationOf(deps, snapshot);
  const key = replyKey(text, 0, snapshot?.fetchedAt, deps.now());
  const stored = deps.replies?.get(generation, key);
  if (stored) return stored;
  const message = gateAckBody(await listReply(deps, text, 0)) as SlackMessage;
  return deps.replies?.set(generation, key, message) ?? { message, bytes: Buffer.from(JSON.stringify(message)) };
}

/**
 * The acknowledgement bytes of a signed `/licenses` whose reply is already stored for the current
 * generation (fresh catalogue data, same rules and forecasts): the request guard answers with them,
 * without Bolt. Undefined when the request must go through Bolt: another command, a malformed one
 * (refused at the edge there), stale data, or a reply not built yet (Bolt's path builds and stores it).
 *
 * @example
 * ```ts
 * guardRequests(receiver, { signingSecret, logger, now, fastReply: licensesFastReply(deps) })
 * ```
 */
export function licensesFastReply(deps: LicensesCommandDeps): (form: ParsedUrlQuery) => Buffer | undefined {
  return (form) => {
    const { replies } = deps;
    if (!replies || replies.size === 0 || form.command !== LICENSES_COMMAND) return undefined;
    const snapshot = deps.cache.fresh();
    if (!snapshot) return undefined;
    const text = typeof form.text === 'string' ? form.text : '';
    const stored = replies.get(generationOf(deps, snapshot), replyKey(text, 0, snapshot.fetchedAt, deps.now()));
    if (!stored || !checkInteraction(form, LICENSES_COMMAND).ok) return undefined;
    return stored.bytes;
  };
}

/** The action ids of `/licenses` paging buttons. */
export const PAGE_BUTTON = /^licenses_page_/;

/**
 * Previous / Next on a `/licenses` reply: the requested page replaces the message.
 *
 * @example
 * ```ts
 * app.action(PAGE_BUTTON, licensesPage(deps))
 * ```
 */
export function licensesPage(
  deps: LicensesCommandDeps,
): Middleware<SlackActionMiddlewareArgs<BlockAction<ButtonAction>>> {
  return async ({ action, ack, respond }) => {
    await ack();
    const request = readPageRequest(action.value);
    const message = await listReply(deps, request.q, request.p);
    await respond({ ...message, replace_original: true });
  };
}
