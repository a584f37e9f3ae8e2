import { rateProduct } from '@licensewatch/alerts';
import type { ProductProfile } from '@licensewatch/schema';
import type { Store } from '@licensewatch/store';
import type { App } from '@slack/bolt';
import type { Logger } from 'pino';
import { currentHandling } from '../alerts/handling.js';
import type { CatalogueCache } from '../catalogue-cache.js';
import { poolPicture } from '../charts/pool-chart.js';
import { uploadToSlack } from '../charts/slack-upload.js';
import type { SlackMessage } from './blocks.js';
import type { LicensesViewInputs } from './message.js';
import { productDetailMessage } from './product-detail.js';

/** What `/licenses <code>` needs besides the command. */
export interface ProductDetailDeps {
  store: Store;
  cache: CatalogueCache;
  client: App['client'];
  view: () => LicensesViewInputs;
  logger: Logger;
  now: () => number;
}

/** A product code as LMPI writes them: 9 letters and digits (`NNZBXXE1X`). */
const PRODUCT_CODE = /^[A-Za-z0-9]{9}$/;

/**
 * The product whose code is exactly `text` (case-insensitive), if the catalogue has one; anything
 * else (part of a code, a name) is a search and lists matches instead.
 *
 * @example
 * ```ts
 * exactProduct('aaaqxxe1x', products)?.productCode // 'AAAQXXE1X'
 * ```
 */
export function exactProduct(text: string, products: readonly ProductProfile[]): ProductProfile | undefined {
  const code = text.trim();
  if (!PRODUCT_CODE.test(code)) return undefined;
  const upper = code.toUpperCase();
  return products.find((p) => p.productCode.toUpperCase() === upper);
}

/** The Slack error code of a failed Web API call, for the "no chart" note. */
function slackErrorCode(error: unknown): string {
  const data = (error as { data?: { error?: unknown } }).data;
  return typeof data?.error === 'string' ? data.error : (error as Error).message;
}

/**
 * Builds the `/licenses <code>` reply: renders the 30-day chart, uploads and shares it into the
 * channel the command came from (files:write), and describes the product (see
 * {@link productDetailMessage}). A failed upload still answers, saying why there is no chart.
 *
 * @example
 * ```ts
 * await respond(await productDetailReply(deps, product, fetchedAt, command.channel_id, command.user_id))
 * ```
 */
export async function productDetailReply(
  deps: ProductDetailDeps,
  product: ProductProfile,
  fetchedAt: number,
  channelId: string,
  userId: string,
): Promise<SlackMessage> {
  const now = deps.now();
  const view = deps.view();
  const rated = rateProduct(product, view.levelsFor, view.forecasts);
  const picture = await poolPicture(deps.store, product, rated.levels, now, view.demoNote ? 'demo data' : undefined);
  let chartFileId: string | undefined;
  let chartProblem: string | undefined;
  try {
    chartFileId = await uploadToSlack(deps.client, {
      bytes: picture.png,
      filename: `${product.productCode.toLowerCase()}-30d.png`,
      title: `${product.productName} (${product.productCode}): 30 days`,
      altText: `30-day chart of available licenses for ${product.productName}`,
      channelId,
      initialComment: `30-day chart of *${product.productName}* \`${product.productCode}\`, asked for by <@${userId}>`,
    });
  } catch (error) {
    const code = slackErrorCode(error);
    deps.logger.warn({ err: code, product: product.productCode }, 'chart upload failed');
    chartProblem =
      code === 'not_in_channel' || code === 'channel_not_found'
        ? `invite the bot to this channel to see charts (Slack said ${code})`
        : `the upload failed (${code})`;
  }
  const [state, audit, overrides] = await Promise.all([
    deps.store.engine.load(),
    deps.store.rules.recentAudit(500),
    deps.store.rules.overrides(),
  ]);
  const alert = state.products.get(product.productId);
  const override = overrides.find(
    (o) => o.match.toUpperCase() === product.productCode.toUpperCase() || o.match === product.productId,
  );
  return productDetailMessage({
    rated,
    analysis: picture.analysis,
    chartFileId,
    chartProblem,
    override: override ? { by: override.updatedBy, at: override.updatedAt } : undefined,
    alert,
    handling: alert ? currentHandling([alert], audit, now).get(alert.productCode) : undefined,
    fetchedAt,
    now,
    demoNote: view.demoNote,
  });
}

/**
 * The `/licenses <code>` hook for the command handler: when `text` is exactly a product code of the
 * cached catalogue, acknowledges at once (rendering and uploading take longer than Slack's 3 s),
 * answers with the product view and returns true; otherwise false and touches nothing.
 *
 * @example
 * ```ts
 * if (deps.productDetail && (await answerProductDetail(deps.productDetail, command, ack, respond))) return
 * ```
 */
export async function answerProductDetail(
  deps: ProductDetailDeps,
  command: { text?: string; channel_id: string; user_id: string },
  ack: () => Promise<void>,
  respond: (message: SlackMessage) => Promise<unknown>,
): Promise<boolean> {
  const snapshot = deps.cache.peek().snapshot;
  const product = snapshot && exactProduct(command.text ?? '', snapshot.catalogue.products);
  if (!snapshot || !product) return false;
  await ack();
  await respond(await productDetailReply(deps, product, snapshot.fetchedAt, command.channel_id, command.user_id));
  return true;
}
