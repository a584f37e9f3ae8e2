import { afterEach, describe, expect, it } from 'vitest';
import { healthyCatalogue } from './catalogues.js';
import { type Harness, posts, startHarness } from './harness.js';

// A malformed record (LMPI sends a product with available -5) is set aside, reported once per
// product until it changes, and the rest of the poll is used; drift is logged once per change, not
// once per poll.

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const lines = (h: Harness, message: string) =>
  h.logs.map((line) => JSON.parse(line) as { msg: string; [key: string]: unknown }).filter((l) => l.msg === message);

describe('a malformed product in the LMPI product list', () => {
  it('is set aside and reported once, while the rest of the poll alerts as usual', async () => {
    harness = await startHarness({ sandbox: { catalogue: healthyCatalogue() } });
    const h = harness;
    await h.bot.poller.poll(); // baseline: three healthy pools
    // From now on LMPI sends TESTP0XXX (first in the list) with available -5, and an undocumented field.
    h.sandbox.controls.injectFault({
      kind: 'schema-drift',
      drift: ['negative-available', 'extra-field'],
      forMs: 600_000,
    });
    h.sandbox.controls.setAvailable('TESTP1XXX', 50);
    const report = await h.bot.poller.poll();
    expect(report.lmpiOk).toBe(true); // was: the whole poll failed
    expect(report.events.map((e) => [e.kind, 'product' in e ? e.product.productCode : ''])).toEqual([
      ['alert', 'TESTP1XXX'],
    ]); // TESTP0XXX neither alerts nor "vanishes"
    expect(posts(h).map((m) => m.payload.text)).toEqual(['Low: Test Product B']);

    // /licenses lists the readable products and says one is not shown, never "0 available" for it.
    const during = JSON.stringify((await (await h.slash('')).reply()).payload.blocks);
    expect(during).toContain('Test Product B');
    expect(during).not.toContain('Test Product A');
    expect(during).toContain('1 product LMPI sent unreadable not shown (see the bot log)');

    await h.bot.poller.poll();
    await h.bot.poller.poll();
    const setAside = lines(h, 'LMPI sent an unreadable product: set aside, the rest is used');
    expect(setAside).toHaveLength(1); // three polls, one line
    expect(setAside[0]?.setAside).toMatchObject({
      productCode: 'TESTP0XXX',
      problems: [expect.stringContaining('field "available" should be a non-negative integer, got number -5')],
    });
    const drift = lines(h, 'LMPI response drift');
    expect(drift).toHaveLength(1); // one line for the same undocumented field of all three products
    expect(drift[0]?.drift).toMatchObject({ kind: 'unknown-field', field: 'license_region', records: 3 });

    // Readable again: said once, and the product is judged as before (still healthy: no event).
    h.sandbox.controls.clearFaults();
    const back = await h.bot.poller.poll();
    expect(back.events).toEqual([]);
    await h.bot.poller.poll();
    expect(lines(h, 'LMPI record readable again (or no longer sent)')).toHaveLength(1);
    expect(lines(h, 'LMPI response drift gone')).toHaveLength(1);
    expect(lines(h, 'LMPI response drift')).toHaveLength(1);
    const after = JSON.stringify((await (await h.slash('')).reply()).payload.blocks);
    expect(after).toContain('Test Product A');
    expect(after).not.toContain('unreadable');
  });
});
