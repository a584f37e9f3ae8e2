import type { AlertEvent, ProductEvent } from '@licensewatch/alerts';
import { ruleResolver } from '@licensewatch/alerts';
import { type AlertHandling, type OutboxRow, openStore, type Store } from '@licensewatch/store';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeliveryDispatcher, type DispatcherDeps } from './dispatcher.js';
import { ClaimLostError, type Delivered, type Delivery, DeliveryError, type Notifier } from './notifier.js';
import { routeEvents, routeHandling } from './routing.js';
import { ALERTS_PER_DIGEST } from './slack/render.js';

// The delivery pipeline on a real (in-memory SQLite) store, with notifiers that record what they
// were asked to deliver and fail when told to.

type Outcome = Delivered | Error;

class RecordingNotifier implements Notifier {
  readonly deliveries: { delivery: Delivery; alreadyDelivered: string | undefined }[] = [];
  readonly lookedUp: string[] = [];
  /** Outcomes of the next deliveries, in order; once empty, every delivery succeeds. */
  readonly outcomes: Outcome[] = [];
  found: string | undefined;
  findDelivered?: (delivery: Delivery) => Promise<string | undefined>;

  constructor(
    readonly name: string,
    readonly followsEpisodes = false,
    canLookUp = true,
    /** The Slack notifier's batch size by default: the chunking test below counts on it. */
    readonly batchSize = ALERTS_PER_DIGEST,
  ) {
    if (canLookUp)
      this.findDelivered = async (delivery) => {
        this.lookedUp.push(delivery.id);
        return this.found;
      };
  }

  async deliver(delivery: Delivery, alreadyDelivered?: string): Promise<Delivered> {
    this.deliveries.push({ delivery, alreadyDelivered });
    const outcome = this.outcomes.shift() ?? { ref: `${this.name}-ref-${this.deliveries.length}` };
    if (outcome instanceof Error) throw outcome;
    return outcome;
  }

  get kinds(): string[] {
    return this.deliveries.map(({ delivery }) => delivery.kind);
  }
}

const products = Array.from({ length: 45 }, (_, i) => ({
  productId: `p${String(i).padStart(2, '0')}`,
  productCode: `TESTP${String(i).padStart(2, '0')}XX`,
  productName: `Test Product ${i}`,
}));
const product = products[0] as (typeof products)[number];

function productEvent(
  kind: ProductEvent['kind'],
  level: ProductEvent['level'],
  at: number,
  which = product,
  episodeStart = 1,
): ProductEvent {
  return {
    kind,
    key: `${kind}:${which.productId}:${level}:${at}`,
    at,
    product: which,
    level,
    episode: {
      id: `${which.productId}:${episodeStart}`,
      startedAt: episodeStart,
      peak: level === 'ok' ? 'critical' : level,
    },
    available: level === 'critical' ? 10 : level === 'low' ? 60 : 500,
    previousAvailable: 200,
    threshold: level === 'critical' ? 20 : 100,
    channel: undefined,
    forecast: undefined,
  };
}

const policy = {
  ruleFor: ruleResolver({ default: { low: 100, critical: 20 }, products: [] }),
  alertChannel: 'CALERTS',
  pagerduty: true,
};
const route = (events: AlertEvent[], at: number): OutboxRow[] => routeEvents(events, at, policy, () => undefined);

let store: Store;
let clock: number;
let slack: RecordingNotifier;
let pagerduty: RecordingNotifier;
let dispatchers: DeliveryDispatcher[];

beforeEach(async () => {
  store = openStore('sqlite::memory:');
  await store.migrate();
  clock = 1_000_000;
  slack = new RecordingNotifier('slack', true);
  pagerduty = new RecordingNotifier('pagerduty', false, false, 1);
  dispatchers = [];
});

afterEach(async () => {
  for (const dispatcher of dispatchers) await dispatcher.stop();
  await store.close();
});

