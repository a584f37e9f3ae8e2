// Interactive input validated at the edge (zod): forged or stale clicks are answered at once, logged
// once at warn with the reason and counted, and never reach a listener or the store.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { healthyCatalogue } from './catalogues.js';
import { type Harness, settled, startHarness } from './harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const logLines = (h: Harness) =>
  h.logs.map((line) => JSON.parse(line) as { level: number; msg: string; reason?: string; err?: { code?: string } });

/** Counts the store calls a click could make (alert buttons write in a transaction; Home reads state). */
function countStoreCalls(h: Harness): () => number {
  let calls = 0;
  const store = h.bot.store as unknown as Record<string, unknown> & {
    engine: Record<string, unknown>;
    rules: Record<string, unknown>;
  };
  const wrap = (target: Record<string, unknown>, name: string) => {
    const original = target[name] as (...args: unknown[]) => unknown;
    target[name] = (...args: unknown[]) => {
      calls += 1;
      return original.apply(target, args);
    };
  };
  wrap(store, 'transaction');
  wrap(store.engine, 'load');
  wrap(store.engine, 'updateProduct');
  wrap(store.rules, 'recentAudit');
  return () => calls;
}

const validClick = (actionId: string, value: unknown) => ({
  type: 'block_actions',
  user: { id: 'ULOCALUSER' },
  team: { id: 'TLOCAL' },
  container: { type: 'message', channel_id: 'CLOCAL', message_ts: '1.2', is_ephemeral: true },
  channel: { id: 'CLOCAL' },
  response_url: 'https://hooks.slack.com/actions/T1/2/x',
  actions: [{ type: 'button', action_id: actionId, block_id: 'b', value, action_ts: '1.3' }],
});

/**
 * Bolt answers a request no listener acknowledged only when its unhandled-request timer fires
 * (3 s): with a 404 and an error-level "not acknowledged" line. An answer of the edge's own (200 for
 * a well-formed click on a button the bot never rendered, 400 for a malformed one) and no such line
 * mean the edge acknowledged before that timer could fire, however slow the machine is.
 */
function answeredByTheEdge(answer: { status: number }, expected: readonly number[], lines: { msg: string }[]) {
  expect(expected).toContain(answer.status);
  expect(lines.filter((l) => l.msg.includes('not acknowledged'))).toEqual([]);
}

async function refusedCount(h: Harness): Promise<Record<string, number>> {
  const metric = await h.bot.ops.metrics.registry.getSingleMetric('licensewatch_slack_requests_refused_total')?.get();
  return Object.fromEntries((metric?.values ?? []).map((v) => [String(v.labels.reason), v.value]));
}

describe('interactive input at the edge (real Bolt, signed requests)', () => {
  it('acknowledges an unknown action id at once, warns once with the reason and counts it', async () => {
    harness = await startHarness();
    const h = harness;
    await settled(h);
    const before = h.logs.length;
    const answer = await h.interact(validClick('alert_delete_everything:0', 'NNZBXXE1X'));
    const lines = logLines(h).slice(before);
    answeredByTheEdge(answer, [200], lines); // Bolt's timer would have answered 404 after 3 s
    expect(lines.filter((l) => l.level >= 40)).toEqual([
      expect.objectContaining({ level: 40, reason: 'unknown_action', msg: 'Slack request refused at the edge' }),
    ]);
    expect(await refusedCount(h)).toEqual({ unknown_action: 1 });
  });

  it('refuses null and mistyped fields with 400 at once: no error log, no store call, every one counted', async () => {
    // No pool is low: no alert delivery touches the store in the background while the clicks arrive.
    harness = await startHarness({ sandbox: { catalogue: healthyCatalogue() } });
    const h = harness;
    await settled(h);
    const storeCalls = countStoreCalls(h);
    const before = h.logs.length;
    // Never a string: any short string could be a valid product code, and then the click is a real one.
    const junk = fc.oneof(
      fc.constant(null),
      fc.integer(),
      fc.boolean(),
      fc.constant({}),
      fc.constant([]),
      fc.constant({ id: null }),
    );
    const field = fc.constantFrom('user', 'actions', 'response_url', 'container', 'type');
    const actionField = fc.constantFrom('action_id', 'value', 'type');
    const actionIds = fc.constantFrom(
      'alert_ack:0',
      'alert_snooze_1d:2',
      'licenses_page_next',
      'chart_share',
      'home_refresh',
    );
    const forged = fc.oneof(
      fc
        .record({ id: actionIds, key: field, junk })
        .map(({ id, key, junk: value }) => ({ ...validClick(id, 'NNZBXXE1X'), [key]: value })),
      fc.record({ id: actionIds, key: actionField, junk }).map(({ id, key, junk: value }) => {
        const click = validClick(id, 'NNZBXXE1X');
        return { ...click, actions: [{ ...click.actions[0], [key]: value }] };
      }),
      fc.record({ junk }).map(({ junk: value }) => validClick('alert_ack:0', value)),
      fc.constant(validClick('licenses_page_next', '{"q":1,"p":"x"}')),
    );
    const samples = fc.sample(forged, { numRuns: 60, seed: 19 });
    let sent = 0;
    for (const payload of samples) {
      const answer = await h.interact(payload);
      answeredByTheEdge(answer, [200, 400], logLines(h).slice(before));
      sent += 1;
    }
    const lines = logLines(h).slice(before);
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
    expect(lines.filter((l) => l.level === 40)).toHaveLength(sent); // once per request
    expect(storeCalls()).toBe(0);
    const counted = Object.values(await refusedCount(h)).reduce((a, b) => a + b, 0);
    expect(counted).toBe(sent);
  });

  it('still lets the buttons the bot rendered through', async () => {
    harness = await startHarness();
    const h = harness;
    await settled(h);
    const clicked = await h.click({ action_id: 'home_refresh', value: 'refresh' }, 'home');
    expect(clicked.status).toBe(200);
    await h.slack.waitFor((m) => m.kind === 'views.publish');
    expect(await refusedCount(h)).toEqual({});
  });
});
