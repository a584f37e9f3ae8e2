import { type EngineState, initialEngineState, type ProductAlertState, type ProductEvent } from '@licensewatch/alerts';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../src/migrations.js';
import type { OutboxRow } from '../src/outbox-rows.js';
import { CLAIMABLE_ROWS } from '../src/outbox-store.js';
import { openDatabase } from '../src/sql.js';
import { openStore, type Store } from '../src/store.js';
import { freshDatabaseUrl } from '../src/testing.js';

const product = (id: string, patch: Partial<ProductAlertState> = {}): ProductAlertState => ({
  productId: id,
  productCode: `C${id}`,
  productName: `Product ${id}`,
  level: 'low',
  pending: undefined,
  available: 50,
  since: 1,
  alertOpen: true,
  acknowledged: false,
  lastNotifiedAt: 1,
  mutedUntil: undefined,
  forecastAlerted: false,
  episode: undefined,
  ...patch,
});

const alertEvent = (key: string): ProductEvent => ({
  kind: 'alert',
  key,
  at: 10,
  product: { productId: 'a', productCode: 'Ca', productName: 'Product a' },
  level: 'low',
  episode: { id: 'a:10', startedAt: 10, peak: 'low' },
  available: 50,
  previousAvailable: undefined,
  threshold: 100,
  channel: undefined,
  forecast: undefined,
});

const alertRow = (key: string, group = 'g1'): OutboxRow & { kind: 'product-alerts' } => ({
  kind: 'product-alerts',
  key,
  group,
  destination: { notifier: 'slack', target: 'C1' },
  event: alertEvent(key),
  createdAt: 10,
});

const row = (key: string, group = 'g1'): OutboxRow => alertRow(key, group);

/** `count` alerts k0000, k0001, … each in its own group, to the Slack channel `channelOf(i)`. */
const longOutbox = (count: number, channelOf: (i: number) => string) =>
  Array.from({ length: count }, (_, i) => ({
    ...alertRow(`k${String(i).padStart(4, '0')}`, `g${i}`),
    destination: { notifier: 'slack', target: channelOf(i) },
  }));

