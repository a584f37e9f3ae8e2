// The delivery pipeline (dispatcher.ts with planning, claims and the retry stage) driven end to end
// with a FAKE notifier on the store's real in-memory SQLite: what a destination receives, how often,
// and what the outbox says afterwards. The fake destination keeps what arrived by delivery id, as
// Slack keeps it in message metadata and PagerDuty under the dedup key.
import type { ProductEvent } from '@licensewatch/alerts';
import { ruleResolver } from '@licensewatch/alerts';
import { openStore, type Store } from '@licensewatch/store';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeliveryDispatcher, type DispatcherDeps } from './dispatcher.js';
import { type Delivered, type Delivery, type DeliveryAttempt, DeliveryError, type Notifier } from './notifier.js';
import { PagerDutyNotifier } from './pagerduty/notifier.js';
import { routeEvents } from './routing.js';

/** What one delivery attempt does at the destination. */
type Script =
  | { ok: true }
  | { fail: Error }
  /** The process dies here: the call never returns (before or after the destination got it). */
  | { hang: 'before-arrival' | 'after-arrival' };

/** A destination shared by every process (replica or restart) that sends to it. */
class FakeDestination {
  /** Delivery ids, in the order they arrived; a repeat would be a duplicate alert. */
  readonly arrived: string[] = [];
  /** What each `deliver` call was given: the delivery id and the reference found after a crash. */
  readonly calls: { id: string; alreadyDelivered: string | undefined; attempt: number | undefined }[] = [];
  readonly script: Script[] = [];

  /** A notifier of this destination; `canLookUp` false: an idempotent one (no lookup, re-sent). */
  notifier(name = 'fake', canLookUp = true): Notifier {
    const notifier: Notifier = {
      name,
      batchSize: 20,
      deliver: (delivery, alreadyDelivered, attempt) => this.deliver(delivery, alreadyDelivered, attempt),
    };
    if (canLookUp)
      notifier.findDelivered = async (delivery) =>
        this.arrived.includes(delivery.id) ? `ref:${delivery.id}` : undefined;
    return notifier;
  }

  private async deliver(delivery: Delivery, alreadyDelivered?: string, attempt?: DeliveryAttempt): Promise<Delivered> {
    this.calls.push({ id: delivery.id, alreadyDelivered, attempt: attempt?.number });
    if (alreadyDelivered) return { ref: alreadyDelivered };
    const step = this.script.shift() ?? { ok: true };
    if ('fail' in step) throw step.fail;
    if ('hang' in step && step.hang === 'before-arrival') return new Promise<never>(() => undefined);
    await attempt?.beforeSend();
    this.arrived.push(delivery.id);
    if ('hang' in step) return new Promise<never>(() => undefined);
    return { ref: `ref:${delivery.id}` };
  }
}

const product = { productId: 'p1', productCode: 'NNZBXXE1X', productName: 'Apex One' };

function critical(at: number): ProductEvent {
  return {
    kind: 'alert',
    key: `alert:p1:critical:${at}`,
    at,
    product,
    level: 'critical',
    episode: { id: `p1:${at}`, startedAt: at, peak: 'critical' },
    available: 5,
    previousAvailable: 200,
    threshold: 20,
    channel: undefined,
    forecast: undefined,
  };
}

const policy = (pagerduty: boolean) => ({
  ruleFor: ruleResolver({ default: { low: 100, critical: 20 }, products: [] }),
  alertChannel: 'CALERTS',
  pagerduty,
});

let store: Store;
let clock: number;
let destination: FakeDestination;
let running: DeliveryDispatcher[];

beforeEach(async () => {
  store = openStore('sqlite::memory:');
  await store.migrate();
  clock = 1_000_000;
  destination = new FakeDestination();
  running = [];
});

afterEach(async () => {
  for (const dispatcher of running) await dispatcher.stop();
  await store.close();
});

/** Alerts for Slack only, addressed to the fake notifier. */
async function enqueueAlert(at = clock): Promise<string> {
  const rows = routeEvents([critical(at)], at, policy(false), () => undefined).map((row) => ({
    ...row,
    destination: { notifier: 'fake', target: row.destination.target },
  }));
  await store.outbox.enqueue(rows);
  return rows[0]?.key ?? '';
}

function dispatcher(extra: Partial<DispatcherDeps> = {}, keep = true): DeliveryDispatcher {
  const created = new DeliveryDispatcher({
    store,
    notifiers: new Map([['fake', destination.notifier()]]),
    logger: pino({ level: 'silent' }),
    holder: 'replica-a',
    now: () => clock,
    retryBaseMs: 1_000,
    retryMaxMs: 300_000,
    staleClaimMs: 60_000,
    random: () => 0, // no jitter: the backoff itself
    ...extra,
  });
  if (keep) running.push(created);
  return created;
}

