// The real delivery pipeline without pacing: engine → routing → store (SQLite) → dispatcher →
// Slack notifier → Slack stand-in (with its failCall() fault injection).
import { DEFAULT_THRESHOLDS, type EngineState, evaluate, initialEngineState, ruleResolver } from '@licensewatch/alerts';
import type { ProductProfile } from '@licensewatch/schema';
import { type ReceivedMessage, type SlackStandIn, startSlackStandIn } from '@licensewatch/slack-stand-in';
import { openStore, type Store } from '@licensewatch/store';
import { webApi } from '@slack/bolt';
import pino from 'pino';
import { applyAlertAction } from '../../src/alerts/admin-actions.js';
import { DeliveryDispatcher } from '../../src/delivery/dispatcher.js';
import { type RoutingPolicy, routeEvents } from '../../src/delivery/routing.js';
import { SlackNotifier } from '../../src/delivery/slack/notifier.js';
import { MANIFEST_PATH } from '../../src/manifest-path.js';
import { posts } from '../harness.js';

export const product = (i: number, available: number): ProductProfile => ({
  productId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  productCode: `FAULT${String(i).padStart(3, '0')}X`,
  productName: `Fault Product ${i}`,
  type: 'SaaS',
  version: 'Full',
  available,
  servicePlans: [],
});

export interface DeliveryRig {
  slack: SlackStandIn;
  store: Store;
  /** One poll of these products through the engine into the outbox. */
  poll(products: ProductProfile[]): Promise<void>;
  /** Delivers until nothing is pending or sending (retries are immediate). */
  drain(): Promise<void>;
  acknowledge(productId: string): Promise<void>;
  /** Product ids per alert digest posted to the channel (from the alert buttons). */
  digests(): string[][];
  threadReplies(): ReceivedMessage[];
  close(): Promise<void>;
}

export async function startDeliveryRig(): Promise<DeliveryRig> {
  // The channel the bot's start-up check would have joined (this rig drives the dispatcher directly).
  const slack = await startSlackStandIn({
    manifest: MANIFEST_PATH,
    botToken: 'xoxb-rig',
    channels: [{ id: 'CALERTS', botIsMember: true }],
  });
  const store = openStore('sqlite::memory:');
  await store.migrate();
  const logger = pino({ level: 'silent' });
  const client = new webApi.WebClient('xoxb-rig', { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
  const notifiers = new Map([['slack', new SlackNotifier({ client, logger, channelGapMs: 0 })]]);
  const dispatcher = new DeliveryDispatcher({ store, notifiers, logger, holder: 'rig', retryBaseMs: 1, retryMaxMs: 1 });
  const policy: RoutingPolicy = {
    ruleFor: ruleResolver(DEFAULT_THRESHOLDS),
    alertChannel: 'CALERTS',
    pagerduty: false,
  };
  let state: EngineState = initialEngineState();
  let at = 1_700_000_000_000;
  const alertPosts = () => posts(slack);
  const rig: DeliveryRig = {
    slack,
    store,
    poll: async (products) => {
      at += 60_000;
      const previous = state;
      const { state: next, events } = evaluate(previous, { ok: true, products }, at, { ruleFor: policy.ruleFor });
      await store.commitPoll({
        previous,
        next,
        outbox: routeEvents(events, at, policy, () => undefined),
        readings: [],
        at,
        pruneBefore: 0,
      });
      state = next;
    },
    drain: async () => {
      for (let round = 0; round < 100; round += 1) {
        await dispatcher.flush();
        const { pending = 0, sending = 0 } = await store.outbox.counts();
        if (pending + sending === 0) return;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      throw new Error(`outbox did not drain: ${JSON.stringify(await store.outbox.counts())}`);
    },
    acknowledge: async (productId) => {
      at += 1_000;
      await applyAlertAction(
        { store, policy: () => policy, deliver: () => rig.drain() },
        productId,
        { kind: 'acknowledge' },
        'UADMIN',
        at,
      );
      state = await store.engine.load();
    },
    digests: () =>
      alertPosts()
        .filter((m) => !m.payload.thread_ts)
        .map((m) => {
          const blocks = (m.payload.blocks ?? []) as { elements?: { value?: string }[] }[];
          return [...new Set(blocks.flatMap((b) => b.elements ?? []).flatMap((e) => (e.value ? [e.value] : [])))];
        }),
    threadReplies: () => alertPosts().filter((m) => m.payload.thread_ts),
    close: async () => {
      await dispatcher.stop();
      await store.close();
      await slack.close();
    },
  };
  return rig;
}
