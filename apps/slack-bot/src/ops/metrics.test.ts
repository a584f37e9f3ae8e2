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
    outbox: { byNotifier: async () => ({ slack: { counts: { posted: 1 }, oldestWaitingAt: undefined } }), ...outbox },
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
    const { metrics } = metricsWith({ byNotifier: () => Promise.reject(refused) }, DOWN);
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
    const { metrics } = metricsWith({ byNotifier: () => new Promise(() => undefined) });
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

describe('outbox metrics by notifier', () => {
  it('tells a PagerDuty outage from a Slack one: its own dead and waiting series, Slack’s at 0', async () => {
    const now = Date.now();
    const { metrics } = metricsWith({
      byNotifier: async () => ({
        slack: { counts: { posted: 12 }, oldestWaitingAt: undefined },
        pagerduty: { counts: { pending: 2, dead: 3 }, oldestWaitingAt: now - 600_000 },
      }),
    });
    const text = await metrics.registry.metrics();
    const value = (pattern: RegExp) => Number(line(text, pattern)?.split(' ').at(-1));
    expect(value(/^licensewatch_outbox_rows\{notifier="pagerduty",status="dead"\} /)).toBe(3);
    expect(value(/^licensewatch_outbox_rows\{notifier="pagerduty",status="pending"\} /)).toBe(2);
    expect(value(/^licensewatch_outbox_rows\{notifier="slack",status="dead"\} /)).toBe(0);
    expect(value(/^licensewatch_outbox_rows\{notifier="slack",status="posted"\} /)).toBe(12);
    expect(value(/^licensewatch_outbox_oldest_pending_age_seconds\{notifier="pagerduty"\} /)).toBeGreaterThanOrEqual(
      600,
    );
    expect(value(/^licensewatch_outbox_oldest_pending_age_seconds\{notifier="slack"\} /)).toBe(0);
    expect(text).not.toMatch(/status="failed"/);
    expect(lint(text)).toEqual([]);
  });

  it('shows a configured notifier at 0 before its first row', async () => {
    const cache = new CatalogueCache({ ttlMs: 1_000, fetch: () => Promise.reject(new Error('LMPI unreachable')) });
    const metrics = createMetrics({
      cache,
      store: { outbox: { byNotifier: async () => ({}) }, health: () => UP } as unknown as Pick<
        Store,
        'outbox' | 'health'
      >,
      levelsFor: () => ruleResolver(DEFAULT_THRESHOLDS),
      now: Date.now,
      notifiers: ['slack', 'pagerduty'],
    });
    const text = await metrics.registry.metrics();
    expect(line(text, /^licensewatch_outbox_rows\{notifier="pagerduty",status="dead"\} /)).toMatch(/ 0$/);
    expect(line(text, /^licensewatch_outbox_oldest_pending_age_seconds\{notifier="slack"\} /)).toMatch(/ 0$/);
    expect(line(text, /^licensewatch_outbox_deliveries_total\{notifier="pagerduty",outcome="retried"\} /)).toMatch(
      / 0$/,
    );
  });

  it('counts delivery attempts by notifier and outcome', async () => {
    const { metrics } = metricsWith({});
    metrics.delivery('pagerduty', 'retried');
    metrics.delivery('pagerduty', 'retried');
    metrics.delivery('slack', 'delivered');
    const text = await metrics.registry.metrics();
    expect(line(text, /^licensewatch_outbox_deliveries_total\{notifier="pagerduty",outcome="retried"\} /)).toMatch(
      / 2$/,
    );
    expect(line(text, /^licensewatch_outbox_deliveries_total\{notifier="slack",outcome="delivered"\} /)).toMatch(/ 1$/);
    expect(line(text, /^licensewatch_outbox_deliveries_total\{notifier="slack",outcome="retried"\} /)).toMatch(/ 0$/);
    expect(lint(text)).toEqual([]);
  });
});