function dispatcher(extra: Partial<DispatcherDeps> = {}): DeliveryDispatcher {
  const created = new DeliveryDispatcher({
    store,
    notifiers: new Map<string, Notifier>([
      ['slack', slack],
      ['pagerduty', pagerduty],
    ]),
    logger: pino({ level: 'silent' }),
    holder: 'replica-a',
    now: () => clock,
    retryBaseMs: 60_000, // far beyond a test: retries happen when the test moves the clock
    random: () => 0,
    ...extra,
  });
  dispatchers.push(created);
  return created;
}

/** Routes this minute's events to the outbox, as a poll does, and delivers them. */
async function deliver(run: DeliveryDispatcher, events: AlertEvent[]): Promise<void> {
  await store.outbox.enqueue(route(events, clock));
  await run.flush();
}

const statuses = async () =>
  Object.fromEntries((await store.outbox.list()).map((row) => [row.key, `${row.status}/${row.attempts}`]));

describe('delivering one poll', () => {
  it('sends a poll’s alerts to Slack as one digest and pages PagerDuty per critical product, once', async () => {
    await store.outbox.enqueue(
      route([productEvent('alert', 'critical', clock), productEvent('alert', 'low', clock, products[1])], clock),
    );
    const run = dispatcher();
    expect(await run.flush()).toBe(2);
    expect(slack.kinds).toEqual(['product-alerts']);
    const digest = slack.deliveries[0]?.delivery as Delivery & { kind: 'product-alerts' };
    expect(digest.target).toBe('CALERTS');
    expect(digest.alerts.map((a) => `${a.product.productCode}:${a.level}`)).toEqual([
      'TESTP00XX:critical',
      'TESTP01XX:low',
    ]);
    expect(pagerduty.kinds).toEqual(['product-alerts']);
    expect(Object.values(await statuses())).toEqual(['posted/1', 'posted/1', 'posted/1']);
    expect(await run.flush()).toBe(0);
    expect(slack.deliveries).toHaveLength(1);
  });

  it(`splits a digest of more than ${ALERTS_PER_DIGEST} products into chunks named by their first alert`, async () => {
    await store.outbox.enqueue(
      route(
        products.map((p) => productEvent('alert', 'low', clock, p)),
        clock,
      ),
    );
    expect(await dispatcher().flush()).toBe(3);
    const chunks = slack.deliveries.map(({ delivery }) => delivery as Delivery & { kind: 'product-alerts' });
    expect(chunks.map((c) => c.alerts.length)).toEqual([20, 20, 5]);
    expect(chunks.map((c) => c.alerts[0]?.product.productId)).toEqual(['p00', 'p20', 'p40']);
    expect(new Set(chunks.map((c) => c.id)).size).toBe(3);
    expect(chunks[1]?.id).toContain('alert:p20:');
  });

  it('remembers a delivered digest, so the resolution marks it recovered and goes where it went', async () => {
    const run = dispatcher();
    await deliver(run, [productEvent('alert', 'critical', clock)]);
    clock += 60_000;
    await store.outbox.enqueue(route([productEvent('resolved', 'ok', clock)], clock));
    expect(await run.flush()).toBe(2);
    const resolution = slack.deliveries[1]?.delivery as Delivery & { kind: 'resolution' };
    expect(resolution.kind).toBe('resolution');
    expect(resolution.original?.ref).toBe('slack-ref-1');
    expect(resolution.original?.alerts?.[0]?.note).toEqual({ kind: 'recovered', available: 500 });
    expect(pagerduty.kinds).toEqual(['product-alerts', 'resolution']);
    // The stored digest now reads as recovered: a later alert of the same episode starts afresh.
    const posted = await store.outbox.postedFor('slack', product.productId);
    expect(posted?.content).toMatchObject({ alerts: [{ note: { kind: 'recovered', available: 500 } }] });
    // Every row is marked posted: none is claimed and sent again once its claim goes stale.
    expect(Object.values(await statuses()).filter((s) => !s.startsWith('posted/'))).toEqual([]);
  });

  it('sends a resolution with no original when nothing was delivered for the product', async () => {
    await store.outbox.enqueue(route([productEvent('resolved', 'ok', clock)], clock));
    await dispatcher().flush();
    expect(slack.deliveries[0]?.delivery).toMatchObject({ kind: 'resolution', target: 'CALERTS', original: undefined });
    // Settled as sent (nothing to update): not retried.
    expect(Object.values(await statuses()).filter((s) => !s.startsWith('posted/'))).toEqual([]);
  });

  it('sends an LMPI notice on its own', async () => {
    const notice: AlertEvent = {
      kind: 'lmpi-unreachable',
      key: `lmpi-unreachable:${clock}`,
      at: clock,
      failures: 3,
      since: clock,
      reason: 'timeout',
    };
    await store.outbox.enqueue(route([notice], clock));
    expect(await dispatcher().flush()).toBe(1);
    expect(slack.deliveries[0]?.delivery).toMatchObject({
      kind: 'lmpi-notice',
      target: 'CALERTS',
      notice: { state: 'unreachable', failures: 3, reason: 'timeout' },
    });
    expect(pagerduty.deliveries).toEqual([]);
  });
});

