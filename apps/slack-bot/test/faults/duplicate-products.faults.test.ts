// Fault case 5: LMPI lists one product id twice, first with 0 available. Alerts and /licenses see
// one product (the entry with the most available), and the drift warning names the id.
import { afterEach, describe, expect, it } from 'vitest';
import { healthyCatalogue } from '../catalogues.js';
import { type Harness, posts, productLines, startHarness } from '../harness.js';
import { NONE, reportFault } from './fault-summary.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('fault 5: a duplicated product id', () => {
  it('raises no alert and no resolution, and /licenses shows the product once', async () => {
    const catalogue = healthyCatalogue();
    const h = await startHarness({ sandbox: { catalogue } });
    harness = h;
    await h.bot.poller.poll();
    const [first] = catalogue;
    if (!first) throw new Error('empty catalogue');
    h.sandbox.controls.replaceCatalogue([{ ...first, available: 0 }, ...catalogue]);
    await h.bot.poller.poll();
    await h.bot.poller.poll();
    h.sandbox.controls.replaceCatalogue(catalogue);
    await h.bot.poller.poll();
    h.sandbox.controls.replaceCatalogue([{ ...first, available: 0 }, ...catalogue]);
    await h.bot.poller.poll();

    const reply = await (await h.slash('')).reply();
    const sections = productLines(reply).filter((text) => text.includes(String(first.product_name)));
    const alerts = posts(h);
    const counts = reportFault('duplicate-product-id', {
      crashes: 0,
      lost: 0,
      duplicates: Math.max(0, sections.length - 1),
      false: alerts.length,
    });
    expect(counts).toEqual(NONE);
    expect(sections).toHaveLength(1);
    expect(h.logs.some((l) => l.includes(`product id ${first.product_id} listed more than once`))).toBe(true);
  });
});
