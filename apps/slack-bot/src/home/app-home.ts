import type { Store } from '@licensewatch/store';
import type { App } from '@slack/bolt';
import type { Logger } from 'pino';
import { currentHandling } from '../alerts/handling.js';
import type { CatalogueCache } from '../catalogue-cache.js';
import type { LicensesViewInputs } from '../licenses/message.js';
import { HOME_REFRESH_ACTION, homeView } from './home-view.js';

/** What the Home tab reads. */
export interface AppHomeDeps {
  cache: CatalogueCache;
  store: Store;
  view: () => LicensesViewInputs;
  logger: Logger;
  now: () => number;
}

/**
 * Publishes `userId`'s Home tab (views.publish) from what is in memory and the store: at-risk
 * pools, data age and LMPI status, the viewer's own snoozes.
 *
 * @example
 * ```ts
 * await publishHome(app.client, deps, 'U0123')
 * ```
 */
export async function publishHome(client: App['client'], deps: AppHomeDeps, userId: string): Promise<void> {
  const now = deps.now();
  const [state, audit] = await Promise.all([deps.store.engine.load(), deps.store.rules.recentAudit(500)]);
  const snoozes = [...currentHandling([...state.products.values()], audit, now).values()].filter(
    (h) => h.muted?.by === userId,
  );
  const view = homeView({ ...deps.view(), catalogue: deps.cache.peek(), snoozes, now });
  await client.views.publish({ user_id: userId, view });
}

/**
 * Registers the Home tab: `app_home_opened` (tab `home`) publishes it; the Refresh button asks
 * LMPI again and republishes.
 *
 * @example
 * ```ts
 * registerAppHome(app, { cache, store, view, logger, now })
 * ```
 */
export function registerAppHome(app: App, deps: AppHomeDeps): void {
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    await publishHome(client, deps, event.user).catch((error: unknown) =>
      deps.logger.warn({ err: error, user: event.user }, 'Home tab not published'),
    );
  });
  app.action(HOME_REFRESH_ACTION, async ({ ack, body, client }) => {
    await ack();
    await deps.cache.refresh();
    await publishHome(client, deps, body.user.id).catch((error: unknown) =>
      deps.logger.warn({ err: error, user: body.user.id }, 'Home tab not published'),
    );
  });
}
