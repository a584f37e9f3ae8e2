import type { DatabaseHealth, Store } from '@licensewatch/store';
import { describe, expect, it } from 'vitest';
import { CatalogueCache } from '../catalogue-cache.js';
import { type HealthSources, healthReport, readiness } from './health.js';
import { OpsState } from './ops-state.js';

const UP: DatabaseHealth = { status: 'up', dialect: 'sqlite', since: 0, error: undefined };

function sources(
  patch: Partial<HealthSources> & { outbox?: Partial<Store['outbox']>; ping?: () => Promise<DatabaseHealth> } = {},
): HealthSources {
  const outbox = {
    counts: async () => ({ posted: 2 }),
    oldestWaitingAt: async () => undefined,
    ...patch.outbox,
  } as Store['outbox'];
  const cache = new CatalogueCache({ ttlMs: 1_000, fetch: () => Promise.reject(new Error('never asked')) });
  return {
    cache,
    store: { outbox, ping: patch.ping ?? (async () => UP), health: () => UP },
    ops: new OpsState(() => 1_000_000),
    modes: { slack: 'http', lmpi: 'remote' },
    pollIntervalMs: 60_000,
    databaseTimeoutMs: 50,
    ...patch,
  };
}

describe('readiness', () => {
  it('is not ready until start-up is done, and no longer once the process is stopping', async () => {
    const s = sources();
    s.ops.phase = 'starting';
    expect(readiness(s)).toMatchObject({ ready: false, failing: ['startup'] });
    s.ops.phase = 'listening';
    expect(readiness(s).checks.startup?.detail).toContain('start-up not finished');
    s.ops.phase = 'serving';
    expect(readiness(s)).toMatchObject({ ready: true, failing: [] });
    s.ops.phase = 'stopping';
    expect(readiness(s)).toMatchObject({ ready: false, failing: ['startup'] });
  });

  it('names Slack while Socket Mode is not connected', async () => {
    const s = sources({ modes: { slack: 'socket', lmpi: 'remote' } });
    s.ops.phase = 'serving';
    s.ops.socketConnected = false;
    expect(readiness(s)).toMatchObject({ ready: false, failing: ['slack'] });
    s.ops.socketConnected = true;
    expect(readiness(s)).toMatchObject({ ready: true, failing: [] });
  });
});

describe('shared dependencies: reported by /healthz, never by readiness', () => {
  const serving = (patch: Parameters<typeof sources>[0] = {}) => {
    const s = sources(patch);
    s.ops.phase = 'serving';
    return s;
  };

  it('names the database when it does not answer in time, and stays ready', async () => {
    const report = await healthReport(serving({ outbox: { counts: () => new Promise(() => undefined) } }));
    expect(report).toMatchObject({ ready: true, failing: ['database'] });
    expect(report.checks.database?.detail).toContain('no answer within 50 ms');
    const hung = await healthReport(serving({ ping: () => new Promise(() => undefined) }));
    expect(hung).toMatchObject({ ready: true, failing: ['database'] });
    expect(hung.checks.database?.detail).toContain('ETIMEDOUT');
  });

  it('names the database when the store reports it down, with the driver code', async () => {
    const down: DatabaseHealth = {
      status: 'down',
      dialect: 'postgres',
      since: 5,
      error: { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:5432' },
    };
    const s = serving({ ping: async () => down });
    expect(readiness(s).ready).toBe(true);
    const report = await healthReport(s);
    expect(report.checks.database?.detail).toContain('ECONNREFUSED');
    expect(report).toMatchObject({
      ready: true,
      failing: ['database'],
      database: { status: 'down', error: { code: 'ECONNREFUSED' } },
    });
  });

  it('counts dead outbox rows as undeliverable alerts (the old `failed` rows became dead in store migration 3)', async () => {
    const report = await healthReport(serving({ outbox: { counts: async () => ({ dead: 3, posted: 5 }) } }));
    expect(report).toMatchObject({ ready: true, failing: ['alerts'] });
    expect(report.checks.alerts?.detail).toContain('3 alert(s)');
  });

  it('accepts a follower tick as a successful poll and names the poll once the last one is 3 intervals old', async () => {
    let clock = 1_000_000;
    const s = serving({ ops: new OpsState(() => clock) });
    s.ops.phase = 'serving';
    s.ops.recordPoll({ at: clock, durationMs: 5, outcome: 'follower' });
    clock += 3 * 60_000 - 1;
    expect((await healthReport(s)).failing).toEqual([]);
    clock += 1;
    expect(await healthReport(s)).toMatchObject({ ready: true, failing: ['poll'] });
  });
});

describe('healthReport', () => {
  it('reports a bot that has not asked LMPI yet as starting, without asking it', async () => {
    const report = await healthReport(sources());
    expect(report).toMatchObject({ status: 'starting', ready: false, lmpi: { reachable: null, dataAgeSeconds: null } });
  });
});