describe.each(['sqlite', 'postgres'] as const)('store on %s', (kind) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function open(): Promise<{ store: Store; url: string }> {
    const db = await freshDatabaseUrl(kind);
    const store = openStore(db.url);
    await store.migrate();
    cleanups.push(db.drop, () => store.close());
    return { store, url: db.url };
  }

  it('migrates idempotently, also from two connections at once', async () => {
    const { store, url } = await open();
    const other = openStore(url);
    cleanups.push(() => other.close());
    await Promise.all([store.migrate(), other.migrate()]);
    const sql = openDatabase(url);
    cleanups.push(() => sql.close());
    expect(await sql.all('SELECT version FROM schema_migrations ORDER BY version')).toEqual([
      { version: 1 },
      { version: 2 },
      { version: 3 },
      { version: 4 },
      { version: 5 },
      { version: 6 },
    ]);
  });

  it('claims a long outbox whole, in order, each row once, and holds back only what queues behind a retry', async () => {
    // The first poll of a 20,000-product catalogue queues ~5,000 alerts (migration 6's reason).
    const { store } = await open();
    const rows = longOutbox(2_000, (i) => (i % 10 === 0 ? 'C2' : 'C1'));
    await store.outbox.enqueue(rows);
    const first = await store.outbox.claim('h', 1_000, 60_000);
    expect(first.map((r) => r.key)).toEqual(rows.map((r) => r.key));
    // k0000 (to C2) must wait for a retry: the other C2 rows queue behind it, the C1 rows do not.
    await store.outbox.release(['k0000'], 'rate limited', 5_000, 'h');
    await store.outbox.release(
      rows.slice(1).map((r) => r.key),
      'not sent',
      0,
      'h',
    );
    const second = await store.outbox.claim('h', 2_000, 60_000);
    expect(second.map((r) => r.key)).toEqual(rows.filter((r) => r.destination.target === 'C1').map((r) => r.key));
  });

  it('gives each row to one of two processes claiming a long outbox at once, with the attempt counted once', async () => {
    // Two replicas (two connections to one database) claim 1,500 due rows at the same moment.
    const { store, url } = await open();
    const other = openStore(url);
    cleanups.push(() => other.close());
    const rows = longOutbox(1_500, (i) => `C${i % 7}`);
    await store.outbox.enqueue(rows);
    const [mine, theirs] = await Promise.all([
      store.outbox.claim('a', 1_000, 60_000),
      other.outbox.claim('b', 1_000, 60_000),
    ]);
    const keys = [...mine, ...theirs].map((r) => r.key).sort();
    expect(keys).toEqual(rows.map((r) => r.key));
    expect([...mine, ...theirs].every((r) => r.attempts === 1 && !r.recovered)).toBe(true);
    const listed = await store.outbox.list();
    expect(listed.every((r) => r.status === 'sending' && r.attempts === 1)).toBe(true);
    // Each claim is recorded for the process that got the row, and for no other.
    for (const [claimed, holder, otherHolder] of [
      [mine, 'a', 'b'],
      [theirs, 'b', 'a'],
    ] as const) {
      const key = claimed[0]?.key;
      if (key === undefined) continue;
      expect(await store.outbox.renewClaim([key], otherHolder, 1_000, 1_500)).toBe(false);
      expect(await store.outbox.renewClaim([key], holder, 1_000, 1_500)).toBe(true);
    }
  });

  it('round-trips engine state, and commits a poll atomically', async () => {
    const { store } = await open();
    const next: EngineState = {
      products: new Map([
        ['a', product('a', { pending: { level: 'critical', count: 1 } })],
        ['b', product('b')],
      ]),
      consecutiveFailures: 0,
      unreachableOpen: false,
      failingSince: undefined,
    };
    await store.commitPoll({
      previous: initialEngineState(),
      next,
      outbox: [row('k1'), row('k2')],
      readings: [{ productId: 'a', available: 50 }],
      at: 1000,
      pruneBefore: 0,
    });
    const loaded = await store.engine.load();
    expect(loaded.products).toEqual(next.products);
    expect(loaded.products.get('b')?.mutedUntil).toBeUndefined();
    const removed: EngineState = {
      ...next,
      products: new Map([['a', next.products.get('a') as ProductAlertState]]),
      consecutiveFailures: 2,
      failingSince: 900,
      suspect: { since: 1900, polls: 2, listed: 0, previous: 2 },
    };
    await store.commitPoll({ previous: next, next: removed, outbox: [], readings: [], at: 2000, pruneBefore: 0 });
    const again = await store.engine.load();
    expect([...again.products.keys()]).toEqual(['a']);
    expect(again).toMatchObject({
      consecutiveFailures: 2,
      failingSince: 900,
      suspect: { since: 1900, polls: 2, listed: 0, previous: 2 },
    });
  });

  it('tells when the oldest row still waiting for delivery was recorded', async () => {
    const { store } = await open();
    expect(await store.outbox.oldestWaitingAt()).toBeUndefined();
    const empty = initialEngineState();
    const rows = [
      { ...row('old'), createdAt: 5 },
      { ...row('new'), createdAt: 50 },
    ];
    await store.commitPoll({ previous: empty, next: empty, outbox: rows, readings: [], at: 1, pruneBefore: 0 });
    expect(await store.outbox.oldestWaitingAt()).toBe(5);
    await store.outbox.claim('A', 100, 60_000); // claimed rows still wait
    expect(await store.outbox.oldestWaitingAt()).toBe(5);
    await store.outbox.markPosted(['old'], 'ref');
    expect(await store.outbox.oldestWaitingAt()).toBe(50);
    await store.outbox.markDead(['new'], 'gone');
    expect(await store.outbox.oldestWaitingAt()).toBeUndefined();
  });

  it('tells each notifier’s rows per status and its oldest waiting row apart', async () => {
    const { store } = await open();
    expect(await store.outbox.byNotifier()).toEqual({});
    const empty = initialEngineState();
    const pd = (key: string, createdAt: number): OutboxRow => ({
      ...row(key),
      createdAt,
      destination: { notifier: 'pagerduty', target: '' },
    });
    const rows = [
      { ...row('s-old', 'g1'), createdAt: 5 },
      { ...row('s-other-channel', 'g2'), createdAt: 7, destination: { notifier: 'slack', target: 'C2' } },
      pd('p-old', 3),
      pd('p-new', 30),
    ];
    await store.commitPoll({ previous: empty, next: empty, outbox: rows, readings: [], at: 1, pruneBefore: 0 });
    await store.outbox.markPosted(['s-old'], 'ref');
    await store.outbox.markDead(['p-old'], 'PagerDuty 400: invalid event');
    expect(await store.outbox.byNotifier()).toEqual({
      slack: { counts: { posted: 1, pending: 1 }, oldestWaitingAt: 7 },
      pagerduty: { counts: { dead: 1, pending: 1 }, oldestWaitingAt: 30 },
    });
    await store.outbox.markPosted(['s-other-channel'], 'ref');
    expect((await store.outbox.byNotifier()).slack).toEqual({ counts: { posted: 2 }, oldestWaitingAt: undefined });
  });

  it('records each outbox key once, and lets only one claimer take a row', async () => {
    const { store, url } = await open();
    const other = openStore(url);
    cleanups.push(() => other.close());
    const empty = initialEngineState();
    await store.commitPoll({
      previous: empty,
      next: empty,
      outbox: [row('k1'), row('k2'), row('k3')],
      readings: [],
      at: 1,
      pruneBefore: 0,
    });
    await store.commitPoll({ previous: empty, next: empty, outbox: [row('k1')], readings: [], at: 2, pruneBefore: 0 });
    expect(await store.outbox.counts()).toEqual({ pending: 3 });
    const [a, b] = await Promise.all([store.outbox.claim('A', 100, 60_000), other.outbox.claim('B', 100, 60_000)]);
    expect([...a, ...b].map((r) => r.key).sort()).toEqual(['k1', 'k2', 'k3']);
    expect(await store.outbox.claim('C', 101, 60_000)).toEqual([]);
    await store.outbox.markPosted(['k1'], '123.4');
    await store.outbox.release(['k2'], 'rate limited');
    const retried = await store.outbox.claim('C', 102, 60_000);
    expect(retried.map((r) => [r.key, r.recovered, r.attempts])).toEqual([['k2', false, 2]]);
    const abandoned = await store.outbox.claim('D', 100 + 60_001, 60_000);
    expect(abandoned.map((r) => [r.key, r.recovered])).toEqual([['k3', true]]);
  });

  it('changes only rows still claimed by the caller and still sending', async () => {
    const { store } = await open();
    const empty = initialEngineState();
    const outbox = [row('k1'), row('k2'), row('k3')];
    await store.commitPoll({ previous: empty, next: empty, outbox, readings: [], at: 1, pruneBefore: 0 });
    await store.outbox.claim('A', 100, 60_000);
    await store.outbox.markPosted(['k1'], 'ref-1', 'A');
    // A stale claim taken over by B: A's late release or failure must not touch B's rows.
    const takenOver = await store.outbox.claim('B', 100 + 60_001, 60_000);
    expect(takenOver.map((r) => r.key)).toEqual(['k2', 'k3']);
    await store.outbox.release(['k1', 'k2'], 'late failure', 0, 'A');
    await store.outbox.markDead(['k3'], 'late refusal', 'A');
    const byKey = new Map((await store.outbox.list()).map((r) => [r.key, r.status]));
    expect(Object.fromEntries(byKey)).toEqual({ k1: 'posted', k2: 'sending', k3: 'sending' });
    await store.outbox.release(['k2'], 'retry', 0, 'B');
    expect((await store.outbox.list()).find((r) => r.key === 'k2')?.status).toBe('pending');
  });

  it('fences claims: a renewal works only for the holder and token of the current claim', async () => {
    const { store } = await open();
    const empty = initialEngineState();
    await store.commitPoll({ previous: empty, next: empty, outbox: [row('k1')], readings: [], at: 1, pruneBefore: 0 });
    const [claimed] = await store.outbox.claim('A', 100, 60_000);
    expect(claimed?.claimedAt).toBe(100);
    expect(await store.outbox.renewClaim(['k1'], 'A', 100, 50_000)).toBe(true);
    // Renewed at 50 000: not stale at 100 + 60 001 any more, so B takes nothing.
    expect(await store.outbox.claim('B', 100 + 60_001, 60_000)).toEqual([]);
    expect(await store.outbox.renewClaim(['k1'], 'A', 100, 50_001)).toBe(false); // an old token
    expect(await store.outbox.renewClaim(['k1'], 'B', 50_000, 50_001)).toBe(false); // not B's
    // A stops renewing; B takes over once the claim is stale; A's renewal then fails for good.
    const [takenOver] = await store.outbox.claim('B', 50_000 + 60_001, 60_000);
    expect(takenOver).toMatchObject({ key: 'k1', recovered: true, claimedAt: 110_001 });
    expect(await store.outbox.renewClaim(['k1'], 'A', 50_000, 110_002)).toBe(false);
    await store.outbox.markPosted(['k1'], 'ref', 'B');
    expect(await store.outbox.renewClaim(['k1'], 'B', 110_001, 110_003)).toBe(false); // posted: nothing to renew
  });

  it('keeps history per product, oldest first, and prunes old readings', async () => {
    const { store } = await open();
    expect(await store.history.isEmpty()).toBe(true);
    const empty = initialEngineState();
    for (const [at, available] of [
      [1000, 90],
      [2000, 80],
      [3000, 70],
    ] as const) {
      await store.commitPoll({
        previous: empty,
        next: empty,
        outbox: [],
        readings: [{ productId: 'a', available }],
        at,
        pruneBefore: 1500,
      });
    }
    expect(await store.history.since(0)).toEqual(
      new Map([
        [
          'a',
          [
            { at: 2000, available: 80 },
            { at: 3000, available: 70 },
          ],
        ],
      ]),
    );
    expect(await store.history.isEmpty()).toBe(false);
    expect(await store.history.inRanges([])).toEqual(new Map());
    expect(await store.history.inRanges([{ from: 2500, to: Number.POSITIVE_INFINITY }])).toEqual(
      new Map([['a', [{ at: 3000, available: 70 }]]]),
    );
    // From included, to excluded; readings in any of the ranges, in time order, once each.
    expect(
      await store.history.inRanges([
        { from: 3000, to: 3001 },
        { from: 1000, to: 2000 },
        { from: 1999, to: 3000 },
      ]),
    ).toEqual(
      new Map([
        [
          'a',
          [
            { at: 2000, available: 80 },
            { at: 3000, available: 70 },
          ],
        ],
      ]),
    );
    expect(await store.history.inRanges([{ from: 2001, to: 3000 }])).toEqual(new Map());
    expect(await store.history.forProduct('a', 2500)).toEqual([{ at: 3000, available: 70 }]);
    expect(await store.history.forProduct('b', 0)).toEqual([]);
    await store.history.recordMany([
      { productId: 'b', at: 500, available: 9 },
      { productId: 'b', at: 400, available: 10 },
    ]);
    expect(await store.history.forProduct('b', 0)).toEqual([
      { at: 400, available: 10 },
      { at: 500, available: 9 },
    ]);
  });

  it('stores threshold overrides with an audit trail of old and new values', async () => {
    const { store } = await open();
    await store.rules.setOverride('nnzbxxe1x', { low: 300, critical: 50 }, 'U1', 10);
    await store.rules.setOverride('NNZBXXE1X', { low: 400, critical: 60 }, 'U2', 20);
    expect(await store.rules.overrides()).toEqual([
      { match: 'NNZBXXE1X', low: 400, critical: 60, updatedBy: 'U2', updatedAt: 20 },
    ]);
    const audit = await store.rules.recentAudit(10);
    expect(audit[0]).toEqual({
      at: 20,
      actor: 'U2',
      action: 'threshold.set',
      target: 'NNZBXXE1X',
      oldValue: { low: 300, critical: 50 },
      newValue: { low: 400, critical: 60 },
    });
    expect(audit[1]?.oldValue).toBeNull();
  });

  it('updates one product state in place (snooze / acknowledge)', async () => {
    const { store } = await open();
    const next: EngineState = { ...initialEngineState(), products: new Map([['a', product('a')]]) };
    await store.commitPoll({ previous: initialEngineState(), next, outbox: [], readings: [], at: 1, pruneBefore: 0 });
    await store.engine.updateProduct('a', (s) => ({ ...s, acknowledged: true, mutedUntil: 99 }), 2);
    expect((await store.engine.load()).products.get('a')).toMatchObject({ acknowledged: true, mutedUntil: 99 });
    expect(await store.engine.updateProduct('missing', (s) => s, 3)).toBeUndefined();
  });

  it('gives the poller lease to one holder until it expires or is released', async () => {
    const { store, url } = await open();
    const other = openStore(url);
    cleanups.push(() => other.close());
    const [a, b] = await Promise.all([
      store.lease.tryTake('poller', 'A', 1000, 0),
      other.lease.tryTake('poller', 'B', 1000, 0),
    ]);
    expect([a, b].filter(Boolean)).toHaveLength(1);
    const winner = a ? 'A' : 'B';
    const loser = a ? 'B' : 'A';
    expect(await store.lease.tryTake('poller', winner, 1000, 500)).toBe(true);
    expect(await store.lease.tryTake('poller', loser, 1000, 1000)).toBe(false);
    expect(await store.lease.tryTake('poller', loser, 1000, 1501)).toBe(true);
    await store.lease.release('poller', loser);
    expect(await store.lease.tryTake('poller', winner, 1000, 1502)).toBe(true);
  });
  it('rolls back every aggregate together when one step of a transaction fails', async () => {
    const { store } = await open();
    const next: EngineState = { ...initialEngineState(), products: new Map([['a', product('a')]]) };
    await expect(
      store.transaction(async (tx) => {
        await tx.engine.save(initialEngineState(), next, 1);
        await tx.outbox.enqueue([row('k1')]);
        await tx.rules.audit({ at: 1, actor: 'U1', action: 'acknowledge', target: 'Ca', oldValue: null, newValue: 1 });
        throw new Error('send failed before commit');
      }),
    ).rejects.toThrow('send failed before commit');
    expect((await store.engine.load()).products.size).toBe(0);
    expect(await store.outbox.counts()).toEqual({});
    expect(await store.rules.recentAudit(5)).toEqual([]);
  });

  it('returns typed rows per kind and destination, waits for the retry time, and keeps failures', async () => {
    const { store } = await open();
    const pagerduty = { ...row('k1@pd'), destination: { notifier: 'pagerduty', target: '' } };
    const ack: OutboxRow = {
      kind: 'acknowledgement',
      key: 'ack1',
      group: 'ack1',
      destination: { notifier: 'slack', target: 'C1' },
      handling: {
        action: 'acknowledged',
        product: { productId: 'a', productCode: 'Ca', productName: 'Product a' },
        actor: 'U1',
        at: 5,
        episode: undefined,
        snoozeMs: undefined,
      },
      createdAt: 11,
    };
    await store.outbox.enqueue([row('k1'), pagerduty, ack]);
    const claimed = await store.outbox.claim('A', 100, 60_000);
    expect(claimed.map((r) => [r.kind, r.destination.notifier])).toEqual([
      ['product-alerts', 'slack'],
      ['product-alerts', 'pagerduty'],
      ['acknowledgement', 'slack'],
    ]);
    expect(claimed[0]?.kind === 'product-alerts' ? claimed[0].event : undefined).toEqual(alertEvent('k1'));
    expect(claimed[2]).toMatchObject({ handling: ack.kind === 'acknowledgement' ? ack.handling : undefined });
    await store.outbox.release(['k1@pd'], 'HTTP 429', 5_000);
    expect(await store.outbox.claim('A', 4_999, 60_000)).toEqual([]);
    expect((await store.outbox.claim('A', 5_000, 60_000)).map((r) => r.key)).toEqual(['k1@pd']);
    await store.outbox.markDead(['k1@pd'], 'PagerDuty: Event object is invalid');
    expect((await store.outbox.list()).find((r) => r.key === 'k1@pd')).toMatchObject({
      status: 'dead',
      lastError: 'PagerDuty: Event object is invalid',
    });
  });

  it('keeps an alert’s attribution, and attribution rows, through the outbox', async () => {
    const { store } = await open();
    const attribution = {
      year: 2025,
      month: 7,
      top: [
        { customer: 'Acme, Inc.', units: 40 },
        { customer: null, units: 3 },
      ],
      others: undefined,
      total: 43,
    };
    const late: OutboxRow = {
      kind: 'attribution',
      key: 'att1',
      group: 'att1',
      destination: { notifier: 'slack', target: 'C1' },
      product: { productId: 'a', productCode: 'Ca', productName: 'Product a' },
      episode: { id: 'a:10', startedAt: 10, peak: 'low' },
      attribution: { ...attribution, others: { customers: 2, units: 5 } },
      createdAt: 12,
    };
    const attributed: OutboxRow = { ...alertRow('k1'), attribution };
    await store.outbox.enqueue([attributed, row('k2'), late]);
    const claimed = await store.outbox.claim('A', 100, 60_000);
    expect(claimed.map((r) => r.kind)).toEqual(['product-alerts', 'product-alerts', 'attribution']);
    expect(claimed[0]).toMatchObject({ event: alertEvent('k1'), attribution });
    expect(claimed[1]?.kind === 'product-alerts' ? claimed[1].attribution : 'x').toBeUndefined();
    expect(claimed[2]).toMatchObject({
      product: late.kind === 'attribution' ? late.product : {},
      attribution: { others: { customers: 2, units: 5 } },
    });
  });

  it('marks a row it cannot read as dead instead of handing it out', async () => {
    const { store, url } = await open();
    const sql = openDatabase(url);
    cleanups.push(() => sql.close());
    await sql.run(
      "INSERT INTO outbox (key, kind, destination, grp, body, created_at) VALUES ('x', 'telegram', 'slack:C1', 'g', '{}', 1)",
    );
    expect(await store.outbox.claim('A', 100, 60_000)).toEqual([]);
    expect(await store.outbox.counts()).toEqual({ dead: 1 });
  });

  it('keeps dead letters until re-queued, with fresh attempts', async () => {
    const { store } = await open();
    await store.outbox.enqueue([row('k1'), row('k2', 'g2')]);
    await store.outbox.claim('A', 100, 60_000);
    await store.outbox.markDead(['k1'], 'Slack: channel_not_found');
    await store.outbox.markPosted(['k2'], '{}');
    expect(await store.outbox.counts()).toEqual({ dead: 1, posted: 1 });
    expect((await store.outbox.list(['dead'])).map((r) => [r.key, r.lastError, r.attempts])).toEqual([
      ['k1', 'Slack: channel_not_found', 1],
    ]);
    expect(await store.outbox.claim('A', 200, 60_000)).toEqual([]);
    expect(await store.outbox.requeueDead()).toEqual(['k1']);
    expect((await store.outbox.claim('A', 300, 60_000)).map((r) => [r.key, r.attempts])).toEqual([['k1', 1]]);
  });

  it('hands a destination its rows in order: a later row waits while an earlier one waits to retry', async () => {
    const { store } = await open();
    await store.outbox.enqueue([
      { ...row('k1', 'g1'), createdAt: 1 },
      { ...row('k2', 'g2'), createdAt: 2 },
    ]);
    const [first, second] = await store.outbox.claim('A', 100, 60_000);
    expect([first?.key, second?.key]).toEqual(['k1', 'k2']);
    await store.outbox.release(['k1'], 'Slack: ratelimited', 2_000);
    await store.outbox.defer(['k2'], 2_000);
    expect(await store.outbox.claim('A', 1_999, 60_000)).toEqual([]);
    // k2's deferral did not count as an attempt; k1 goes first.
    expect((await store.outbox.claim('A', 2_000, 60_000)).map((r) => [r.key, r.attempts])).toEqual([
      ['k1', 2],
      ['k2', 1],
    ]);
  });

  it('finds a delivered group by the reference of the message it became', async () => {
    const { store } = await open();
    const destination = { notifier: 'slack', target: 'C1' };
    await store.outbox.recordPosted({ destination, group: 'old', ref: '{"ts":"1.1"}', content: { alerts: [1] } }, [
      'a',
    ]);
    await store.outbox.recordPosted({ destination, group: 'new', ref: '{"ts":"2.2"}', content: { alerts: [2] } }, [
      'a',
    ]);
    expect((await store.outbox.postedFor('slack', 'a'))?.group).toBe('new');
    expect((await store.outbox.postedByRef('slack', '{"ts":"1.1"}'))?.group).toBe('old');
    expect(await store.outbox.postedByRef('pagerduty', '{"ts":"1.1"}')).toBeUndefined();
  });

  it('remembers what a notifier delivered about a product, and its updated content', async () => {
    const { store } = await open();
    const destination = { notifier: 'slack', target: 'C1' };
    await store.outbox.recordPosted({ destination, group: 'g1|0', ref: '{"ts":"1.2"}', content: { alerts: [1] } }, [
      'a',
    ]);
    await store.outbox.updatePostedContent(destination, 'g1|0', { alerts: [2] });
    expect(await store.outbox.postedFor('slack', 'a')).toEqual({
      destination,
      group: 'g1|0',
      ref: '{"ts":"1.2"}',
      content: { alerts: [2] },
    });
    expect(await store.outbox.postedFor('pagerduty', 'a')).toBeUndefined();
  });

  it('reads levels stored as "warning" (version 3) as "low": state, outbox, posted groups, overrides, audit', async () => {
    const db = await freshDatabaseUrl(kind);
    const sql = openDatabase(db.url);
    cleanups.push(db.drop, () => sql.close());
    await migrate(sql, 3);
    const legacy = (text: string) => text.replaceAll('"low"', '"warning"');
    const state = product('a', {
      pending: { level: 'critical', count: 1 },
      episode: { id: 'a:1', startedAt: 1, peak: 'low' },
      productName: 'Says :"warning" in its name',
    });
    await sql.run("INSERT INTO product_state (product_id, state, updated_at) VALUES ('a', ?, 1)", [
      legacy(JSON.stringify(state)),
    ]);
    await sql.run(
      "INSERT INTO outbox (key, kind, destination, grp, body, created_at) VALUES ('alert:a:warning:10', 'product-alerts', 'slack:C1', 'g1', ?, 10)",
      [legacy(JSON.stringify(alertEvent('alert:a:warning:10')))],
    );
    await sql.run("INSERT INTO posted_delivery (destination, grp, ref, content) VALUES ('slack:C1', 'g0', '{}', ?)", [
      legacy(JSON.stringify({ alerts: [{ level: 'low', episode: { peak: 'low' } }] })),
    ]);
    await sql.run(
      "INSERT INTO threshold_override (match, warning, critical, updated_by, updated_at) VALUES ('CA', 300, 50, 'U1', 5)",
    );
    await sql.run(
      `INSERT INTO audit_log (at, actor, action, target, old_value, new_value)
       VALUES (5, 'U1', 'threshold.set', 'CA', '{"warning":200,"critical":40}', '{"warning":300,"critical":50}')`,
    );

    const store = openStore(db.url);
    cleanups.push(() => store.close());
    expect(await store.migrate()).toBe(3);
    expect((await store.engine.load()).products.get('a')).toEqual(state);
    const [alert] = await store.outbox.list();
    expect(alert).toMatchObject({ key: 'alert:a:warning:10', event: { level: 'low', episode: { peak: 'low' } } });
    expect((await store.outbox.postedByRef('slack', '{}'))?.content).toEqual({
      alerts: [{ level: 'low', episode: { peak: 'low' } }],
    });
    expect(await store.rules.overrides()).toEqual([
      { match: 'CA', low: 300, critical: 50, updatedBy: 'U1', updatedAt: 5 },
    ]);
    expect((await store.rules.recentAudit(1))[0]).toMatchObject({
      oldValue: { low: 200, critical: 40 },
      newValue: { low: 300, critical: 50 },
    });
  });

  it('upgrades version-2 failed rows to dead letters', async () => {
    const db = await freshDatabaseUrl(kind);
    const sql = openDatabase(db.url);
    cleanups.push(db.drop, () => sql.close());
    await migrate(sql, 2);
    await sql.run(
      "INSERT INTO outbox (key, kind, destination, grp, body, created_at, status, last_error) VALUES ('k1', 'product-alerts', 'slack:C1', 'g1', ?, 10, 'failed', 'Slack: not_in_channel')",
      [JSON.stringify(alertEvent('k1'))],
    );
    const store = openStore(db.url);
    cleanups.push(() => store.close());
    expect(await store.migrate()).toBe(4);
    expect((await store.outbox.list()).map((r) => [r.key, r.status, r.lastError])).toEqual([
      ['k1', 'dead', 'Slack: not_in_channel'],
    ]);
  });

  it('upgrades a version-1 database: outbox kinds, Slack references, posted messages and open episodes', async () => {
    const db = await freshDatabaseUrl(kind);
    const sql = openDatabase(db.url);
    cleanups.push(db.drop, () => sql.close());
    await migrate(sql, 1);
    const legacyEvent = JSON.stringify(alertEvent('alert:a:warning:10'));
    await sql.run(
      `INSERT INTO outbox (key, grp, channel, event, created_at, status, posted_ts) VALUES
       ('alert:a:warning:10', 'poll:10', 'C1', ?, 10, 'posted', '111.1'),
       ('resolved:a:ok:20', 'resolve:resolved:a:ok:20', 'C1', ?, 20, 'pending', NULL),
       ('lmpi-unreachable:5', 'lmpi:lmpi-unreachable:5', 'C1', ?, 30, 'pending', NULL)`,
      [
        legacyEvent,
        JSON.stringify({ ...alertEvent('resolved:a:ok:20'), kind: 'resolved', level: 'ok' }),
        JSON.stringify({ kind: 'lmpi-unreachable', key: 'lmpi-unreachable:5', at: 30, failures: 3, since: 5 }),
      ],
    );
    await sql.run(
      "INSERT INTO posted_message (grp, channel, ts, payload) VALUES ('poll:10|C1|0', 'C1', '111.1', '{}')",
    );
    await sql.run("INSERT INTO alert_message (product_id, grp) VALUES ('a', 'poll:10|C1|0')");
    const { episode: _none, ...legacyState } = product('a', { level: 'critical', since: 7 });
    await sql.run("INSERT INTO product_state (product_id, state, updated_at) VALUES ('a', ?, 1)", [
      JSON.stringify(legacyState),
    ]);

    const store = openStore(db.url);
    cleanups.push(() => store.close());
    expect(await store.migrate()).toBe(5);
    const rows = await store.outbox.list();
    expect(rows.map((r) => [r.kind, r.destination, r.status, r.ref])).toEqual([
      ['product-alerts', { notifier: 'slack', target: 'C1' }, 'posted', '{"channel":"C1","ts":"111.1"}'],
      ['resolution', { notifier: 'slack', target: 'C1' }, 'pending', undefined],
      ['lmpi-notice', { notifier: 'slack', target: 'C1' }, 'pending', undefined],
    ]);
    expect((await store.outbox.claim('A', 100, 60_000)).map((r) => r.kind)).toEqual(['resolution', 'lmpi-notice']);
    expect(await store.outbox.postedFor('slack', 'a')).toEqual({
      destination: { notifier: 'slack', target: 'C1' },
      group: 'poll:10|C1|0',
      ref: '{"channel":"C1","ts":"111.1"}',
      content: undefined,
    });
    expect((await store.engine.load()).products.get('a')?.episode).toEqual({
      id: 'a:7',
      startedAt: 7,
      peak: 'critical',
    });
  });
});

