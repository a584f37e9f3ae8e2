// Fault case 4: LMPI answers `{"products": []}` (or far fewer products) for one poll. One notice
// instead of a flood of "no longer listed" lines; /licenses keeps the last good list with a note;
// products coming back continue their episodes (no "first seen" re-alerts).
import { defaultCatalogue } from '@licensewatch/lmpi-sandbox/fixtures';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, posts, productLines, startHarness, text } from '../harness.js';
import { NONE, reportFault } from './fault-summary.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('fault 4: a transient empty or much smaller product list', () => {
  it.each([
    ['empty', 0],
    ['a tenth', 0.1],
  ])(
    '%s for one poll: one notice, no vanished lines, no re-alerts',
    async (name, keep) => {
      const catalogue = defaultCatalogue();
      const h = await startHarness({ sandbox: { catalogue } });
      harness = h;
      await h.bot.poller.poll();
      const baseline = posts(h).length;
      const openBefore = [...(await h.bot.store.engine.load()).products.values()].filter((p) => p.alertOpen).length;

      h.sandbox.controls.replaceCatalogue(catalogue.slice(0, Math.floor(catalogue.length * keep)));
      await h.bot.poller.poll();
      const reply = await (await h.slash('')).reply();
      expect(reply.payload.text).toContain(`${catalogue.length} products`);
      expect(JSON.stringify(reply.payload.blocks)).toContain('LMPI returned a much smaller catalogue');
      expect(productLines(reply).length).toBeGreaterThan(0);

      h.sandbox.controls.replaceCatalogue(catalogue);
      await h.bot.poller.poll();
      await h.bot.poller.poll();

      const later = posts(h).slice(baseline);
      const notices = later.filter((m) => m.payload.text === 'LMPI returned a much smaller catalogue');
      const vanishedLines = later.filter((m) => /no longer listed|vanished/i.test(text(m))).length;
      const reAlerts = later.length - notices.length - vanishedLines;
      const openAfter = [...(await h.bot.store.engine.load()).products.values()].filter((p) => p.alertOpen).length;
      const counts = reportFault(`catalogue-${name}`, {
        crashes: 0,
        lost: Math.max(0, openBefore - openAfter),
        duplicates: reAlerts,
        false: vanishedLines,
      });
      expect(counts).toEqual(NONE);
      expect(notices).toHaveLength(1);
      expect(openBefore).toBeGreaterThan(0);
    },
    30_000,
  );
});
