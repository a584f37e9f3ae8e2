import { VISION_ONE_PRODUCT_CODE } from '@licensewatch/lmpi-sandbox/fixtures';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, posts, settled, startHarness } from './harness.js';

// Trend Vision One pools through the real bot: LMPI v3 shows their plans in /licenses <code>, v2
// says it leaves them out, and a draining Vision One pool alerts like any other.

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

type Block = { type: string; text?: { text: string } };
const plansSection = (blocks: unknown) =>
  (blocks as Block[]).find((b) => b.type === 'section' && b.text?.text.startsWith('*Service plans*'))?.text?.text ?? '';

describe('/licenses <code> for a Trend Vision One pool', () => {
  it('lists its Vision One plans, with their details, when the bot speaks LMPI v3', async () => {
    harness = await startHarness({ lmpiApiVersion: 'v3' });
    const h = harness;
    await settled(h);
    const reply = await (await h.slash(VISION_ONE_PRODUCT_CODE)).reply(20_000);
    expect(reply.violations).toEqual([]);
    const plans = plansSection(reply.payload.blocks);
    expect(plans.split('\n')[0]).toBe('*Service plans* (3, 3 Trend Vision One)');
    expect(plans).toContain(
      '• Trend Micro Vision One Endpoint Security Standard Full 12 months #1 (Full, 12 months, United States) · _Trend Vision One_',
    );
    expect(plans).not.toContain('LMPI v2 leaves');
    const paths = new Set(h.sandbox.requests.map((r) => r.path));
    expect(paths.has('/LMPI/v3/me/serviceplans')).toBe(true);
    expect([...paths].filter((p) => p.startsWith('/LMPI/v2/'))).toEqual([]);
  });

  it('says LMPI v2 leaves the Vision One plans out instead of showing none silently', async () => {
    harness = await startHarness();
    const h = harness;
    await settled(h);
    const reply = await (await h.slash(VISION_ONE_PRODUCT_CODE)).reply(20_000);
    const plans = plansSection(reply.payload.blocks);
    expect(plans).toContain('*Service plans* (0)');
    expect(plans).toContain('LMPI v2 leaves Trend Vision One plans out: set `LMPI_API_VERSION=v3` to see them.');
  });

  it('still shows the product list’s plans, saying why, when the service plan list fails', async () => {
    harness = await startHarness({ lmpiApiVersion: 'v3' });
    const h = harness;
    await settled(h);
    h.sandbox.controls.injectFault({ kind: 'internal-error', forMs: 60_000 });
    const reply = await (await h.slash(VISION_ONE_PRODUCT_CODE)).reply(30_000);
    const plans = plansSection(reply.payload.blocks);
    expect(plans.split('\n')[0]).toBe('*Service plans* (3, 3 Trend Vision One)');
    expect(plans).toContain(":warning: Plan details unavailable: LMPI's service plan list failed");
    expect(plans).toContain('InternalError');
  });
});

describe('a Trend Vision One pool draining (LMPI v3)', () => {
  it('raises the alert for it like for any pool', async () => {
    harness = await startHarness({ lmpiApiVersion: 'v3' });
    const h = harness;
    await settled(h);
    h.sandbox.controls.setAvailable(VISION_ONE_PRODUCT_CODE, 15);
    await h.bot.poller.poll();
    expect(posts(h).map((m) => m.payload.text)).toContain(
      'Critical: Trend Micro Vision One Endpoint Security Standard',
    );
  });
});
