import type { ProductProfile } from '@licensewatch/schema';
import type {
  BlockAction,
  ButtonAction,
  Middleware,
  SlackActionMiddlewareArgs,
  SlackCommandMiddlewareArgs,
} from '@slack/bolt';
import type { Logger } from 'pino';
import { type AdminContext, parseAdminCommand, runAdminCommand } from '../alerts/commands.js';
import type { CatalogueCache } from '../catalogue-cache.js';
import type { SlackMessage } from './blocks.js';
import { helpMessage } from './help.js';
import { buildLicensesReply, readPageRequest } from './message.js';
import { parseLicensesQuery } from './query.js';
import type { LevelsFor } from './status.js';

/** What `/licenses` and its paging buttons need. */
export interface LicensesCommandDeps {
  cache: CatalogueCache;
  /** Levels and forecasts for `/licenses`, as of the last poll or rule change. */
  view: () => {
    levelsFor: LevelsFor;
    forecastFor?: (product: ProductProfile) => string | undefined;
    levelsNote?: string;
  };
  /** Alert controls (`threshold`, `mute`, `unmute`); absent when alerts are off. */
  admin?: AdminContext | undefined;
  logger: Logger;
  now: () => number;
}

const ALERTS_OFF: SlackMessage = {
  response_type: 'ephemeral',
  text: 'Alerts are not enabled on this licensewatch.',
  blocks: [],
};

async function listReply(deps: LicensesCommandDeps, text: string, page: number): Promise<SlackMessage> {
  const query = parseLicensesQuery(text);
  if (query.kind === 'help') return helpMessage(query.unknown);
  return buildLicensesReply({ query, view: await deps.cache.read(), now: deps.now(), page, ...deps.view() });
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
    const inMemory = !adminCommand && (parseLicensesQuery(text).kind === 'help' || deps.cache.fresh());
    let message: SlackMessage;
    if (inMemory) {
      message = await listReply(deps, text, 0);
      await ack(message);
    } else {
      await ack();
      message = adminCommand
        ? deps.admin
          ? await runAdminCommand(adminCommand, command.user_id, deps.admin)
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
