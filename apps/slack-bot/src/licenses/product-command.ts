import { analyseConsumption, type RunwayBasis, rateProduct } from '@licensewatch/alerts';
import type { LmpiApiVersion } from '@licensewatch/client';
import { errorMessage, type ProductProfile, type ServicePlan } from '@licensewatch/schema';
import type { Store } from '@licensewatch/store';
import type { App } from '@slack/bolt';
import type { Logger } from 'pino';
import { currentHandling } from '../alerts/handling.js';
import type { SlackMessage } from '../block-kit/blocks.js';
import { plainData } from '../block-kit/mrkdwn.js';
import { openDirectMessage, uploadToSlack } from '../block-kit/slack-upload.js';
import { poolPicture } from '../charts/pool-chart.js';
import { privateChartComment } from '../charts/share-chart.js';
import { slackErrorCode } from '../slack-errors.js';
import type { LicensesViewInputs } from './message.js';
import { productDetailMessage } from './product-detail.js';
import { type ServicePlansView, servicePlansView } from './service-plans.js';

/** What `/licenses <code>` needs besides the command. */
export interface ProductDetailDeps {
  store: Store;
  client: App['client'];
  view: () => LicensesViewInputs;
  logger: Logger;
  now: () => number;
  /** The LMPI service plan list (cached) and the API version it comes from; absent: no plans section. */
  servicePlans?: { apiVersion: LmpiApiVersion; list: () => Promise<ServicePlan[]> };
  /** The end of the runway interval the levels use (thresholds file `runway_basis`; pessimistic by default). */
  runwayBasis?: RunwayBasis | undefined;
}

/** Why there is no chart, from the Slack error of the DM or the upload. */
function chartProblemFor(code: string): string {
  if (code === 'missing_scope')
    return 'licensewatch lacks the im:write scope to send you the chart privately: reinstall it from manifest.yml';
  return `the upload failed (${code})`;
}

/**
 * Builds the `/licenses <code>` reply: renders the 30-day chart, shares it into the requester's
 * DM with the bot (conversations.open + files:write) and describes the product (see
 * {@link productDetailMessage}). A failed upload still answers, saying why there is no chart.
 *
 * Why a DM: the reply is ephemeral, but a file shared into the channel would be seen by everyone
 * there. An ephemeral reply cannot carry an upload, and an image block cannot show a file that was
 * never shared, so the chart is shared where only the requester (and the bot) can see it; the reply
 * shows it from there, with a Share button that posts it to the channel on purpose.
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
  _channelId: string,
  userId: string,
): Promise<SlackMessage> {
  const now = deps.now();
  const view = deps.view();
  const rated = rateProduct(product, view.levelsFor, view.forecasts);
  const plansPending = plansOf(deps, product); // an LMPI call (cached): alongside the chart, not after it
  // The database can be down (history, alert state): the view still answers with what it has.
  const fromStore = <T>(what: string, read: () => Promise<T>): Promise<T | undefined> =>
    read().catch((error: unknown) => {
      deps.logger.warn({ err: error, product: product.productCode }, `${what} unavailable`);
      return undefined;
    });
  const picture = await fromStore('history', () =>
    poolPicture(deps.store, product, rated.levels, now, view.demoNote ? 'demo data' : undefined),
  );
  let chartFileId: string | undefined;
  let chartProblem: string | undefined = picture ? undefined : 'the database is unreachable, so there is no history';
  if (picture) {
    try {
      const privateChannel = await openDirectMessage(deps.client, userId);
      chartFileId = await uploadToSlack(deps.client, {
        bytes: picture.png,
        filename: `${product.productCode.toLowerCase()}-30d.png`,
        title: plainData(`${product.productName} (${product.productCode}): 30 days`, 200),
        altText: plainData(`30-day chart of available licenses for ${product.productName}`, 1_000),
        channelId: privateChannel,
        initialComment: privateChartComment(product),
      });
    } catch (error) {
      const code = slackErrorCode(error);
      deps.logger.warn({ err: error, product: product.productCode }, 'chart upload failed');
      chartProblem = chartProblemFor(code);
    }
  }
  const servicePlans = await plansPending;
  const stored = await fromStore('alert state', () =>
    Promise.all([deps.store.engine.load(), deps.store.rules.recentAudit(500), deps.store.rules.overrides()]),
  );
  const [state, audit, overrides] = stored ?? [undefined, [], []];
  const alert = state?.products.get(product.productId);
  const override = overrides.find(
    (o) => o.match.toUpperCase() === product.productCode.toUpperCase() || o.match === product.productId,
  );
  return productDetailMessage({
    rated,
    analysis: picture?.analysis ?? analyseConsumption([{ at: now, available: product.available }]),
    alertStateKnown: stored !== undefined,
    chartFileId,
    chartProblem,
    override: override ? { by: override.updatedBy, at: override.updatedAt } : undefined,
    alert,
    handling: alert ? currentHandling([alert], audit, now).get(alert.productCode) : undefined,
    fetchedAt,
    now,
    demoNote: view.demoNote,
    servicePlans,
    runwayBasis: deps.runwayBasis,
  });
}

/** The product's plans; when the service plan list fails, the product list's plans, saying why. */
async function plansOf(deps: ProductDetailDeps, product: ProductProfile): Promise<ServicePlansView | undefined> {
  if (!deps.servicePlans) return undefined;
  const { apiVersion, list } = deps.servicePlans;
  try {
    return servicePlansView(product, apiVersion, await list());
  } catch (error) {
    deps.logger.warn({ err: error, product: product.productCode }, 'service plan list unavailable');
    return servicePlansView(product, apiVersion, undefined, `LMPI's service plan list failed (${errorMessage(error)})`);
  }
}
