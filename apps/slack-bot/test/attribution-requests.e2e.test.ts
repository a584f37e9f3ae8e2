import type { StoredProduct } from '@licensewatch/lmpi-sandbox';
import type { ReceivedMessage } from '@licensewatch/slack-stand-in';
import { afterEach, describe, expect, it } from 'vitest';
import { ATTRIBUTION_CONCURRENCY } from '../src/alerts/attribution.js';
import { type Harness, startHarness } from './harness.js';

// LMPI is asked as little as the question needs: one transaction report per month per poll for all
// the products that crossed (split by product in the bot), only when a crossing needs it, and never
// more than a few at once. The sandbox counts what it was asked.

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const TRANSACTIONS = '/LMPI/v2/reports/transactions';

const product = (i: number, name = `Pool ${i}`, version = 'Full'): StoredProduct => ({
  product_id: `${String(i).padStart(8, '0')}-aaaa-4bbb-8ccc-000000000000`,
  product_code: `T${String(i).padStart(4, '0')}XXXX`,
  product_name: name,
  type: 'SaaS',
  version,
  available: 500,
  service_plans: [],
});

const code = (i: number) => `T${String(i).padStart(4, '0')}XXXX`;

/** What an alert shows for who drained a product this month, from what the sandbox recorded. */
function expectedLine(h: Harness, productCode: string): string {
  const now = new Date();
  const net = new Map<string, number>();
  for (const t of h.sandbox.controls.transactions({
    product: productCode,
    year: now.getUTCFullYear(),
    month: now.getUTCMonth() + 1,
  })) {
    net.set(t.customer.name, (net.get(t.customer.name) ?? 0) + t.changeUnits);
  }
  const byName = new Intl.Collator('en', { sensitivity: 'base' });
  const sorted = [...net].filter(([, u]) => u > 0).sort((a, b) => b[1] - a[1] || byName.compare(a[0], b[0]));
  const mrkdwn = (name: string) => name.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const parts = sorted.slice(0, 3).map(([name, units]) => `${mrkdwn(name)} +${units}`);
  const rest = sorted.slice(3);
  if (rest.length)
    parts.push(`${rest.length} other${rest.length === 1 ? '' : 's'} +${rest.reduce((s, [, u]) => s + u, 0)}`);
  return `this month: ${parts.join(', ')}`;
}

/** The digest's section text per product id (block id `alert_product:<id>`). */
function sections(messages: readonly ReceivedMessage[]): Map<string, string> {
  const found = new Map<string, string>();
  for (const m of messages) {
    if (m.kind !== 'chat.postMessage' || m.target !== 'CALERTS') continue;
    for (const block of (m.payload.blocks ?? []) as { block_id?: string; text?: { text?: string } }[]) {
      const id = block.block_id?.startsWith('alert_product:') ? block.block_id.slice('alert_product:'.length) : '';
      if (id && block.text?.text) found.set(id, block.text.text);
    }
  }
  return found;
}

/**
 * Most transaction reports in flight at the same moment: a sweep over the sandbox's request log,
 * on its exact (fractional, monotonic) start and end times. A report asked the moment another was
 * answered ends that one first.
 */
function mostAtOnce(h: Harness): number {
  const events = h.sandbox.requests
    .filter((r) => r.path === TRANSACTIONS)
    .flatMap((r) => [
      { at: r.startedMs, change: 1 },
      { at: r.endedMs, change: -1 },
    ])
    .sort((a, b) => a.at - b.at || a.change - b.change);
  let inFlight = 0;
  let most = 0;
  for (const e of events) {
    inFlight += e.change;
    most = Math.max(most, inFlight);
  }
  return most;
}

describe('who drained it: transaction reports asked of LMPI', () => {
  it('asks one report for 400 pools crossing at once in a 1,000-product catalogue, none when nothing crosses', async () => {
    const catalogue = Array.from({ length: 1_000 }, (_, i) => product(i));
    harness = await startHarness({ sandbox: { catalogue } });
    const h = harness;
    await h.bot.poller.poll(); // every pool healthy: no alert, so no report
    expect(h.sandbox.countRequests(TRANSACTIONS)).toBe(0);

    for (let i = 0; i < 400; i += 1) h.sandbox.controls.setAvailable(code(i), i % 2 ? 60 : 15);
    await h.bot.poller.poll();
    expect(h.sandbox.countRequests(TRANSACTIONS)).toBe(1); // was one per product: 400

    // The alerts name each product's own customers, split out of the one report.
    const shown = sections(h.slack.messages);
    expect(shown.size).toBeGreaterThan(0);
    for (const [id, text] of shown) {
      const index = Number(id.slice(0, 8));
      expect(text).toContain(expectedLine(h, code(index)));
    }

    // The next poll: 50 more pools cross, one more report; those already alerted are not asked again.
    for (let i = 400; i < 450; i += 1) h.sandbox.controls.setAvailable(code(i), 60);
    await h.bot.poller.poll();
    expect(h.sandbox.countRequests(TRANSACTIONS)).toBe(2);
    await h.bot.poller.poll(); // nothing new
    expect(h.sandbox.countRequests(TRANSACTIONS)).toBe(2);
  }, 180_000); // delivering 400 alerts at Slack's pace (the stand-in enforces it) takes ~20 s

  it('tells products apart by name, then version; products it cannot tell apart get their own report, a few at a time', async () => {
    const catalogue = [
      product(0, 'Solo Pool'),
      product(1, 'Dual Pool', 'Full'),
      product(2, 'Dual Pool', 'Trial'),
      product(3, 'Twin Pool'),
      product(4, 'Twin Pool'),
      product(5, 'Triplet Pool'),
      product(6, 'Triplet Pool'),
      product(7, 'Triplet Pool'),
    ];
    harness = await startHarness({ sandbox: { catalogue } });
    const h = harness;
    await h.bot.poller.poll();
    for (let i = 0; i < catalogue.length; i += 1) h.sandbox.controls.setAvailable(code(i), 50 + i);
    h.sandbox.controls.injectFault({ kind: 'latency', latencyMs: 100, count: 20 }); // reports overlap
    await h.bot.poller.poll();
    // One report for Solo and both Dual pools (their versions differ); one each for the 5 namesakes.
    expect(h.sandbox.countRequests(TRANSACTIONS)).toBe(1 + 5);
    expect(mostAtOnce(h)).toBe(ATTRIBUTION_CONCURRENCY); // overlapping (the latency), never more
    const shown = sections(h.slack.messages);
    for (let i = 0; i < catalogue.length; i += 1) {
      expect(shown.get(catalogue[i]?.product_id ?? '')).toContain(expectedLine(h, code(i)));
    }
  });
});
