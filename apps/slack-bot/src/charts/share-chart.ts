// "Share chart in channel": the one way a `/licenses <code>` chart becomes visible to others. The
// requester's copy lives in their DM with the bot; pressing the button (on their private reply)
// uploads the chart again into the channel the reply is in, for everyone, naming who shared it.
import { type Forecast, type LevelsFor, rateProduct } from '@licensewatch/alerts';
import type { Store } from '@licensewatch/store';
import type { App, BlockAction, ButtonAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Button } from '@slack/types';
import type { Logger } from 'pino';
import { dataCode, dataName, plainData } from '../block-kit/mrkdwn.js';
import { uploadToSlack } from '../block-kit/slack-upload.js';
import type { CatalogueCache } from '../catalogue-cache.js';
import { slackErrorCode } from '../slack-errors.js';
import { poolPicture } from './pool-chart.js';

/** Action id of the Share button under a private chart; its value is the product code. */
export const SHARE_CHART_ACTION = 'chart_share';

/**
 * The Share button for a product's private chart.
 *
 * @example
 * ```ts
 * blocks.push({ type: 'actions', elements: [shareChartButton('NNZBXXE1X')] })
 * ```
 */
export function shareChartButton(productCode: string): Button {
  return {
    type: 'button',
    action_id: SHARE_CHART_ACTION,
    text: { type: 'plain_text', text: 'Share chart in channel', emoji: true },
    value: productCode,
  };
}

type Named = { productName: string; productCode: string };

/**
 * The comment of a private chart in the requester's DM (upload `initial_comment`).
 *
 * @example
 * ```ts
 * privateChartComment(product) // '30-day chart of *Apex One* `NNZBXXE1X`, as you asked …'
 * ```
 */
export function privateChartComment(product: Named): string {
  return `30-day chart of *${dataName(product.productName)}* \`${dataCode(product.productCode)}\`, as you asked with \`/licenses\`. Only you can see it here; *Share chart in channel* under the reply posts it for everyone.`;
}

/**
 * The comment of a chart shared in a channel, naming who shared it.
 *
 * @example
 * ```ts
 * sharedChartComment(product, 'U0123') // '<@U0123> shared the 30-day chart of *Apex One* `NNZBXXE1X`'
 * ```
 */
export function sharedChartComment(product: Named, userId: string): string {
  return `<@${userId}> shared the 30-day chart of *${dataName(product.productName)}* \`${dataCode(product.productCode)}\``;
}

/**
 * What a chart takes of the `/licenses` view the bot keeps (its `LicensesViewInputs`): the levels in
 * force, the poller's forecasts and the demo-data note, so a shared chart matches the reply it sits under.
 */
export interface ChartViewInputs {
  levelsFor: LevelsFor;
  forecasts?: ReadonlyMap<string, Forecast>;
  demoNote?: string;
}

/** What sharing a chart needs. */
export interface ShareChartDeps {
  cache: CatalogueCache;
  store: Store;
  client: App['client'];
  view: () => ChartViewInputs;
  logger: Logger;
  now: () => number;
}

/** Why the chart could not be shared, in words the person who pressed the button can act on. */
function refusal(code: string): string {
  if (code === 'not_in_channel' || code === 'channel_not_found')
    return `The chart was not shared: licensewatch is not in this channel. \`/invite @licensewatch\` first (Slack said ${code}).`;
  return `The chart was not shared: the upload failed (${code}). Try again in a minute.`;
}

/**
 * Shares a product's 30-day chart in `channelId` for everyone, with a comment naming `userId`.
 * Returns the reply for the person who asked.
 *
 * @example
 * ```ts
 * const reply = await shareChartInChannel(deps, 'NNZBXXE1X', 'C0123', 'U0456')
 * ```
 */
export async function shareChartInChannel(
  deps: ShareChartDeps,
  productCode: string,
  channelId: string,
  userId: string,
): Promise<string> {
  const product = deps.cache.peek().snapshot?.catalogue.products.find((p) => p.productCode === productCode);
  if (!product) return `\`${dataCode(productCode)}\` is no longer in the catalogue; nothing was shared.`;
  const view = deps.view();
  const { levels } = rateProduct(product, view.levelsFor, view.forecasts);
  try {
    const picture = await poolPicture(deps.store, product, levels, deps.now(), view.demoNote ? 'demo data' : undefined);
    await uploadToSlack(deps.client, {
      bytes: picture.png,
      filename: `${product.productCode.toLowerCase()}-30d.png`,
      title: plainData(`${product.productName} (${product.productCode}): 30 days`, 200),
      altText: plainData(`30-day chart of available licenses for ${product.productName}`, 1_000),
      channelId,
      initialComment: sharedChartComment(product, userId),
    });
    return 'Shared the chart in this channel.';
  } catch (error) {
    const code = slackErrorCode(error);
    deps.logger.warn({ err: error, product: product.productCode }, 'chart not shared in channel');
    return refusal(code);
  }
}

/**
 * The Bolt listener of the Share button (its payload already validated at the edge).
 *
 * @example
 * ```ts
 * app.action(SHARE_CHART_ACTION, shareChart(deps))
 * ```
 */
export function shareChart(deps: ShareChartDeps): Middleware<SlackActionMiddlewareArgs<BlockAction<ButtonAction>>> {
  return async ({ ack, action, body, respond }) => {
    await ack();
    const channelId = body.container?.channel_id ?? body.channel?.id;
    const text = channelId
      ? await shareChartInChannel(deps, action.value ?? '', channelId, body.user.id)
      : 'There is no channel to share the chart in here.';
    await respond({ response_type: 'ephemeral', replace_original: false, text });
  };
}
