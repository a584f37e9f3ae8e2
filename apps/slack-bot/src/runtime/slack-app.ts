import { ruleResolver, type ThresholdConfig } from '@licensewatch/alerts';
import type { Store } from '@licensewatch/store';
import type { App } from '@slack/bolt';
import type { Logger } from 'pino';
import type { AlertPoller } from '../alerts/poller.js';
import { createSlackApp, type SlackAppDeps, type SlackConnection } from '../app.js';
import type { DeliveryDispatcher } from '../delivery/dispatcher.js';
import type { BotConfig } from '../env.js';
import { levelsNote } from '../licenses/levels-note.js';
import type { BotOps } from '../ops/ops.js';
import { localSlackRedirect } from '../slack-stand-in.js';
import type { LmpiAccess } from './lmpi-access.js';

/** What the Slack surface needs of the configuration: who may administer, who may press alert buttons. */
export interface SlackAppSlice {
  adminUserIds: string[];
  alertActions: BotConfig['alerts']['alertActions'];
  alertChannel: string | undefined;
  pagerduty: boolean;
  thresholds: ThresholdConfig;
}

/** The parts the Slack surface talks to; the poller and dispatcher are built after it, so they are read late. */
export interface SlackAppParts {
  connection: SlackConnection;
  lmpi: LmpiAccess;
  store: Store;
  ops: BotOps;
  logger: Logger;
  now: () => number;
  /** Local mode on the embedded sandbox: the note that the data is a demo. */
  demoNote: string | undefined;
  /** Local mode: the local Slack's web view, redirected to from the app's port. */
  localSlackUrl: string | undefined;
  poller: () => AlertPoller | undefined;
  dispatcher: () => DeliveryDispatcher | undefined;
}

/** Where alerts go: the poller's rules once it runs (a button can arrive before the first poll). */
export function routingPolicy(poller: AlertPoller | undefined, slice: SlackAppSlice) {
  return (
    poller?.routingPolicy() ?? {
      ruleFor: ruleResolver(slice.thresholds),
      alertChannel: slice.alertChannel,
      pagerduty: slice.pagerduty,
    }
  );
}

/**
 * The Bolt app with everything `/licenses`, the Home tab and the alert buttons read: levels and
 * forecasts as of the last poll (or the rules alone before it), product detail with service plans,
 * admin commands that reload the poller's rules and flush delivery.
 *
 * @example
 * ```ts
 * const { app, licensesView } = buildSlackApp(slice, { connection, lmpi, store, ops, logger, now, … })
 * ```
 */
export function buildSlackApp(
  slice: SlackAppSlice,
  parts: SlackAppParts,
): { app: App; licensesView: SlackAppDeps['view'] } {
  const { lmpi, store, logger, now } = parts;
  const { thresholds } = slice;
  const licensesView = () => {
    const latest = parts.poller()?.latest;
    return {
      levelsFor: latest?.ruleFor ?? ruleResolver(thresholds),
      ...(latest ? { forecasts: latest.forecasts, trendFor: (id: string) => latest.trends.daily.get(id) } : {}),
      levelsNote: levelsNote(thresholds),
      ...(parts.demoNote ? { demoNote: parts.demoNote } : {}),
    };
  };
  const app = createSlackApp({
    connection: parts.connection,
    cache: lmpi.cache,
    reports: lmpi.reports,
    logger,
    now,
    demoData: lmpi.sandbox !== undefined,
    view: licensesView,
    productDetail: {
      store,
      view: licensesView,
      logger,
      now,
      servicePlans: { apiVersion: lmpi.client.apiVersion, list: lmpi.servicePlans },
      runwayBasis: thresholds.runwayBasis,
    },
    home: { store, cache: lmpi.cache, view: licensesView, logger, now },
    admin: {
      store,
      cache: lmpi.cache,
      thresholds,
      adminUserIds: slice.adminUserIds,
      now,
      rulesChanged: async () => parts.poller()?.reloadRules(),
      alertActions: {
        buttonsFor: slice.alertActions ?? 'anyone',
        adminUserIds: slice.adminUserIds,
        store,
        policy: () => routingPolicy(parts.poller(), slice),
        deliver: async () => parts.dispatcher()?.flush(),
      },
    },
    ops: parts.ops.endpoints,
    observe: parts.ops.observe,
    ...(parts.localSlackUrl ? { routes: [localSlackRedirect(parts.localSlackUrl)] } : {}),
  });
  return { app, licensesView };
}