describe('later events of an episode', () => {
  it('updates the delivered alert on escalation instead of posting a new one (Slack), and pages again (PagerDuty)', async () => {
    const run = dispatcher();
    await deliver(run, [productEvent('alert', 'low', clock)]);
    clock += 60_000;
    await deliver(run, [productEvent('alert', 'critical', clock)]);
    expect(slack.kinds).toEqual(['product-alerts', 'episode-update']);
    const update = slack.deliveries[1]?.delivery as Delivery & { kind: 'episode-update' };
    expect(update.previous.level).toBe('low');
    expect(update.update.level).toBe('critical');
    expect(update.original.ref).toBe('slack-ref-1');
    expect(update.original.alerts.map((a) => a.level)).toEqual(['critical']);
    const posted = await store.outbox.postedFor('slack', product.productId);
    expect(posted?.content).toMatchObject({ alerts: [{ level: 'critical' }] });
    expect(pagerduty.kinds).toEqual(['product-alerts']); // the low alert did not page; the critical does
    // The update's row is marked posted: it is not claimed and sent again once its claim goes stale.
    expect(Object.values(await statuses()).filter((s) => !s.startsWith('posted/'))).toEqual([]);
  });

  it('posts a new alert for a new episode, or after the last one recovered', async () => {
    const run = dispatcher();
    await deliver(run, [productEvent('alert', 'low', clock)]);
    clock += 60_000;
    await deliver(run, [productEvent('alert', 'low', clock, product, clock)]);
    expect(slack.kinds).toEqual(['product-alerts', 'product-alerts']);
  });

  it('posts a forecast of an episode already alerted as a digest of its own, not as an update', async () => {
    const run = dispatcher();
    await deliver(run, [productEvent('alert', 'low', clock)]);
    clock += 60_000;
    await deliver(run, [productEvent('forecast', 'low', clock)]);
    expect(slack.kinds).toEqual(['product-alerts', 'product-alerts']);
  });

  it('posts anew to a notifier that does not follow episodes', async () => {
    slack = new RecordingNotifier('slack', false);
    const run = dispatcher();
    await deliver(run, [productEvent('alert', 'low', clock)]);
    clock += 60_000;
    await deliver(run, [productEvent('renotify', 'low', clock)]);
    expect(slack.kinds).toEqual(['product-alerts', 'product-alerts']);
  });

  it('edits the message the button was on when someone acknowledges', async () => {
    const run = dispatcher();
    await deliver(run, [productEvent('alert', 'critical', clock)]);
    const handling: AlertHandling = {
      action: 'acknowledged',
      product,
      actor: 'U0ONCALL',
      at: clock + 1,
      episode: { id: `${product.productId}:1`, startedAt: 1, peak: 'critical' },
      snoozeMs: undefined,
      clicked: 'slack-ref-1',
    };
    await store.outbox.enqueue(routeHandling(handling, policy));
    expect(await run.flush()).toBe(2);
    const ack = slack.deliveries[1]?.delivery as Delivery & { kind: 'acknowledgement' };
    expect(ack.kind).toBe('acknowledgement');
    expect(ack.original?.ref).toBe('slack-ref-1');
    expect(ack.original?.alerts?.[0]?.note).toEqual({ kind: 'acknowledged', actor: 'U0ONCALL' });
    expect(pagerduty.kinds).toEqual(['product-alerts', 'acknowledgement']);
    expect(Object.values(await statuses()).filter((s) => !s.startsWith('posted/'))).toEqual([]);
  });

  it('edits the older message the button was on, not the product’s newer alert', async () => {
    const run = dispatcher();
    await deliver(run, [productEvent('alert', 'critical', clock)]);
    clock += 60_000;
    await deliver(run, [productEvent('resolved', 'ok', clock)]);
    clock += 60_000;
    await deliver(run, [productEvent('alert', 'low', clock, product, clock)]);
    expect(slack.kinds).toEqual(['product-alerts', 'resolution', 'product-alerts']); // slack-ref-1, -2, -3
    const handling: AlertHandling = {
      action: 'acknowledged',
      product,
      actor: 'U0ONCALL',
      at: clock + 1,
      episode: { id: `${product.productId}:1`, startedAt: 1, peak: 'critical' },
      snoozeMs: undefined,
      clicked: 'slack-ref-1', // the first episode's message
    };
    await store.outbox.enqueue(routeHandling(handling, policy));
    await run.flush();
    const ack = slack.deliveries.at(-1)?.delivery as Delivery & { kind: 'acknowledgement' };
    expect(ack.original?.ref).toBe('slack-ref-1');
    expect(ack.original?.alerts?.[0]).toMatchObject({ level: 'critical' });
  });

  it('keeps an acknowledged alert acknowledged through a mute and an unmute (no buttons come back)', async () => {
    const run = dispatcher();
    await deliver(run, [productEvent('alert', 'low', clock)]);
    const episode = { id: `${product.productId}:1`, startedAt: 1, peak: 'low' as const };
    const handle = async (action: AlertHandling['action'], actor: string, snoozeMs?: number) => {
      clock += 1_000;
      await store.outbox.enqueue(
        routeHandling({ action, product, actor, at: clock, episode, snoozeMs }, { ...policy, pagerduty: false }),
      );
      await run.flush();
      const last = slack.deliveries.at(-1)?.delivery as Delivery & { kind: 'acknowledgement' };
      return last.original?.alerts?.[0]?.note;
    };
    expect(await handle('acknowledged', 'U0ONCALL')).toEqual({ kind: 'acknowledged', actor: 'U0ONCALL' });
    expect(await handle('muted', 'UADMIN', 7_200_000)).toEqual({
      kind: 'muted',
      actor: 'UADMIN',
      muteMs: 7_200_000,
      covers: { kind: 'acknowledged', actor: 'U0ONCALL' },
    });
    expect(await handle('unmuted', 'UADMIN')).toEqual({ kind: 'acknowledged', actor: 'U0ONCALL' });
    // Muted after the acknowledgement was noted: unmuting still leaves it acknowledged.
    expect(await handle('unmuted', 'UADMIN')).toEqual({ kind: 'acknowledged', actor: 'U0ONCALL' });
  });

  it('brings the buttons back when a product that was only snoozed is unmuted', async () => {
    const run = dispatcher();
    await deliver(run, [productEvent('alert', 'low', clock)]);
    const episode = { id: `${product.productId}:1`, startedAt: 1, peak: 'low' as const };
    for (const action of ['snoozed', 'unmuted'] as const) {
      clock += 1_000;
      const handling = { action, product, actor: 'U1', at: clock, episode, snoozeMs: 3_600_000 };
      await store.outbox.enqueue(routeHandling(handling, { ...policy, pagerduty: false }));
      await run.flush();
    }
    const notes = slack.deliveries.map(({ delivery }) =>
      delivery.kind === 'acknowledgement' ? delivery.original?.alerts?.[0]?.note : 'posted',
    );
    expect(notes).toEqual(['posted', { kind: 'snoozed', actor: 'U1', snoozeMs: 3_600_000 }, undefined]);
  });

  it('keeps a recovered alert recovered when the product is muted and unmuted afterwards', async () => {
    const run = dispatcher();
    await deliver(run, [productEvent('alert', 'low', clock)]);
    clock += 1_000;
    await deliver(run, [productEvent('resolved', 'ok', clock)]);
    for (const action of ['muted', 'unmuted'] as const) {
      clock += 1_000;
      const handling = { action, product, actor: 'UADMIN', at: clock, episode: undefined, snoozeMs: 3_600_000 };
      await store.outbox.enqueue(routeHandling(handling, { ...policy, pagerduty: false }));
      await run.flush();
    }
    const last = slack.deliveries.at(-1)?.delivery as Delivery & { kind: 'acknowledgement' };
    expect(last.original?.alerts?.[0]?.note).toEqual({ kind: 'recovered', available: 500 });
  });
});