describe('the claim query', () => {
  it('on SQLite, looks up what waits behind a retry in the outbox_waiting index, not by a scan per row', async () => {
    const db = await freshDatabaseUrl('sqlite');
    const sql = openDatabase(db.url);
    try {
      await migrate(sql);
      const plan = (await sql.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${CLAIMABLE_ROWS}`, [1, 1, 1])).map(
        (step) => step.detail,
      );
      expect(
        plan.some((step) => /^SEARCH earlier USING (COVERING )?INDEX outbox_waiting \(destination=/.test(step)),
      ).toBe(true);
      expect(plan.filter((step) => step.includes('earlier') && !step.includes('outbox_waiting'))).toEqual([]);
    } finally {
      await sql.close();
      await db.drop();
    }
  });

  it('on PostgreSQL, waits for a row another process is claiming, then leaves it to that process', async () => {
    // Two claims at once behave as one after the other: this one waits at k1, which the other
    // process holds, instead of skipping it (SKIP LOCKED would hand it k2 and k3 at once, splitting
    // one claim's rows between two processes).
    const db = await freshDatabaseUrl('postgres');
    const store = openStore(db.url);
    const other = openDatabase(db.url);
    const watcher = openDatabase(db.url);
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    try {
      await store.migrate();
      await store.outbox.enqueue(
        ['k1', 'k2', 'k3'].map((key, i) => ({ ...alertRow(key, `g${i}`), createdAt: 10 + i })),
      );
      let locked = (_pid: number) => {};
      const isLocked = new Promise<number>((resolve) => {
        locked = resolve;
      });
      // The other process is claiming k1 right now: its transaction holds the row and marked it.
      const otherClaim = other.transaction(async (tx) => {
        const [backend] = await tx.all<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        await tx.all('SELECT key FROM outbox WHERE key = ? FOR UPDATE', ['k1']);
        await tx.run("UPDATE outbox SET status = 'sending', claimed_by = 'other', claimed_at = ? WHERE key = ?", [
          1_000,
          'k1',
        ]);
        locked(Number(backend?.pid));
        await held;
      });
      const otherPid = await Promise.race([isLocked, otherClaim.then(() => Number.NaN)]);
      const claim = store.outbox.claim('h', 1_000, 60_000);
      // Either the claim ends, or PostgreSQL shows a session blocked by the other process's locks.
      let settled = false;
      const waitingForLock = async (): Promise<'waiting' | 'stopped'> => {
        while (!settled) {
          const [row] = await watcher.all<{ n: string | number }>(
            'SELECT count(*) AS n FROM pg_stat_activity WHERE ? = ANY (pg_blocking_pids(pid))',
            [otherPid],
          );
          if (Number(row?.n) > 0) return 'waiting';
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        return 'stopped';
      };
      const meanwhile = await Promise.race([claim.then(() => 'claimed' as const), waitingForLock()]);
      settled = true; // a claim that did not wait leaves no watcher polling a closed connection
      release();
      await otherClaim;
      expect(meanwhile).toBe('waiting');
      expect((await claim).map((r) => r.key)).toEqual(['k2', 'k3']);
      expect((await store.outbox.list()).map((r) => [r.key, r.status, r.attempts])).toEqual([
        ['k1', 'sending', 0],
        ['k2', 'sending', 1],
        ['k3', 'sending', 1],
      ]);
    } finally {
      release();
      await store.close();
      await other.close();
      await watcher.close();
      await db.drop();
    }
  });

  it('on PostgreSQL, has the same index', async () => {
    const db = await freshDatabaseUrl('postgres');
    const sql = openDatabase(db.url);
    try {
      await migrate(sql);
      const indexes = await sql.all<{ indexdef: string }>(
        "SELECT indexdef FROM pg_indexes WHERE indexname = 'outbox_waiting' AND schemaname = current_schema()",
      );
      expect(indexes.map((index) => index.indexdef.replace(/^.* USING btree /, ''))).toEqual([
        "(destination, next_attempt_at) WHERE (status = 'pending'::text)",
      ]);
    } finally {
      await sql.close();
      await db.drop();
    }
  });
});
