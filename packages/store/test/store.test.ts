import { type EngineState, initialEngineState, type ProductAlertState } from '@licensewatch/alerts';
import { afterEach, describe, expect, it } from 'vitest';
import { AlertStore, type OutboxRow } from '../src/alert-store.js';
import { openDatabase } from '../src/sql.js';
import { freshDatabaseUrl } from '../src/testing.js';

const product = (id: string, patch: Partial<ProductAlertState> = {}): ProductAlertState => ({
  productId: id,
  productCode: `C${id}`,
  productName: `Product ${id}`,
  level: 'warning',
  pending: undefined,
  available: 50,
  since: 1,
  alertOpen: true,
  acknowledged: false,
  lastNotifiedAt: 1,
  mutedUntil: undefined,
  forecastAlerted: false,
  ...patch,
});

const row = (key: string, group = 'g1'): OutboxRow => ({
  key,
  group,
  channel: 'C1',
  event: { kind: 'alert', key },
  createdAt: 10,
});

describe.each(['sqlite', 'postgres'] as const)('AlertStore on %s', (kind) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function open(): Promise<{ store: AlertStore; url: string }> {
    const db = await freshDatabaseUrl(kind);
    const store = new AlertStore(openDatabase(db.url));
    await store.migrate();
    cleanups.push(db.drop, () => store.close());
    return { store, url: db.url };
  }

  it('migrates idempotently, also from two connections at once', async () => {
    const { store, url } = await open();
    const other = new AlertStore(openDatabase(url));
    cleanups.push(() => other.close());
    await Promise.all([store.migrate(), other.migrate()]);
    expect(await store.sql.all('SELECT version FROM schema_migrations')).toEqual([{ version: 1 }]);
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
    const loaded = await store.loadEngineState();
    expect(loaded.products).toEqual(next.products);
    expect(loaded.products.get('b')?.mutedUntil).toBeUndefined();
    const removed: EngineState = {
      ...next,
      products: new Map([['a', next.products.get('a') as ProductAlertState]]),
      consecutiveFailures: 2,
      failingSince: 900,
    };
    await store.commitPoll({ previous: next, next: removed, outbox: [], readings: [], at: 2000, pruneBefore: 0 });
    const again = await store.loadEngineState();
    expect([...again.products.keys()]).toEqual(['a']);
    expect(again).toMatchObject({ consecutiveFailures: 2, failingSince: 900 });
  });

  it('records each outbox key once, and lets only one claimer take a row', async () => {
    const { store, url } = await open();
    const other = new AlertStore(openDatabase(url));
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
    expect(await store.outboxCounts()).toEqual({ pending: 3 });
    const [a, b] = await Promise.all([store.claimOutbox('A', 100, 60_000), other.claimOutbox('B', 100, 60_000)]);
    expect([...a, ...b].map((r) => r.key).sort()).toEqual(['k1', 'k2', 'k3']);
    expect(await store.claimOutbox('C', 101, 60_000)).toEqual([]);
    await store.markPosted(['k1'], '123.4');
    await store.releaseFailed(['k2'], 'rate limited');
    const retried = await store.claimOutbox('C', 102, 60_000);
    expect(retried.map((r) => [r.key, r.recovered, r.attempts])).toEqual([['k2', false, 2]]);
    const abandoned = await store.claimOutbox('D', 100 + 60_001, 60_000);
    expect(abandoned.map((r) => [r.key, r.recovered])).toEqual([['k3', true]]);
  });

  it('keeps history per product, oldest first, and prunes old readings', async () => {
    const { store } = await open();
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
    expect(await store.recentHistory(0)).toEqual(
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
  });

  it('stores threshold overrides with an audit trail of old and new values', async () => {
    const { store } = await open();
    await store.setOverride('nnzbxxe1x', { warning: 300, critical: 50 }, 'U1', 10);
    await store.setOverride('NNZBXXE1X', { warning: 400, critical: 60 }, 'U2', 20);
    expect(await store.overrides()).toEqual([
      { match: 'NNZBXXE1X', warning: 400, critical: 60, updatedBy: 'U2', updatedAt: 20 },
    ]);
    const audit = await store.recentAudit(10);
    expect(audit[0]).toEqual({
      at: 20,
      actor: 'U2',
      action: 'threshold.set',
      target: 'NNZBXXE1X',
      oldValue: { warning: 300, critical: 50 },
      newValue: { warning: 400, critical: 60 },
    });
    expect(audit[1]?.oldValue).toBeNull();
  });

  it('updates one product state in place (snooze / acknowledge)', async () => {
    const { store } = await open();
    const next: EngineState = { ...initialEngineState(), products: new Map([['a', product('a')]]) };
    await store.commitPoll({ previous: initialEngineState(), next, outbox: [], readings: [], at: 1, pruneBefore: 0 });
    await store.updateProduct('a', (s) => ({ ...s, acknowledged: true, mutedUntil: 99 }), 2);
    expect((await store.loadEngineState()).products.get('a')).toMatchObject({ acknowledged: true, mutedUntil: 99 });
    expect(await store.updateProduct('missing', (s) => s, 3)).toBeUndefined();
  });

  it('gives the poller lease to one holder until it expires or is released', async () => {
    const { store, url } = await open();
    const other = new AlertStore(openDatabase(url));
    cleanups.push(() => other.close());
    const [a, b] = await Promise.all([store.tryLease('poller', 'A', 1000, 0), other.tryLease('poller', 'B', 1000, 0)]);
    expect([a, b].filter(Boolean)).toHaveLength(1);
    const winner = a ? 'A' : 'B';
    const loser = a ? 'B' : 'A';
    expect(await store.tryLease('poller', winner, 1000, 500)).toBe(true);
    expect(await store.tryLease('poller', loser, 1000, 1000)).toBe(false);
    expect(await store.tryLease('poller', loser, 1000, 1501)).toBe(true);
    await store.releaseLease('poller', loser);
    expect(await store.tryLease('poller', winner, 1000, 1502)).toBe(true);
  });
});
