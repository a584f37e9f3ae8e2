import type { ProductRef } from '@licensewatch/alerts';
import type { Store } from '@licensewatch/store';
import type { App } from '@slack/bolt';
import type { Logger } from 'pino';
import type { AlertChart } from '../block-kit/slack-upload.js';
import { DeliveryDispatcher, type DispatcherDeps } from '../delivery/dispatcher.js';
import type { Notifier } from '../delivery/notifier.js';
import { PagerDutyNotifier } from '../delivery/pagerduty/notifier.js';
import { SlackNotifier } from '../delivery/slack/notifier.js';
import type { PagerDutySettings } from '../env.js';

/** The delivery side's slice of the configuration. */
export interface DeliverySlice {
  /** Absent: alerts go to Slack only. */
  pagerduty: PagerDutySettings | undefined;
  /** `OUTBOX_CLAIM_TIMEOUT`: a claim not renewed for this long is taken over. */
  claimTimeoutMs: number;
  /** `OUTBOX_MAX_ATTEMPTS`. */
  maxAttempts?: number | undefined;
}

/** What the delivery side needs from the rest of the bot. */
export interface DeliveryDeps {
  store: Store;
  /** The Bolt app's Web API client. */
  slackClient: App['client'];
  logger: Logger;
  /** This replica in outbox claims. */
  holder: string;
  now: () => number;
  /** Every message says its data is the embedded sandbox's. */
  demoData: boolean;
  chartFor: (product: ProductRef) => Promise<AlertChart | undefined>;
  mentionsFor: (product: ProductRef) => readonly string[];
  /** PagerDuty's `payload.source`: the LMPI host alerts are about. */
  lmpiHost: string;
  /** Told how each delivery attempt ended, by notifier (the outbox delivery metrics). */
  onOutcome?: DispatcherDeps['onOutcome'];
}

/** The delivery pipeline and its notifiers. */
export interface Delivery {
  dispatcher: DeliveryDispatcher;
  slack: SlackNotifier;
  /** Whether PagerDuty is paged too. */
  pagerduty: boolean;
}

/**
 * Builds the delivery side: the Slack notifier, PagerDuty's when configured, and the dispatcher
 * that claims outbox rows (fenced, see delivery/dispatcher.ts) and sends them through them.
 *
 * @example
 * ```ts
 * const delivery = buildDelivery({ pagerduty, claimTimeoutMs: 60_000 }, deps)
 * await delivery.dispatcher.flush()
 * ```
 */
export function buildDelivery(slice: DeliverySlice, deps: DeliveryDeps): Delivery {
  const slack = new SlackNotifier({
    client: deps.slackClient,
    logger: deps.logger,
    demoData: deps.demoData,
    chartFor: deps.chartFor,
    mentionsFor: deps.mentionsFor,
  });
  const notifiers = new Map<string, Notifier>([['slack', slack]]);
  if (slice.pagerduty) notifiers.set('pagerduty', new PagerDutyNotifier({ ...slice.pagerduty, source: deps.lmpiHost }));
  const dispatcher = new DeliveryDispatcher({
    store: deps.store,
    notifiers,
    logger: deps.logger,
    holder: deps.holder,
    now: deps.now,
    staleClaimMs: slice.claimTimeoutMs,
    ...(slice.maxAttempts ? { maxAttempts: slice.maxAttempts } : {}),
    ...(deps.onOutcome ? { onOutcome: deps.onOutcome } : {}),
  });
  return { dispatcher, slack, pagerduty: notifiers.has('pagerduty') };
}
