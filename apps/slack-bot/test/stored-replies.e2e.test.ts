import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, settled, startHarness } from './harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function start(): Promise<Harness> {
  harness = await startHarness();
  await settled(harness);
  await harness.bot.cache.refresh();
  return harness;
}

// /licenses answers a repeated query from a reply stored rendered and serialised (issue 25): what the
// user sees must be exactly what a freshly built reply would say, and must change as soon as the data,
// rules or forecasts do.
describe('/licenses replies answered from the stored acknowledgement', () => {
  it('answers the same query with the same message every time, in the acknowledgement', async () => {
    const h = await start();
    const first = await h.slash('low');
    const again = await h.slash('low');
    const other = await h.slash('');
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.body).toBe(first.body);
    expect(JSON.parse(again.body)).toMatchObject({
      response_type: 'ephemeral',
      text: 'Licenses: 64 products, 10 at risk',
    });
    expect(other.body).not.toBe(first.body);
    expect(h.slack.messages.filter((m) => m.kind === 'response')).toEqual([]);
  });

  it('shows new availability after the next poll, not the stored reply', async () => {
    const h = await start();
    const before = JSON.parse((await h.slash('')).body) as { text: string };
    await h.slash('');
    const healthy = h.sandbox.controls.catalogue().find((p) => Number(p.available) > 1_000 && !p.vision_one);
    h.sandbox.controls.setAvailable(healthy?.product_code as string, 0);
    await h.bot.poller.poll();
    const after = JSON.parse((await h.slash('')).body) as { text: string };
    expect(before.text).toBe('Licenses: 64 products, 10 at risk');
    expect(after.text).toBe('Licenses: 64 products, 11 at risk');
  });

  it('still refuses a badly signed or malformed repeat of a stored query', async () => {
    const h = await start();
    expect((await h.slash('low')).status).toBe(200);
    expect((await h.slash('low', { secret: 'wrong-secret' })).status).toBe(401);
    expect((await h.slash('low', { timestamp: Math.floor(Date.now() / 1000) - 600 })).status).toBe(401);
    const malformed = await h.slash('low', { user: 'not a user id' });
    expect(malformed.status).toBe(400);
    expect(malformed.body).not.toContain('Licenses:');
  });
});
