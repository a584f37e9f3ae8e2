import type { DatabaseHealth, Store } from '@licensewatch/store';
import { describe, expect, it } from 'vitest';
import { CatalogueCache } from './catalogue-cache.js';
import { type HealthSources, healthReport, readiness } from './health.js';
import { OpsState } from './ops/ops-state.js';

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
  it('names the database when it does not answer in time', async () => {
    const result = await readiness(sources({ outbox: { counts: () => new Promise(() => undefined) } }));
    expect(result).toMatchObject({ ready: false, failing: ['database'] });
    expect(result.checks.database?.detail).toContain('no answer within 50 ms');
    const hung = await readiness(sources({ ping: () => new Promise(() => undefined) }));
    expect(hung.failing).toEqual(['database']);
    expect(hung.checks.database?.detail).toContain('ETIMEDOUT');
  });

  it('names the database when the store reports it down, with the driver code', async () => {
    const down: DatabaseHealth = {
      status: 'down',
      dialect: 'postgres',
      since: 5,
      error: { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:5432' },
    };
    const s = sources({ ping: async () => down });
    const result = await readiness(s);
    expect(result).toMatchObject({ ready: false, failing: ['database'] });
    expect(result.checks.database?.detail).toContain('ECONNREFUSED');
    const report = await healthReport(s);
    expect(report).toMatchObject({ ready: false, database: { status: 'down', error: { code: 'ECONNREFUSED' } } });
  });

  it('names Slack while Socket Mode is not connected', async () => {
    const s = sources({ modes: { slack: 'socket', lmpi: 'remote' } });
    s.ops.socketConnected = false;
    expect(await readiness(s)).toMatchObject({ ready: false, failing: ['slack'] });
    s.ops.socketConnected = true;
    expect(await readiness(s)).toMatchObject({ ready: true, failing: [] });
  });

  it('counts both failed and dead outbox rows as undeliverable alerts', async () => {
    const result = await readiness(sources({ outbox: { counts: async () => ({ failed: 1, dead: 2, posted: 5 }) } }));
    expect(result.failing).toEqual(['alerts']);
    expect(result.checks.alerts?.detail).toContain('3 alert(s)');
  });

  it('accepts a follower tick as a successful poll and fails once the last one is 3 intervals old', async () => {
    let clock = 1_000_000;
    const s = sources({ ops: new OpsState(() => clock) });
    s.ops.recordPoll({ at: clock, durationMs: 5, outcome: 'follower' });
    clock += 3 * 60_000 - 1;
    expect((await readiness(s)).ready).toBe(true);
    clock += 1;
    expect(await readiness(s)).toMatchObject({ ready: false, failing: ['poll'] });
  });
});

describe('healthReport', () => {
  it('reports a bot that has not asked LMPI yet as starting, without asking it', async () => {
    const report = await healthReport(sources());
    expect(report).toMatchObject({ status: 'starting', ready: true, lmpi: { reachable: null, dataAgeSeconds: null } });
  });
});