const row = async (key: string) => (await store.outbox.list()).find((r) => r.key === key);

describe('retry on a transient failure', () => {
  it('backs off 1 s, 2 s, 4 s after attempts 1–3 (not a moment sooner), then delivers once', async () => {
    destination.script.push(
      { fail: new Error('socket hang up') },
      { fail: new DeliveryError('Slack 503', { retryable: true }) },
      { fail: new Error('ETIMEDOUT') },
    );
    const key = await enqueueAlert();
    const outcomes: string[] = [];
    const run = dispatcher({ onOutcome: (notifier, outcome) => outcomes.push(`${notifier}:${outcome}`) });
    const waits: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      expect(await run.flush()).toBe(0);
      const pending = await row(key);
      expect(pending).toMatchObject({ status: 'pending', attempts: attempt });
      waits.push((pending?.nextAttemptAt ?? 0) - clock);
      clock = (pending?.nextAttemptAt ?? 0) - 1;
      expect(await run.flush()).toBe(0); // not due yet: no attempt
      expect(destination.calls).toHaveLength(attempt);
      clock += 1;
    }
    expect(waits).toEqual([1_000, 2_000, 4_000]);
    expect(await run.flush()).toBe(1);
    expect(outcomes).toEqual(['fake:retried', 'fake:retried', 'fake:retried', 'fake:delivered']);
    expect(destination.arrived).toHaveLength(1);
    expect(await row(key)).toMatchObject({ status: 'posted', attempts: 4 });
  });
});

describe('Retry-After', () => {
  it('waits out a Retry-After longer than the backoff, and the backoff when it is longer', async () => {
    destination.script.push(
      { fail: new DeliveryError('rate limited', { retryable: true, retryAfterMs: 30_000 }) },
      { fail: new DeliveryError('rate limited', { retryable: true, retryAfterMs: 500 }) },
    );
    const key = await enqueueAlert();
    const run = dispatcher();
    const started = clock;
    await run.flush();
    expect((await row(key))?.nextAttemptAt).toBe(started + 30_000);
    clock = started + 29_999;
    await run.flush();
    expect(destination.calls).toHaveLength(1);
    clock = started + 30_000;
    await run.flush();
    expect((await row(key))?.nextAttemptAt).toBe(clock + 2_000); // attempt 2's backoff beats 500 ms
    clock += 2_000;
    expect(await run.flush()).toBe(1);
    expect(destination.arrived).toHaveLength(1);
  });

  it('reads PagerDuty’s Retry-After as an HTTP date and waits until then', async () => {
    const retryAt = new Date(clock + 90_000).toUTCString();
    const sent: string[] = [];
    const pagerduty = new PagerDutyNotifier({
      routingKey: 'R'.repeat(32),
      eventsUrl: 'https://events.pagerduty.test/v2/enqueue',
      source: 'lmpi.test',
      now: () => clock,
      fetch: async (_url, init) => {
        sent.push(JSON.parse(String(init?.body)).dedup_key);
        return sent.length === 1
          ? new Response('{"status":"throttled"}', { status: 429, headers: { 'retry-after': retryAt } })
          : new Response('{"status":"success"}', { status: 202 });
      },
    });
    const rows = routeEvents([critical(clock)], clock, policy(true), () => undefined).filter(
      (r) => r.destination.notifier === 'pagerduty',
    );
    await store.outbox.enqueue(rows);
    const run = dispatcher({ notifiers: new Map([['pagerduty', pagerduty]]) });
    const started = clock;
    await run.flush();
    // HTTP dates have whole seconds: the wait is 90 s, give or take the second it was cut to.
    const waited = ((await store.outbox.list())[0]?.nextAttemptAt ?? 0) - started;
    expect(waited).toBeGreaterThan(89_000);
    expect(waited).toBeLessThanOrEqual(90_000);
    clock = started + waited;
    expect(await run.flush()).toBe(1);
    expect(sent).toHaveLength(2);
    expect(new Set(sent).size).toBe(1); // the same dedup key: one PagerDuty alert
  });
});