describe('who drained the pool, when LMPI’s report came late', () => {
  const attribution = {
    year: 2026,
    month: 12,
    total: 70,
    top: [{ customer: 'Acme', units: 70 }],
    others: undefined,
  };
  const lateAttribution = (target = 'CALERTS'): OutboxRow => ({
    kind: 'attribution',
    key: `attribution:${product.productId}:1`,
    group: `attribution:${product.productId}:1`,
    destination: { notifier: 'slack', target },
    createdAt: clock,
    product,
    episode: { id: `${product.productId}:1`, startedAt: 1, peak: 'low' },
    attribution,
  });

  it('replies to the episode’s alert and updates it to show who drained it, where it was posted', async () => {
    const run = dispatcher();
    await deliver(run, [productEvent('alert', 'low', clock)]);
    clock += 1_000;
    await store.outbox.enqueue([lateAttribution('CELSEWHERE')]);
    expect(await run.flush()).toBe(1);
    expect(slack.deliveries[1]?.delivery).toMatchObject({
      kind: 'attribution',
      target: 'CALERTS', // where the alert went, not where the row was addressed
      attribution: { product, consumers: attribution },
      original: { ref: 'slack-ref-1', alerts: [{ product, consumers: attribution }] },
    });
    expect(pagerduty.kinds).toEqual([]); // a low alert does not page, and PagerDuty has no thread to reply in
    const posted = await store.outbox.postedFor('slack', product.productId);
    const { others: _none, ...stored } = attribution; // JSON keeps no undefined
    expect(posted?.content).toMatchObject({ alerts: [{ consumers: stored }] });
    expect(Object.values(await statuses()).filter((s) => !s.startsWith('posted/'))).toEqual([]);
  });

  it('is sent on its own, with no alert to update, when none was delivered for the product', async () => {
    await store.outbox.enqueue([lateAttribution()]);
    expect(await dispatcher().flush()).toBe(1);
    expect(slack.deliveries[0]?.delivery).toMatchObject({
      kind: 'attribution',
      target: 'CALERTS',
      original: undefined,
    });
    expect(await store.outbox.postedFor('slack', product.productId)).toBeUndefined();
    expect(Object.values(await statuses()).filter((s) => !s.startsWith('posted/'))).toEqual([]);
  });
});

