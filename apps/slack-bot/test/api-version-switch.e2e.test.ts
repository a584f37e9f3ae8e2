import { randomUUID } from 'node:crypto';
import { createSandbox, type StoredProduct, VISION_ONE_MARKER } from '@licensewatch/lmpi-sandbox';
import { type SlackStandIn, startSlackStandIn } from '@licensewatch/slack-stand-in';
import { openStore, type Store } from '@licensewatch/store';
import { freshDatabaseUrl } from '@licensewatch/store/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { MANIFEST_PATH } from '../src/manifest-path.js';
import { slackSignatureHeaders, slashCommandBody } from '../src/slack-signature.js';
import { healthyCatalogue } from './catalogues.js';
import { ALERTS_CHANNEL, assertNoAppErrors, COMMAND_CHANNEL } from './harness.js';
import { type BotProcess, botEnv, spawnBot, until } from './processes.js';

// Moving a running deployment from LMPI v2 to v3: the real bot process is stopped and started
// again on the same database with LMPI_API_VERSION=v3. Products keep their ids across versions,
// so history, Slack-set rules, mutes and open alert episodes carry over: nothing is re-raised,
// nothing is lost.

let cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

const SIGNING_SECRET = 'process-test-signing-secret';
/** Test Product A (TESTP0XXX): the same id in v2 and v3. */
const PRODUCT_A = '00000000-aaaa-4bbb-8ccc-000000000000';

/** The test catalogue plus a Trend Vision One pool, whose plans only v3 lists. */
function catalogue(): StoredProduct[] {
  return [
    ...healthyCatalogue(3),
    {
      product_id: '00000009-aaaa-4bbb-8ccc-000000000009',
      product_code: 'TESTV1XXX',
      product_name: 'Trend Vision One Test Pool',
      type: 'SaaS',
      version: 'Full',
      available: 500,
      service_plans: [{ name: 'Trend Vision One Full 12 months', id: randomUUID(), [VISION_ONE_MARKER]: true }],
    },
  ];
}