describe('giving up', () => {
  it('makes a row that keeps failing a dead letter after the attempt limit, and never tries it again', async () => {
    for (let i = 1; i <= 5; i += 1) destination.script.push({ fail: new Error(`boom ${i}`) });
    const key = await enqueueAlert();
    const outcomes: string[] = [];
    const run = dispatcher({ maxAttempts: 3, onOutcome: (_notifier, outcome) => outcomes.push(outcome) });
    for (let i = 0; i < 5; i += 1) {
      await run.flush();
      clock += 3_600_000;
    }
    expect(destination.calls).toHaveLength(3);
    expect(await row(key)).toMatchObject({ status: 'dead', attempts: 3, lastError: 'boom 3' });
    expect(outcomes).toEqual(['retried', 'retried', 'dead']);
  });

  it('makes a permanent refusal a dead letter at once, with the destination’s reason', async () => {
    const pagerduty = new PagerDutyNotifier({
      routingKey: 'R'.repeat(32),
      eventsUrl: 'https://events.pagerduty.test/v2/enqueue',
      source: 'lmpi.test',
      fetch: async () =>
        new Response(JSON.stringify({ status: 'invalid event', message: 'Event object is invalid', errors: ['x'] }), {
          status: 400,
        }),
    });
    const rows = routeEvents([critical(clock)], clock, policy(true), () => undefined).filter(
      (r) => r.destination.notifier === 'pagerduty',
    );
    await store.outbox.enqueue(rows);
    const run = dispatcher({ notifiers: new Map([['pagerduty', pagerduty]]) });
    expect(await run.flush()).toBe(0);
    expect(await store.outbox.list()).toEqual([
      expect.objectContaining({
        status: 'dead',
        attempts: 1,
        lastError: 'PagerDuty 400: Event object is invalid (x)',
      }),
    ]);
  });
});

describe('dedup after a crash', () => {
  /** Process A claims the row and dies mid-delivery; its claim goes stale; B starts and flushes. */
  async function crashThenRestart(hang: 'before-arrival' | 'after-arrival', canLookUp = true) {
    const key = await enqueueAlert();
    destination.script.push({ hang });
    const notifiers = new Map([['fake', destination.notifier('fake', canLookUp)]]);
    // A never finishes (its process is gone): not stopped in teardown, its flush never settles.
    void dispatcher({ holder: 'replica-a', notifiers }, false).flush();
    await until(() => destination.calls.length === 1);
    expect((await row(key))?.status).toBe('sending'); // claimed, never marked
    clock += 60_001; // A's claim is stale
    const restarted = dispatcher({ holder: 'replica-a-restarted', notifiers });
    const delivered = await restarted.flush();
    return { key, delivered };
  }

  it('finds a delivery that arrived before the crash and does not send it again', async () => {
    const { key, delivered } = await crashThenRestart('after-arrival');
    expect(delivered).toBe(1);
    expect(destination.arrived).toHaveLength(1);
    const [first, second] = destination.calls;
    expect(second?.id).toBe(first?.id); // the same delivery id (Slack metadata) on restart
    expect(second?.alreadyDelivered).toBe(`ref:${first?.id}`);
    expect(await row(key)).toMatchObject({ status: 'posted', attempts: 2, ref: `ref:${first?.id}` });
  });

  it('sends once a delivery the crash stopped before it arrived', async () => {
    const { key, delivered } = await crashThenRestart('before-arrival');
    expect(delivered).toBe(1);
    expect(destination.arrived).toHaveLength(1);
    expect(destination.calls.map((c) => c.alreadyDelivered)).toEqual([undefined, undefined]);
    expect(await row(key)).toMatchObject({ status: 'posted', attempts: 2 });
  });

  it('re-sends to an idempotent notifier (no lookup) under the same dedup key, so it still holds one', async () => {
    const { delivered } = await crashThenRestart('after-arrival', false);
    expect(delivered).toBe(1);
    expect(destination.arrived).toHaveLength(2);
    expect(new Set(destination.arrived).size).toBe(1);
  });

  it('delivers nothing more on a second restart', async () => {
    await crashThenRestart('after-arrival');
    clock += 3_600_000;
    expect(await dispatcher({ holder: 'replica-a-third' }).flush()).toBe(0);
    expect(destination.arrived).toHaveLength(1);
  });
});

describe('batch size', () => {
  it('sends a digest in deliveries of the notifier’s own batch size', async () => {
    const events = Array.from({ length: 5 }, (_, i) => ({
      ...critical(clock),
      key: `alert:p${i}:critical:${clock}`,
      product: { ...product, productId: `p${i}` },
    }));
    const rows = routeEvents(events, clock, policy(false), () => undefined).map((r) => ({
      ...r,
      destination: { notifier: 'fake', target: r.destination.target },
    }));
    await store.outbox.enqueue(rows);
    const sizes: number[] = [];
    const notifier: Notifier = {
      name: 'fake',
      batchSize: 2,
      deliver: async (delivery) => {
        if (delivery.kind === 'product-alerts') sizes.push(delivery.alerts.length);
        return { ref: undefined };
      },
    };
    expect(await dispatcher({ notifiers: new Map([['fake', notifier]]) }).flush()).toBe(3);
    expect(sizes).toEqual([2, 2, 1]);
  });
});

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 2_000; i += 1) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('condition not met');
}
