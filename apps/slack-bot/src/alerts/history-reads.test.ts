import { ConsumptionCache, type HistoryPoint, ruleResolver } from '@licensewatch/alerts';
import type { ProductProfile } from '@licensewatch/schema';
import type { TimeRange } from '@licensewatch/store';
import { describe, expect, it } from 'vitest';
import { FORECAST_WINDOW_MS, poolTrends } from './forecasts.js';
import { HistoryReads } from './history-reads.js';

const MINUTE = 60_000;
const DAY = 86_400_000;
const RETENTION = 30 * DAY;
const ruleFor = ruleResolver({ default: { low: 100, critical: 20 }, products: [] });

const product = (id: string, available: number): ProductProfile => ({
  productId: id,
  productCode: id.toUpperCase(),
  productName: `Product ${id}`,
  type: 'SaaS',
  version: 'Full',
  available,
  servicePlans: [],
});

/** The history store's reads over a list of rows (the SQL itself is tested in the store). */
class RecordedHistory {
  rows: ({ productId: string } & HistoryPoint)[] = [];
  reads: string[] = [];

  async since(since: number): Promise<Map<string, HistoryPoint[]>> {
    this.reads.push('since');
    return this.grouped((at) => at >= since);
  }

  async inRanges(ranges: readonly TimeRange[]): Promise<Map<string, HistoryPoint[]>> {
    this.reads.push('inRanges');
    return this.grouped((at) => ranges.some((range) => at >= range.from && at < range.to));
  }

  private grouped(keep: (at: number) => boolean): Map<string, HistoryPoint[]> {
    const out = new Map<string, HistoryPoint[]>();
    const sorted = [...this.rows].sort((a, b) => a.productId.localeCompare(b.productId) || a.at - b.at);
    for (const row of sorted) {
      if (!keep(row.at)) continue;
      const list = out.get(row.productId) ?? [];
      list.push({ at: row.at, available: row.available });
      out.set(row.productId, list);
    }
    return out;
  }
}

describe('HistoryReads', () => {
  it('gives the same forecasts and sparklines as reading the whole window every poll, reading only what changed', async () => {
    const history = new RecordedHistory();
    const reads = new HistoryReads(RETENTION);
    const cache = new ConsumptionCache();
    const wholeCache = new ConsumptionCache(); // the poller before: the window read every poll
    let seed = 11;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const counts = new Map([
      ['a', 5_000],
      ['b', 800],
      ['c', 40],
    ]);
    let at = Date.UTC(2026, 9, 1, 3, 7);
    for (let poll = 0; poll < 1_400; poll += 1) {
      // Polls 5-60 minutes apart, a two-day outage once, a product listed only from poll 700.
      at += poll === 500 ? 2 * DAY : Math.floor(5 * MINUTE + random() * 55 * MINUTE);
      if (poll === 700) counts.set('d', 3_000);
      for (const [id, count] of counts) {
        const used = random() < 0.4 ? Math.floor(random() * 30) : 0;
        counts.set(id, random() < 0.01 ? count + 2_000 : Math.max(0, count - used));
      }
      const products = [...counts].map(([id, count]) => product(id, count));
      const read = await reads.read(
        history,
        products.map((p) => p.productId),
        at,
      );
      const incremental = poolTrends(products, read.readings, ruleFor, at, 'pessimistic', cache, read.daily);
      const window = await history.since(at - FORECAST_WINDOW_MS);
      const whole = poolTrends(products, window, ruleFor, at, 'pessimistic', wholeCache);
      expect(incremental).toEqual(whole);
      history.rows = history.rows.filter((row) => row.at >= at - RETENTION);
      for (const p of products) history.rows.push({ productId: p.productId, at, available: p.available });
    }
    // Whole reads only at the start, after the outage and when a product appeared (plus the checks).
    const own = history.reads.filter((_, i) => i % 2 === 0);
    expect(own.filter((kind) => kind === 'since')).toHaveLength(3);
    expect(own.filter((kind) => kind === 'inRanges')).toHaveLength(1_397);
  });

  it('forecasts on its first poll after a start what it forecasts once warm, as the CLI does', async () => {
    // Polls 6 hours apart for 40 days, one license gone each, except 40 at once at the first poll
    // inside the 28-day window (at - 28 d + 5 h), a step from the poll just before (at - 28 d - 1 h).
    const HOUR = 60 * MINUTE;
    const at = Date.UTC(2026, 10, 30, 1, 0);
    const history = new RecordedHistory();
    const warmReads = new HistoryReads(RETENTION);
    const warmCache = new ConsumptionCache();
    const poll = async (reads: HistoryReads, cache: ConsumptionCache, when: number, available: number) => {
      const read = await reads.read(history, ['p'], when);
      return poolTrends([product('p', available)], read.readings, ruleFor, when, 'pessimistic', cache, read.daily);
    };
    let available = 2_000;
    for (let k = 160; k >= 0; k -= 1) {
      available -= k === 111 ? 40 : k === 160 ? 0 : 1;
      const when = at - HOUR - k * 6 * HOUR;
      await poll(warmReads, warmCache, when, available);
      history.rows.push({ productId: 'p', at: when, available });
    }
    const warm = await poll(warmReads, warmCache, at, available - 1);
    const restarted = await poll(new HistoryReads(RETENTION), new ConsumptionCache(), at, available - 1);
    expect(restarted).toEqual(warm);
    // The window's steps: the 40, 111 of 1 license in 6 hours, and 1 in the hour to this poll.
    expect(restarted.estimates.get('p')?.perDay).toBeCloseTo((40 + 111 + 1) / ((6 + 111 * 6 + 1) / 24), 9);
  });

  it('reads the whole window again after a reset (a poll that failed half way)', async () => {
    const history = new RecordedHistory();
    const reads = new HistoryReads(RETENTION);
    const at = Date.UTC(2026, 9, 1);
    await reads.read(history, ['a'], at);
    await reads.read(history, ['a'], at + 5 * MINUTE);
    reads.reset();
    await reads.read(history, ['a'], at + 10 * MINUTE);
    expect(history.reads).toEqual(['since', 'inRanges', 'since']);
  });
});