describe('after a crash or a lost reply', () => {
  it('says in the log that a delivery it finds already there is not sent again', async () => {
    const lines: { msg: string; id?: string; notifier?: string }[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    slack.outcomes.push(new Error('lost reply'));
    await store.outbox.enqueue(route([productEvent('alert', 'low', clock)], clock));
    const run = dispatcher({ logger });
    await run.flush();
    slack.found = 'slack-ref-found';
    clock += 60_000;
    await run.flush();
    const said = lines.filter((l) => l.msg === 'already delivered before a crash; not sending again');
    expect(said.map((l) => [l.notifier, typeof l.id])).toEqual([['slack', 'string']]);
    const missing = lines.filter((l) => l.msg.includes('already delivered'));
    expect(missing).toHaveLength(1);
  });
});

describe('a claim taken over by another replica', () => {
  it('neither dead-letters nor retries a row whose claim was lost, and says why at warn', async () => {
    const lines: { level: number; msg: string; notifier?: string }[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    await store.outbox.enqueue(route([productEvent('alert', 'low', clock)], clock));
    const key = `alert:p00:low:${clock}@slack`;
    slack.outcomes.push(new ClaimLostError([key]));
    const run = dispatcher({ logger });
    expect(await run.flush()).toBe(0);
    const row = (await store.outbox.list()).find((r) => r.key === key);
    expect(row?.status).not.toBe('dead');
    expect(row?.lastError).toBeUndefined();
    expect(lines.filter((l) => l.level >= 40).map((l) => [l.level, l.msg, l.notifier])).toEqual([
      [40, 'delivery claim expired and was taken over by another replica; not sending', 'slack'],
    ]);
  });
});

describe('what the log says', () => {
  it('says once, at error, why a delivery became a dead letter and how to re-queue it', async () => {
    const lines: { level: number; msg: string; notifier?: string; target?: string; attempts?: number }[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    slack.outcomes.push(new DeliveryError('channel_not_found', { retryable: false }), new Error('boom'));
    await store.outbox.enqueue(route([productEvent('alert', 'low', clock)], clock));
    const run = dispatcher({ logger, maxAttempts: 2 });
    await run.flush();
    clock += 1_000;
    await deliver(run, [productEvent('alert', 'low', clock, products[1])]); // fails once: retried later
    clock += 60_000;
    slack.outcomes.push(new Error('boom again'));
    await run.flush(); // fails the second (last) time
    expect(lines.filter((l) => l.level >= 40).map((l) => [l.level, l.msg, l.notifier, l.target, l.attempts])).toEqual([
      [
        50,
        'alert delivery refused for good: now a dead letter (list with /licenses alerts, re-queue with /licenses alerts retry)',
        'slack',
        'CALERTS',
        1,
      ],
      [40, 'delivery failed; will retry', 'slack', undefined, 1],
      [
        50,
        'alert delivery failed 2 times: now a dead letter (list with /licenses alerts, re-queue with /licenses alerts retry)',
        'slack',
        'CALERTS',
        2,
      ],
    ]);
  });
});

describe('failures', () => {
  it('retries a failed delivery later with backoff, without holding up the other notifier', async () => {
    slack.outcomes.push(new Error('socket hang up'));
    await store.outbox.enqueue(route([productEvent('alert', 'critical', clock)], clock));
    const run = dispatcher();
    expect(await run.flush()).toBe(1); // PagerDuty got it
    const slackRow = (await store.outbox.list()).find((row) => row.destination.notifier === 'slack');
    expect(slackRow).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastError: 'socket hang up',
      nextAttemptAt: clock + 60_000,
    });
    expect(await run.flush()).toBe(0); // not due yet
    clock += 60_000;
    expect(await run.flush()).toBe(1);
    expect(slack.deliveries).toHaveLength(2);
  });

  it('asks the notifier whether a retried delivery arrived after all, and does not send it twice', async () => {
    slack.outcomes.push(new Error('lost reply'));
    const run = dispatcher();
    await deliver(run, [productEvent('alert', 'critical', clock)]);
    expect(slack.lookedUp).toEqual([]); // a first attempt has nothing to look for
    slack.found = 'slack-ref-found';
    clock += 60_000;
    await run.flush();
    expect(slack.lookedUp).toHaveLength(1);
    expect(slack.deliveries[1]?.alreadyDelivered).toBe('slack-ref-found');
  });

  it('keeps a destination’s rows in order: once one fails, the next waits for its retry', async () => {
    slack.outcomes.push(new DeliveryError('rate limited', { retryable: true, retryAfterMs: 120_000 }));
    await store.outbox.enqueue(route([productEvent('alert', 'critical', clock)], clock));
    const notice: AlertEvent = {
      kind: 'lmpi-unreachable',
      key: `lmpi-unreachable:${clock}`,
      at: clock,
      failures: 3,
      since: clock,
      reason: 'timeout',
    };
    const run = dispatcher();
    await deliver(run, [notice]);
    expect(slack.kinds).toEqual(['product-alerts']);
    const rows = await store.outbox.list();
    // Retry-After (2 min) beats the 1-minute backoff; the notice waits as long.
    expect(
      rows.filter((r) => r.destination.notifier === 'slack').map((r) => [r.kind, r.status, r.nextAttemptAt]),
    ).toEqual([
      ['product-alerts', 'pending', clock + 120_000],
      ['lmpi-notice', 'pending', clock + 120_000],
    ]);
    clock += 120_000;
    await run.flush();
    expect(slack.kinds).toEqual(['product-alerts', 'product-alerts', 'lmpi-notice']);
  });

  it('gives up at once on a delivery the destination refuses for good', async () => {
    slack.outcomes.push(new DeliveryError('channel_not_found', { retryable: false }));
    await store.outbox.enqueue(route([productEvent('alert', 'low', clock)], clock));
    expect(await dispatcher().flush()).toBe(0);
    expect(await store.outbox.list()).toEqual([
      expect.objectContaining({ status: 'dead', attempts: 1, lastError: 'channel_not_found' }),
    ]);
  });

  it('gives up after the last allowed attempt', async () => {
    slack.outcomes.push(new Error('boom 1'), new Error('boom 2'), new Error('boom 3'));
    await store.outbox.enqueue(route([productEvent('alert', 'low', clock)], clock));
    const run = dispatcher({ maxAttempts: 2 });
    await run.flush();
    expect(await statuses()).toEqual({ [`alert:p00:low:${clock}@slack`]: 'pending/1' });
    clock += 60_000;
    await run.flush();
    expect(await store.outbox.list()).toEqual([
      expect.objectContaining({ status: 'dead', attempts: 2, lastError: 'boom 2' }),
    ]);
    clock += 10 * 60_000;
    expect(await run.flush()).toBe(0);
    expect(slack.deliveries).toHaveLength(2);
  });

  it('dead-letters rows for a notifier that is not configured, and names it', async () => {
    await store.outbox.enqueue(route([productEvent('alert', 'critical', clock)], clock));
    const run = new DeliveryDispatcher({
      store,
      notifiers: new Map([['slack', slack]]),
      logger: pino({ level: 'silent' }),
      holder: 'replica-a',
      now: () => clock,
    });
    dispatchers.push(run);
    expect(await run.flush()).toBe(1);
    expect((await store.outbox.list()).find((r) => r.destination.notifier === 'pagerduty')).toMatchObject({
      status: 'dead',
      lastError: 'notifier pagerduty is not configured',
    });
  });

  it('retries on its own once the backoff has passed', async () => {
    slack.outcomes.push(new Error('blip'));
    await store.outbox.enqueue(route([productEvent('alert', 'low', clock)], clock));
    const run = dispatcher({ now: Date.now, retryBaseMs: 20, retryMaxMs: 20 });
    await run.flush();
    await expect.poll(() => slack.deliveries.length, { timeout: 5_000 }).toBe(2);
    expect(Object.values(await statuses())).toEqual(['posted/2']);
  });
});

describe('stop', () => {
  const settle = () => new Promise((resolve) => setTimeout(resolve, 200));

  it('cancels a retry scheduled before it', async () => {
    slack.outcomes.push(new Error('blip'));
    await store.outbox.enqueue(route([productEvent('alert', 'low', clock)], clock));
    const run = dispatcher({ now: Date.now, retryBaseMs: 20, retryMaxMs: 20 });
    await run.flush();
    await run.stop();
    await settle(); // ten times the backoff
    expect(slack.deliveries).toHaveLength(1);
    expect(Object.values(await statuses())).toEqual(['pending/1']);
  });

  it('schedules no retry for a delivery that fails after it was called', async () => {
    slack.outcomes.push(new Error('blip'));
    await store.outbox.enqueue(route([productEvent('alert', 'low', clock)], clock));
    const run = dispatcher({ now: Date.now, retryBaseMs: 20, retryMaxMs: 20 });
    const flushing = run.flush();
    await run.stop(); // waits for the run in progress, whose delivery fails
    await flushing;
    await settle();
    expect(slack.deliveries).toHaveLength(1);
    expect(Object.values(await statuses())).toEqual(['pending/1']);
  });
});

describe('flush', () => {
  it('shares a run in progress, and goes round again for rows recorded meanwhile', async () => {
    await store.outbox.enqueue(route([productEvent('alert', 'low', clock)], clock));
    const run = dispatcher();
    const first = run.flush();
    await store.outbox.enqueue(route([productEvent('alert', 'low', clock + 1, products[1])], clock + 1));
    const second = run.flush();
    expect(second).toBe(first);
    expect(await first).toBe(2);
    expect(slack.deliveries).toHaveLength(2);
  });
});

describe('exactly once across replicas (fencing)', () => {
  /** A Slack stand-in shared by two replicas: what arrived, by delivery id, and a gate before each send. */
  class SharedChannel {
    readonly arrived: string[] = [];
    notifier(name: string, gate: () => Promise<void>): Notifier {
      return {
        name,
        followsEpisodes: true,
        batchSize: ALERTS_PER_DIGEST,
        findDelivered: async (delivery) => (this.arrived.includes(delivery.id) ? `ref:${delivery.id}` : undefined),
        deliver: async (delivery, alreadyDelivered, attempt) => {
          if (alreadyDelivered) return { ref: alreadyDelivered };
          await gate(); // waiting out a 429, channel pacing, a stalled event loop…
          await attempt?.beforeSend();
          this.arrived.push(delivery.id);
          return { ref: `ref:${delivery.id}` };
        },
      };
    }
  }

  const replica = (holder: string, notifier: Notifier, staleClaimMs: number, now = () => clock) =>
    dispatcher({ holder, notifiers: new Map([['slack', notifier]]), staleClaimMs, now });

  it('does not send a delivery whose claim expired and was taken over; the new holder sends it once', async () => {
    const channel = new SharedChannel();
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const a = replica(
      'replica-a',
      channel.notifier('slack', () => held),
      60_000,
    );
    const b = replica(
      'replica-b',
      channel.notifier('slack', async () => undefined),
      60_000,
    );
    await store.outbox.enqueue(route([productEvent('alert', 'critical', clock)], clock).filter(isSlack));
    const first = a.flush(); // claims the row, then waits at the gate
    await until(async () => (await statuses())[onlyKey(await store.outbox.list())] === 'sending/1');
    clock += 61_000; // A's claim is stale: B takes it over, looks, finds nothing, sends
    expect(await b.flush()).toBe(1);
    release(); // A wakes up after its wait: its fencing token is gone
    expect(await first).toBe(0);
    expect(channel.arrived).toHaveLength(1);
    expect(Object.values(await statuses())).toEqual(['posted/2']);
  });

  it('renews its claims while it waits, so a live replica keeps them and nothing is sent twice', async () => {
    const channel = new SharedChannel();
    const a = replica(
      'replica-a',
      channel.notifier('slack', () => new Promise((resolve) => setTimeout(resolve, 400))),
      150,
      Date.now,
    );
    const b = replica(
      'replica-b',
      channel.notifier('slack', async () => undefined),
      150,
      Date.now,
    );
    await store.outbox.enqueue(
      route(
        products.slice(0, 3).map((p, i) => productEvent('alert', 'critical', Date.now() + i, p)),
        Date.now(),
      ).filter(isSlack),
    );
    const first = a.flush();
    let taken = 0;
    const deadline = Date.now() + 600;
    while (Date.now() < deadline) {
      taken += await b.flush(); // B tries to take over all the while A waits
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    await first;
    expect(taken).toBe(0);
    expect(channel.arrived).toHaveLength(new Set(channel.arrived).size);
    expect(Object.values(await statuses()).every((s) => s.startsWith('posted/1'))).toBe(true);
  });
});

const isSlack = (row: OutboxRow) => row.destination.notifier === 'slack';
const onlyKey = (rows: { key: string }[]) => rows[0]?.key ?? '';

async function until(condition: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('condition not met');
}
