import { spawnSync } from 'node:child_process';
import { DEFAULT_THRESHOLDS, ruleResolver } from '@licensewatch/alerts';
import type { DatabaseHealth, Store } from '@licensewatch/store';
import { describe, expect, it } from 'vitest';
import { CatalogueCache } from '../catalogue-cache.js';
import { createMetrics } from './metrics.js';

const DOWN: DatabaseHealth = {
  status: 'down',
  dialect: 'postgres',
  since: 1,
  error: { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' },
};
const UP: DatabaseHealth = { status: 'up', dialect: 'postgres', since: 1, error: undefined };

function metricsWith(outbox: Partial<Store['outbox']>, health: DatabaseHealth = UP) {
  const cache = new CatalogueCache({ ttlMs: 1_000, fetch: () => Promise.reject(new Error('LMPI unreachable')) });
  const store = {
    outbox: { counts: async () => ({ posted: 1 }), oldestWaitingAt: async () => undefined, ...outbox },
    health: () => health,
  } as Pick<Store, 'outbox' | 'health'>;
  return {
    cache,
    metrics: createMetrics({
      cache,
      store,
      levelsFor: () => ruleResolver(DEFAULT_THRESHOLDS),
      now: Date.now,
      databaseTimeoutMs: 50,
    }),
  };
}

const line = (text: string, pattern: RegExp) => text.split('\n').find((l) => pattern.test(l));

/** promtool's findings on a scrape, apart from prom-client's own `nodejs_active_*_total` gauges (issue 283). */
function lint(text: string): string[] {
  const run = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  if (run.error) throw new Error(`promtool is needed (Debian: apt-get install prometheus): ${run.error.message}`);
  return `${run.stdout}${run.stderr}`
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^nodejs_active_(handles|requests|resources)_total non-counter/.test(l));
}

describe('metrics while a dependency fails', () => {
  it('still answers when the database is down: database_up 0 and the failing collectors counted', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const { metrics } = metricsWith(
      { counts: () => Promise.reject(refused), oldestWaitingAt: () => Promise.reject(refused) },
      DOWN,
    );
    const text = await metrics.registry.metrics();
    expect(line(text, /^licensewatch_database_up /)).toBe('licensewatch_database_up 0');
    expect(line(text, /^licensewatch_metrics_scrape_errors_total\{collector="outbox_rows"\}/)).toMatch(/ 1$/);
    expect(line(text, /^licensewatch_metrics_scrape_errors_total\{collector="products"\}/)).toMatch(/ 0$/);
    expect(lint(text)).toEqual([]);
    await metrics.registry.metrics();
    expect(
      line(await metrics.registry.metrics(), /^licensewatch_metrics_scrape_errors_total\{collector="outbox_rows"\}/),
    ).toMatch(/ [23]$/);
  });

  it('reports a database that does not answer within the time-out as down instead of hanging the scrape', async () => {
    const { metrics } = metricsWith({ counts: () => new Promise(() => undefined) });
    const text = await metrics.registry.metrics();
    expect(line(text, /^licensewatch_database_up /)).toBe('licensewatch_database_up 0');
  });

  it('says whether LMPI answered: 0 after a failed fetch, 1 once it answers', async () => {
    const { metrics, cache } = metricsWith({});
    await cache.refresh();
    const text = await metrics.registry.metrics();
    expect(line(text, /^licensewatch_lmpi_up /)).toBe('licensewatch_lmpi_up 0');
    expect(line(text, /^licensewatch_database_up /)).toBe('licensewatch_database_up 1');
  });
});
