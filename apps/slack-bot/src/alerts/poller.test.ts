// The poller driven with a fake LMPI answer and FAKE notifiers on the store's in-memory SQLite:
// what a poll that crosses a threshold delivers to each destination, and that a failing destination
// neither fails the poll nor gets the alert twice.
import type { ThresholdConfig } from '@licensewatch/alerts';
import type { ProductListResult } from '@licensewatch/client';
import { openStore, type Store } from '@licensewatch/store';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CatalogueCache } from '../catalogue-cache.js';
import { DeliveryDispatcher } from '../delivery/dispatcher.js';
import type { Delivered, Delivery, Notifier } from '../delivery/notifier.js';
import { AlertPoller } from './poller.js';

/** A notifier that records each delivery and fails the next ones while told to. */
class FakeNotifier implements Notifier {
  readonly deliveries: Delivery[] = [];
  failures = 0;
  constructor(
    readonly name: string,
    readonly batchSize: number,
  ) {}
  async deliver(delivery: Delivery): Promise<Delivered> {
    this.deliveries.push(delivery);
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error(`${this.name} unavailable`);
    }
    return { ref: `${this.name}:${this.deliveries.length}` };
  }
  /** The products of every alert delivered, in order. */
  get alerted(): string[] {
    return this.deliveries.flatMap((d) =>
      d.kind === 'product-alerts' ? d.alerts.map((a) => a.product.productId) : [],
    );
  }
}

const thresholds: ThresholdConfig = { default: { low: 100, critical: 20 }, products: [] };

let store: Store;
let clock: number;
let available: Record<string, number>;
let slack: FakeNotifier;
let pagerduty: FakeNotifier;
let poller: AlertPoller;

function catalogue(): ProductListResult {
  return {
    partnerId: 'partner',
    products: Object.entries(available).map(([productId, count]) => ({
      productId,
      productCode: `CODE-${productId}`,
      productName: `Product ${productId}`,
      type: 'SaaS',
      version: 'Full',
      available: count,
      servicePlans: [],
    })),
    warnings: [],
    traceId: 'trace',
  };
}

beforeEach(async () => {
  store = openStore('sqlite::memory:');
  await store.migrate();
  clock = Date.UTC(2026, 11, 1);
  available = { a: 500, b: 500, c: 500 };
  slack = new FakeNotifier('slack', 20);
  pagerduty = new FakeNotifier('pagerduty', 1);
  const logger = pino({ level: 'silent' });
  const dispatcher = new DeliveryDispatcher({
    store,
    notifiers: new Map<string, Notifier>([
      ['slack', slack],
      ['pagerduty', pagerduty],
    ]),
    logger,
    holder: 'replica-a',
    now: () => clock,
    retryBaseMs: 60_000,
    random: () => 0,
  });
  poller = new AlertPoller({
    store,
    cache: new CatalogueCache({ ttlMs: 0, now: () => clock, fetch: async () => catalogue() }),
    dispatcher,
    settings: { pollIntervalMs: 60_000, alertChannel: 'CALERTS', historyRetentionMs: 30 * 86_400_000 },
    pagerduty: true,
    thresholds,
    logger,
    holder: 'replica-a',
    now: () => clock,
  });
});

afterEach(async () => {
  await poller.stop();
  await store.close();
});

/** One poll a minute after the last. */
async function pollAfterAMinute() {
  clock += 60_000;
  return poller.poll();
}

describe('a poll that crosses thresholds', () => {
  it('sends Slack one digest and PagerDuty one event per critical product, and nothing for healthy pools', async () => {
    await pollAfterAMinute();
    expect(slack.deliveries).toEqual([]);
    available = { a: 10, b: 15, c: 60 };
    const report = await pollAfterAMinute();
    expect(report.events.map((e) => e.kind)).toEqual(['alert', 'alert', 'alert']);
    expect(slack.deliveries.map((d) => d.kind)).toEqual(['product-alerts']);
    expect([...slack.alerted].sort()).toEqual(['a', 'b', 'c']);
    // PagerDuty pages critical only (the default rule), one product per delivery (its batch size).
    expect(pagerduty.deliveries.map((d) => (d.kind === 'product-alerts' ? d.alerts.length : 0))).toEqual([1, 1]);
    expect([...pagerduty.alerted].sort()).toEqual(['a', 'b']);
    await pollAfterAMinute();
    expect(slack.deliveries).toHaveLength(1); // nothing new: no second alert
  });

  it('records the poll though PagerDuty is down, delivers Slack at once and PagerDuty once it is back', async () => {
    await pollAfterAMinute();
    pagerduty.failures = 1;
    available = { a: 10, b: 500, c: 500 };
    const report = await pollAfterAMinute();
    expect(report.leader).toBe(true);
    expect(slack.alerted).toEqual(['a']);
    const waiting = (await store.outbox.byNotifier()).pagerduty;
    expect(waiting?.counts).toEqual({ pending: 1 });
    await pollAfterAMinute(); // the backoff (1 min) has passed: the next poll's flush retries it
    expect(pagerduty.alerted).toEqual(['a', 'a']); // the failed attempt and the retry, nothing more
    expect((await store.outbox.byNotifier()).pagerduty?.counts).toEqual({ posted: 1 });
    expect(slack.alerted).toEqual(['a']);
  });
});
