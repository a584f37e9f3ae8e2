import { afterEach, describe, expect, it } from 'vitest';
import { BOT_TOKEN, buttons, type Harness, productLines, SIGNING_SECRET, settled, startHarness } from './harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function start(options?: Parameters<typeof startHarness>[0]): Promise<Harness> {
  harness = await startHarness(options);
  await settled(harness);
  return harness;
}

describe('/licenses over HTTP (real Bolt, signed requests)', () => {
  it('lists every product, at-risk first, paged, within Block Kit limits', async () => {
    const h = await start();
    const sent = await h.slash('');
    expect(sent.status).toBe(200);
    const reply = await sent.reply();
    expect(reply.violations).toEqual([]);
    expect(reply.payload).toMatchObject({ response_type: 'ephemeral', text: 'Licenses: 64 products, 10 at risk' });
    const lines = productLines(reply);
    expect(lines).toHaveLength(50);
    expect(JSON.stringify(reply.payload.blocks)).toContain('page 1 of 2');
    expect(JSON.stringify(reply.payload.blocks)).toMatch(/as of (just now|\d+ s ago)/);
    expect(JSON.stringify(reply.payload.blocks)).toContain('6c1f8a52-4d1e-4b8e-9a57-2f0d3c9e8b41');
    const firstOk = lines.findIndex((s) => s.startsWith(':large_green_circle:'));
    expect(firstOk).toBe(10);
    expect(lines.slice(0, firstOk).every((s) => /^:(red_circle|large_orange_circle):/.test(s))).toBe(true);
    expect(lines.slice(firstOk).every((s) => s.startsWith(':large_green_circle:'))).toBe(true);
  });

  it('answers in the acknowledgement itself when fresh data is in memory (no second request)', async () => {
    const h = await start();
    await h.bot.cache.refresh();
    const sent = await h.slash('low');
    expect(JSON.parse(sent.body)).toMatchObject({
      response_type: 'ephemeral',
      text: 'Licenses: 64 products, 10 at risk',
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(h.slack.messages.filter((m) => m.kind === 'response')).toEqual([]);
  });

  it('pages forward and back with the buttons, replacing the message', async () => {
    const h = await start();
    const first = await (await h.slash('')).reply();
    const [next] = buttons(first);
    expect(next?.action_id).toBe('licenses_page_next');
    const clicked = await h.click(next ?? { action_id: '', value: '' });
    expect(clicked.status).toBe(200);
    const second = await clicked.reply();
    expect(second.payload.replace_original).toBe(true);
    expect(JSON.stringify(second.payload.blocks)).toContain('page 2 of 2');
    expect(productLines(second)).not.toEqual(productLines(first));
    const previous = buttons(second).find((b) => b.action_id === 'licenses_page_previous');
    const back = await (await h.click(previous ?? { action_id: '', value: '' })).reply();
    expect(productLines(back)).toEqual(productLines(first));
  });

  it('filters by name or code, case-insensitively', async () => {
    const h = await start();
    // Part of a code searches; the exact code opens the product view (product-chart.e2e.test.ts).
    const byCode = await (await h.slash('nnzbxxe1')).reply();
    expect(productLines(byCode)).toHaveLength(1);
    expect(productLines(byCode)[0]).toContain('Worry-Free Business Security Services');
    const byName = await (await h.slash('APEX ONE')).reply();
    expect(productLines(byName).length).toBeGreaterThan(1);
    expect(productLines(byName).every((s) => /apex one/i.test(s))).toBe(true);
    const nothing = await (await h.slash('no such product')).reply();
    expect(JSON.stringify(nothing.payload.blocks)).toContain('No product name or code contains');
  });

  it('shows only products at or below low with "low"', async () => {
    const h = await start();
    const reply = await (await h.slash('low')).reply();
    expect(productLines(reply)).toHaveLength(10);
    expect(productLines(reply).every((line) => !line.startsWith(':large_green_circle:'))).toBe(true);
  });

  it('answers help, and unknown text with the help, never an error', async () => {
    const h = await start();
    const help = await (await h.slash('help')).reply();
    expect(help.payload.text).toBe('How to use /licenses');
    const weird = await (await h.slash('<@U0LAN0Z89> :fire: \u0007')).reply();
    expect(weird.payload.text).toBe('How to use /licenses');
    expect(JSON.stringify(weird.payload.blocks)).toContain('I did not understand');
    expect(JSON.stringify(weird.payload.blocks)).not.toContain('<@U0LAN0Z89>');
  });

  it('handles 5,000 characters of text and echoes it safely', async () => {
    const h = await start();
    const reply = await (await h.slash(`${'<b>&'.repeat(1250)}`)).reply();
    expect(reply.violations).toEqual([]);
    expect(JSON.stringify(reply.payload.blocks)).not.toContain('<b>');
  });

  it('rejects a bad signature and a 10-minute-old timestamp with 401, and answers neither', async () => {
    const h = await start();
    const forged = await h.slash('', { secret: 'not-the-signing-secret' });
    expect(forged.status).toBe(401);
    const old = await h.slash('', { timestamp: Math.floor(Date.now() / 1000) - 600 });
    expect(old.status).toBe(401);
    await expect(forged.reply(500)).rejects.toThrow(/no matching Slack message/);
    await expect(old.reply(100)).rejects.toThrow(/no matching Slack message/);
  });

  it('acknowledges within 3 s while LMPI takes 5 s, and answers afterwards', async () => {
    const h = await start({ cacheTtlMs: 1 });
    h.sandbox.controls.injectFault({ kind: 'latency', latencyMs: 5_000 });
    const started = Date.now();
    const sent = await h.slash('');
    expect(sent.status).toBe(200);
    expect(sent.ackMs).toBeLessThan(3_000);
    expect(sent.body).toBe(''); // acknowledged first; the answer follows through respond()
    const reply = await sent.reply(15_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(4_900);
    expect(productLines(reply)).toHaveLength(50);
  });

  it('answers from the last good data, with its age and the reason, when LMPI fails', async () => {
    const h = await start({ cacheTtlMs: 1 });
    h.sandbox.controls.injectFault({ kind: 'internal-error', forMs: 60_000 });
    const reply = await (await h.slash('')).reply();
    expect(reply.payload.text).toBe('Licenses: 64 products, 10 at risk (stale data)');
    expect(JSON.stringify(reply.payload.blocks)).toContain('LMPI had an internal error: showing data from');
    expect(productLines(reply)).toHaveLength(50);
  });

  it('says why and what to check when there is no data at all', async () => {
    const h = await start({ lmpiSecret: 'wrong-secret' });
    const reply = await (await h.slash('')).reply();
    expect(reply.payload.text).toBe('Could not get license data: LMPI rejected the credentials.');
    expect(JSON.stringify(reply.payload.blocks)).toContain('Check LMPI_ACCESS_TOKEN and LMPI_SECRET_KEY');
    expect(JSON.stringify(reply.payload.blocks)).not.toMatch(/Available|0 products/);
  });

  it('makes one LMPI request for 20 concurrent commands', async () => {
    const h = await start({ cacheTtlMs: 200 });
    await new Promise((resolve) => setTimeout(resolve, 250)); // let the warm data expire
    h.sandbox.controls.injectFault({ kind: 'latency', latencyMs: 400 });
    const before = h.lmpiRequests();
    const sent = await Promise.all(Array.from({ length: 20 }, () => h.slash('')));
    const replies = await Promise.all(sent.map((s) => s.reply()));
    expect(sent.every((s) => s.status === 200)).toBe(true);
    expect(replies.every((r) => productLines(r).length === 50)).toBe(true);
    expect(h.lmpiRequests() - before).toBe(1);
  });

  it('reports LMPI reachability and data age on /healthz', async () => {
    const h = await start();
    const ok = (await (await fetch(`${h.bot.url}/healthz`)).json()) as { lmpi: { dataAgeSeconds: unknown } };
    expect(ok).toMatchObject({ status: 'ok', slackMode: 'http', lmpi: { reachable: true, error: null } });
    expect(typeof ok.lmpi.dataAgeSeconds).toBe('number');
  });

  it('keeps Slack and LMPI secrets out of the logs', async () => {
    const h = await start();
    await (await h.slash('')).reply();
    await h.slash('', { secret: 'nope' });
    const logs = h.logs.join('\n');
    expect(logs).toContain('/licenses answered');
    for (const secret of [SIGNING_SECRET, BOT_TOKEN, h.sandbox.credentials.distributor.secretKey])
      expect(logs).not.toContain(secret);
  });

  it('never fails on arbitrary command text (sampled through the real app)', async () => {
    const h = await start();
    const samples = [
      '',
      ' ',
      'LOW',
      'help me',
      '%%%',
      '\u202e\u202dreverse',
      '日本語',
      'a'.repeat(300),
      '<!here>',
      '<http://evil|click>',
      '`code`',
      '*bold*',
    ];
    const replies = await Promise.all(samples.map(async (text) => (await h.slash(text)).reply()));
    for (const reply of replies) {
      expect(reply.violations).toEqual([]);
      expect(typeof reply.payload.text).toBe('string');
    }
  });
});