async function slash(bot: BotProcess, slack: SlackStandIn, text: string): Promise<void> {
  const body = slashCommandBody({ text, response_url: slack.responseUrl(randomUUID()), user_id: 'UADMIN' });
  const response = await fetch(`http://127.0.0.1:${bot.port}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...slackSignatureHeaders(SIGNING_SECRET, body) },
    body,
  });
  expect(response.status).toBe(200);
}

const alertMessages = (slack: SlackStandIn) =>
  slack.messages.filter(
    (m) => (m.kind === 'chat.postMessage' || m.kind === 'chat.update') && m.target === ALERTS_CHANNEL.id,
  );

async function stateOf(store: Store, code: string) {
  const state = await store.engine.load();
  return [...state.products.values()].find((p) => p.productCode === code);
}

describe('switching a running deployment from LMPI v2 to v3', () => {
  it('keeps history, rules, mutes and open episodes: no alert re-raised or lost', { timeout: 90_000 }, async () => {
    const slack = await startSlackStandIn({
      manifest: MANIFEST_PATH,
      botToken: 'xoxb-process-test',
      channels: [ALERTS_CHANNEL, COMMAND_CHANNEL],
    });
    const sandbox = await createSandbox({ catalogue: catalogue() });
    const db = await freshDatabaseUrl('sqlite');
    const store = openStore(db.url);
    cleanups.push(
      () => assertNoAppErrors(slack),
      () => slack.close(),
      () => sandbox.close(),
      db.drop,
      () => store.close(),
    );
    const env = botEnv(slack, sandbox, db.url, { POLL_INTERVAL: '200ms', ADMIN_USER_IDS: 'UADMIN' });
    const productPolls = (version: string) => sandbox.countRequests(`/LMPI/${version}/partners/product`);

    // --- v2: an open critical episode, a Slack-set rule with its own open episode, a mute.
    const v2 = await spawnBot(env);
    cleanups.push(() => v2.child.kill('SIGKILL'));
    await until(() => productPolls('v2') >= 2, 10_000, 'the v2 bot to poll');
    await slash(v2, slack, 'threshold TESTP1XXX 300 50');
    await slash(v2, slack, 'mute TESTV1XXX 1d');
    await until(async () => (await store.rules.overrides()).some((o) => o.match === 'TESTP1XXX'), 10_000, 'the rule');
    await until(async () => (await stateOf(store, 'TESTV1XXX'))?.mutedUntil !== undefined, 10_000, 'the mute');
    // One change per poll: changes seen in the same poll are posted as one digest.
    const posts = () => alertMessages(slack).filter((m) => m.kind === 'chat.postMessage');
    sandbox.controls.setAvailable('TESTP0XXX', 10); // critical by the default levels
    await until(() => posts().length >= 1, 15_000, 'the critical alert');
    sandbox.controls.setAvailable('TESTP1XXX', 250); // low only by the Slack-set rule (300)
    await until(() => posts().length >= 2, 15_000, 'the low alert');
    sandbox.controls.setAvailable('TESTV1XXX', 5); // critical, but muted
    const polled = productPolls('v2');
    await until(() => productPolls('v2') >= polled + 3, 10_000, 'three more v2 polls');
    expect(posts().map((m) => m.payload.text)).toEqual(['Critical: Test Product A', 'Low: Test Product B']);
    const episodes = {
      p0: (await stateOf(store, 'TESTP0XXX'))?.episode,
      p1: (await stateOf(store, 'TESTP1XXX'))?.episode,
    };
    expect(episodes.p0).toBeDefined();
    expect(episodes.p1).toBeDefined();
    const mutedUntil = (await stateOf(store, 'TESTV1XXX'))?.mutedUntil;
    const historyBefore = (await store.history.forProduct(PRODUCT_A, 0)).length;
    expect(historyBefore).toBeGreaterThanOrEqual(3);

    v2.child.kill('SIGTERM');
    await v2.exited;
    const before = alertMessages(slack).map((m) => [m.kind, m.payload.text]);

    // --- v3: same database, LMPI_API_VERSION=v3.
    const requestsBefore = sandbox.requests.length;
    const v3 = await spawnBot({ ...env, LMPI_API_VERSION: 'v3' });
    cleanups.push(() => v3.child.kill('SIGKILL'));
    await until(() => productPolls('v3') >= 5, 15_000, 'five v3 polls');
    expect(v3.output()).toContain(`LMPI: ${sandbox.url} · LMPI API v3 (LMPI_API_VERSION)`);
    expect(v2.output()).not.toContain('LMPI API v3');
    await new Promise((resolve) => setTimeout(resolve, 300)); // let any (wrong) delivery happen

    expect(alertMessages(slack).map((m) => [m.kind, m.payload.text])).toEqual(before); // nothing re-raised
    expect((await stateOf(store, 'TESTP0XXX'))?.episode).toEqual(episodes.p0);
    expect((await stateOf(store, 'TESTP1XXX'))?.episode).toEqual(episodes.p1); // the rule still holds it low
    expect((await stateOf(store, 'TESTV1XXX'))?.mutedUntil).toBe(mutedUntil);
    expect((await store.rules.overrides()).map((o) => o.match)).toEqual(['TESTP1XXX']);
    const history = await store.history.forProduct(PRODUCT_A, 0);
    expect(history.length).toBeGreaterThan(historyBefore); // one series, continued
    const after = sandbox.requests.slice(requestsBefore);
    expect(after.every((r) => r.path.startsWith('/LMPI/v3/') && r.status === 200)).toBe(true);

    // Nothing lost: the open episode from v2 resolves under v3, in the thread of its first message.
    sandbox.controls.setAvailable('TESTP0XXX', 500);
    await until(
      () => alertMessages(slack).some((m) => /recovered/.test(String(m.payload.text))),
      10_000,
      'the resolution',
    );
    const first = slack.messages.find(
      (m) => m.kind === 'chat.postMessage' && m.payload.text === 'Critical: Test Product A',
    );
    const resolution = alertMessages(slack).find((m) => /recovered/.test(String(m.payload.text)));
    expect(resolution?.payload.thread_ts).toBe(first?.ts);
  });
});
