import type { LevelsFor, ProductRef } from '@licensewatch/alerts';
import type { Store } from '@licensewatch/store';
import type { AlertChart } from '../block-kit/slack-upload.js';
import type { CatalogueCache } from '../catalogue-cache.js';
import { poolPicture } from './pool-chart.js';

/**
 * The chart source for critical alerts: the product as last fetched, its levels in force, its
 * 30-day history; undefined when the product is no longer in the catalogue.
 *
 * @example
 * ```ts
 * new SlackNotifier({ client, logger, chartFor: alertCharts({ store, cache, levelsFor, now }) })
 * ```
 */
export function alertCharts(deps: {
  store: Store;
  cache: CatalogueCache;
  levelsFor: () => LevelsFor;
  now: () => number;
}): (product: ProductRef) => Promise<AlertChart | undefined> {
  return async (ref) => {
    const product = deps.cache.peek().snapshot?.catalogue.products.find((p) => p.productId === ref.productId);
    if (!product) return undefined;
    const picture = await poolPicture(deps.store, product, deps.levelsFor()(product), deps.now());
    return {
      png: picture.png,
      title: `${product.productName} (${product.productCode}): 30 days`,
      altText: `30-day chart of available licenses for ${product.productName}`,
    };
  };
}
