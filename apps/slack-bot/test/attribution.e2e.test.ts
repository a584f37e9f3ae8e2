import type { StoredProduct } from '@licensewatch/lmpi-sandbox';
import { afterEach, describe, expect, it } from 'vitest';
import { healthyCatalogue } from './catalogues.js';
import { type Harness, posts, startHarness, text } from './harness.js';

// Who drained it: alerts name the customers the sandbox recorded for a drop; /licenses <code> and
// /licenses usage read LMPI's transaction and customer summary reports.

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** What mrkdwn shows for a name: `&`, `<`, `>` escaped (as JSON.stringify writes `"` inside blocks). */
const shown = (name: string) =>
  JSON.stringify(name.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')).slice(1, -1);

/** Net units per customer of one product this month, as the sandbox recorded them. */
function recorded(h: Harness, product: string): Map<string, number> {
  const now = new Date();
  const net = new Map<string, number>();
  for (const t of h.sandbox.controls.transactions({
    product,
    year: now.getUTCFullYear(),
    month: now.getUTCMonth() + 1,
  })) {
    net.set(t.customer.name, (net.get(t.customer.name) ?? 0) + t.changeUnits);
  }
  return net;
}

/** Most units first: the top three and the rest as the alert names them. */
function expectedParts(net: Map<string, number>): { top: string[]; others: string } {
  const sorted = [...net].filter(([, units]) => units > 0).sort((a, b) => b[1] - a[1]);
  const rest = sorted.slice(3);
  const restUnits = rest.reduce((sum, [, units]) => sum + units, 0);
  return {
    top: sorted.slice(0, 3).map(([name, units]) => `${shown(name)} +${units}`),
    others: rest.length ? `${rest.length} other${rest.length === 1 ? '' : 's'} +${restUnits}` : '',
  };
}

async function start(catalogue: StoredProduct[] = healthyCatalogue()): Promise<Harness> {
  harness = await startHarness({ sandbox: { catalogue } });
  await harness.bot.poller.poll(); // baseline: every pool healthy
  return harness;
}

describe('alerts name who drained the pool (sandbox transactions → poller → Slack)', () => {
  it('names the customers the sandbox recorded for the drop, with their units', async () => {
    const h = await start();
    h.sandbox.controls.setAvailable('TESTP0XXX', 80); // 420 licenses went to customers
    await h.bot.poller.poll();
    const net = recorded(h, 'TESTP0XXX');
    expect([...net.values()].reduce((a, b) => a + b, 0)).toBe(420);
    const { top, others } = expectedParts(net);
    const [alert] = posts(h);
    expect(alert?.payload.text).toBe('Low: Test Product A');
    const body = text(alert);
    expect(body).toContain('this month: ');
    for (const part of top) expect(body).toContain(part);
    if (others) expect(body).toContain(others);
    expect(alert?.violations).toEqual([]);
    // Once per episode: the critical crossing of the same episode does not ask LMPI again.
    const reports = h.sandbox.countRequests('/LMPI/v2/reports/transactions');
    h.sandbox.controls.setAvailable('TESTP0XXX', 10);
    await h.bot.poller.poll();
    // One message per episode: the escalation edits the alert (who drained it stays) and replies in its thread.
    expect(posts(h).map((m) => [m.payload.text, m.payload.thread_ts])).toEqual([
      ['Low: Test Product A', undefined],
      [expect.stringContaining('is now *Critical*'), alert?.ts],
    ]);
    const edited = h.slack.messages.filter((m) => m.kind === 'chat.update' && m.ts === alert?.ts).at(-1);
    expect(text(edited)).toContain('*10* available (critical at ≤ 20)');
    expect(text(edited)).toContain('this month: ');
    expect(h.sandbox.countRequests('/LMPI/v2/reports/transactions')).toBe(reports);
  });

  it('posts the alert without waiting for a slow report, then adds who drained it in the thread', async () => {
    const h = await start();
    h.sandbox.controls.setAvailable('TESTP0XXX', 80);
    // The poll's product list answers at once; the transaction report after it takes 4 s (> 1.5 s).
    h.sandbox.controls.injectFault({ kind: 'latency', latencyMs: 1 });
    h.sandbox.controls.injectFault({ kind: 'latency', latencyMs: 4_000 });
    await h.bot.poller.poll();
    const [alert] = posts(h);
    expect(alert?.payload.text).toBe('Low: Test Product A');
    expect(text(alert)).not.toContain('this month:');
    expect(posts(h)).toHaveLength(1); // the report has not answered yet

    const reply = await h.slack.waitFor(
      (m) => m.kind === 'chat.postMessage' && m.payload.thread_ts === alert?.ts && text(m).includes('this month:'),
      15_000,
    );
    const { top } = expectedParts(recorded(h, 'TESTP0XXX'));
    for (const part of top) expect(JSON.stringify(reply.payload.text)).toContain(part); // a text-only reply
    await h.slack.waitFor((m) => m.kind === 'chat.update' && text(m).includes('this month:'));
    // The alert and its follow-up, each delivered once (the follow-up is marked posted just after the edit).
    let counts = await h.bot.store.outbox.counts();
    for (let i = 0; i < 100 && counts.posted !== 2; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      counts = await h.bot.store.outbox.counts();
    }
    expect(counts).toEqual({ posted: 2 });
  });
});

describe('/licenses <code> and /licenses usage (LMPI reports)', () => {
  const lastMonth = () => {
    const now = new Date();
    return Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 10, 12);
  };

  it('shows who took a product’s licenses this month and last month', async () => {
    const h = await start();
    h.sandbox.controls.seedTransactions([
      { at: lastMonth(), customer: 'Acme, Inc.', product: 'TESTP1XXX', changeUnits: 7 },
      { at: lastMonth(), customer: 'Smith Plumbing', product: 'TESTP1XXX', changeUnits: 3 },
    ]);
    h.sandbox.controls.setAvailable('TESTP1XXX', 450);
    const reply = await (await h.slash('testp1xxx')).reply();
    const body = text(reply);
    expect(body).toContain('Who took its licenses');
    const { top } = expectedParts(recorded(h, 'TESTP1XXX'));
    for (const part of top) expect(body).toContain(part);
    expect(body).toContain('(last month): Acme, Inc. +7, Smith Plumbing +3');
    expect(reply.violations).toEqual([]);
    // A name filter that is not exactly one code lists products, without the report.
    expect(text(await (await h.slash('test product')).reply())).not.toContain('Who took its licenses');
  });

  it('pages last month’s customer summary, filters by customer, and totals each product', async () => {
    const catalogue = healthyCatalogue();
    catalogue[2] = { ...(catalogue[2] as StoredProduct), type: 'Software' }; // reports no usage
    const h = await start(catalogue);
    const customers = ['Müller & Söhne GmbH', 'Acme, Inc.', 'Café "Le Rendez-vous" SARL', "O'Connor & Partners LLP"];
    const customers2 = ['株式会社サンプル商事', 'Ærø Tandlæger ApS', 'Smith Plumbing'];
    const seeds = [...customers, ...customers2].flatMap((customer, i) =>
      ['TESTP0XXX', 'TESTP1XXX', 'TESTP2XXX'].map((product, j) => ({
        at: lastMonth(),
        customer,
        product,
        changeUnits: 10 + i + j,
      })),
    );
    h.sandbox.controls.seedTransactions(seeds); // 21 rows: two pages

    const first = await (await h.slash('usage')).reply();
    expect(first.violations).toEqual([]);
    const month = new Intl.DateTimeFormat('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
      lastMonth(),
    );
    expect(first.payload.text).toBe(`Usage: ${month} (21 rows)`);
    expect(text(first)).toContain('summarise the previous month');
    expect(text(first)).toContain('page 1 of 2');
    const next = ((first.payload.blocks ?? []) as { elements?: { action_id: string; value: string }[] }[])
      .flatMap((b) => b.elements ?? [])
      .find((e) => e.action_id === 'licenses_page_next');
    if (!next) throw new Error('no Next button');
    const clicked = await h.click(next);
    const second = await clicked.reply();
    expect(text(second)).toContain('page 2 of 2');
    expect(second.violations).toEqual([]);

    const filtered = await (await h.slash('usage MULLER')).reply();
    const body = text(filtered);
    expect(filtered.payload.text).toBe(`Usage: ${month} (3 rows)`);
    expect(body).toContain(shown('Müller & Söhne GmbH'));
    expect(body).not.toContain('Acme');
    // Müller got 10, 11 and 12 units of products A, B and C: each total is that product's sum.
    expect(body).toContain('*Test Product A*: total provisioned *10*');
    expect(body).toContain('*Test Product C*: total provisioned *12* · no customer reports usage');
    expect(body).toContain('used: _not reported_');
    expect(body).not.toMatch(/Test Product C[^•]*• [^\n]*used \*0\*/);
  });

  it('explains a role LMPI refuses (Reseller) in /licenses usage, as for products', async () => {
    harness = await startHarness({ sandbox: { catalogue: healthyCatalogue() }, lmpiRole: 'reseller' });
    const usage = await (await harness.slash('usage')).reply();
    expect(usage.payload.text).toMatch(
      /^Could not get the usage report for .+: this LMPI role may not list products\.$/,
    );
    expect(text(usage)).toContain('Use Distributor, ISP or MSP credentials');
    expect(text(usage)).not.toContain('provisioned');
  });
});
