// Fault case 1: the database goes away under a running bot (PostgreSQL stopped and restarted for
// real; SQLite read-only and full). The bot keeps answering /licenses, reports the database in
// /healthz, logs the outage once, and delivers the alert decided after the database is back
// exactly once.
import { randomUUID } from 'node:crypto';
import { createSandbox } from '@licensewatch/lmpi-sandbox';
import { type SlackStandIn, startSlackStandIn } from '@licensewatch/slack-stand-in';
import { freshDatabaseUrl, sqliteDiskFull, sqliteReadOnly } from '@licensewatch/store/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { MANIFEST_PATH } from '../../src/manifest-path.js';
import type { HealthReport } from '../../src/ops/health.js';
import { slackSignatureHeaders, slashCommandBody } from '../../src/slack-signature.js';
import { healthyCatalogue } from '../catalogues.js';
import { ALERTS_CHANNEL, posts as alertPosts, assertNoAppErrors, startHarness } from '../harness.js';
import { spawnBot, until } from '../processes.js';
import { NONE, reportFault } from './fault-summary.js';
import { startPgCluster } from './pg-cluster.js';

const SECRET = 'fault-test-signing-secret';
let cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

/** The channel notices of a database outage (ops/outage-notices.ts): not alerts, counted on their own. */
const DOWN_NOTICE = /cannot use its database/;
const BACK_NOTICE = /can use its database again/;
const isNotice = (text: string) => DOWN_NOTICE.test(text) || BACK_NOTICE.test(text);

/** One notice when the database went away and one when it came back, whatever the number of polls. */
function expectOneNoticeEach(posts: string[], code: RegExp): void {
  const down = posts.filter((t) => DOWN_NOTICE.test(t));
  expect(down).toHaveLength(1);
  expect(down[0]).toMatch(code);
  expect(posts.filter((t) => BACK_NOTICE.test(t))).toHaveLength(1);
}

async function slash(baseUrl: string, slack: SlackStandIn, text: string): Promise<string> {
  const id = randomUUID();
  const body = slashCommandBody({ text, response_url: slack.responseUrl(id) });
  const response = await fetch(`${baseUrl}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...slackSignatureHeaders(SECRET, body) },
    body,
  });
  const ack = await response.text();
  if (ack.includes('"text"')) return ack;
  const reply = await slack.waitFor((m) => m.kind === 'response' && m.target === id, 10_000);
  return JSON.stringify(reply.payload);
}

describe('fault 1: database outages', () => {
  it('survives PostgreSQL stopping and restarting, and posts the alert decided afterwards once', async () => {
    const cluster = await startPgCluster();
    cleanups.push(() => cluster.destroy());
    const slack = await startSlackStandIn({
      manifest: MANIFEST_PATH,
      botToken: 'xoxb-fault-test',
      channels: [ALERTS_CHANNEL],
    });
    const sandbox = await createSandbox({ catalogue: healthyCatalogue() });
    cleanups.push(
      () => assertNoAppErrors(slack),
      () => slack.close(),
      () => sandbox.close(),
    );
    const { accessToken, secretKey } = sandbox.credentials.distributor;
    const bot = await spawnBot({
      SLACK_BOT_TOKEN: 'xoxb-fault-test',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
      LMPI_BASE_URL: sandbox.url,
      LMPI_ACCESS_TOKEN: accessToken,
      LMPI_SECRET_KEY: secretKey,
      DATABASE_URL: cluster.url,
      ALERT_CHANNEL: 'CALERTS',
      POLL_INTERVAL: '200ms',
      OUTBOX_CLAIM_TIMEOUT: '2s',
    });
    cleanups.push(() => bot.child.kill('SIGKILL'));
    const url = `http://127.0.0.1:${bot.port}`;
    const polls = () => sandbox.countRequests('/LMPI/v2/partners/product');
    await until(() => polls() >= 3, 10_000, 'three polls');
    const health = async () => (await (await fetch(`${url}/healthz`)).json()) as HealthReport;
    expect((await health()).database.status).toBe('up');

    cluster.stop(); // pg_ctl stop -m fast: the server terminates every connection
    sandbox.controls.setAvailable('TESTP0XXX', 10); // critical, decided once the database is back
    // Polls keep failing (they cannot take the poller lease), several times over.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const down = await health();
    expect(down.database).toMatchObject({ status: 'down', dialect: 'postgres' });
    expect(down.status).toBe('degraded');
    expect(await slash(url, slack, 'TESTP0XXX')).toContain('Test Product A');
    expect(alertPosts(slack).filter((m) => !isNotice(String(m.payload.text)))).toHaveLength(0);

    cluster.start();
    await until(() => alertPosts(slack).length >= 1, 20_000, 'the alert after the database came back');
    await until(async () => (await health()).database.status === 'up', 10_000, 'health to say up');
    const after = polls();
    await until(() => polls() >= after + 3, 10_000, 'three more polls');

    const posts = alertPosts(slack).map((m) => String(m.payload.text));
    const critical = posts.filter((t) => t === 'Critical: Test Product A').length;
    const counts = reportFault('postgres-restart', {
      crashes: bot.child.exitCode === null && bot.child.signalCode === null ? 0 : 1,
      lost: critical === 0 ? 1 : 0,
      duplicates: Math.max(0, critical - 1),
      false: posts.filter((t) => !isNotice(t)).length - critical,
    });
    expect(counts).toEqual(NONE);
    expectOneNoticeEach(posts, /`(08|57P|ECONN)/);
    // One error line for the whole outage, not one per failed query or poll.
    expect(bot.output().match(/database unavailable/g)).toHaveLength(1);
    expect(bot.output()).not.toMatch(/Unhandled 'error' event|BoundPool/);
  }, 90_000);

  it('starts while PostgreSQL is down instead of exiting into a restart loop, and alerts once it is up', async () => {
    const cluster = await startPgCluster();
    cleanups.push(() => cluster.destroy());
    cluster.stop();
    const slack = await startSlackStandIn({
      manifest: MANIFEST_PATH,
      botToken: 'xoxb-fault-test',
      channels: [ALERTS_CHANNEL],
    });
    const sandbox = await createSandbox({ catalogue: healthyCatalogue() });
    cleanups.push(
      () => assertNoAppErrors(slack),
      () => slack.close(),
      () => sandbox.close(),
    );
    sandbox.controls.setAvailable('TESTP1XXX', 10);
    const { accessToken, secretKey } = sandbox.credentials.distributor;
    const bot = await spawnBot({
      SLACK_BOT_TOKEN: 'xoxb-fault-test',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
      LMPI_BASE_URL: sandbox.url,
      LMPI_ACCESS_TOKEN: accessToken,
      LMPI_SECRET_KEY: secretKey,
      DATABASE_URL: cluster.url,
      ALERT_CHANNEL: 'CALERTS',
      POLL_INTERVAL: '200ms',
    });
    cleanups.push(() => bot.child.kill('SIGKILL'));
    const url = `http://127.0.0.1:${bot.port}`;
    const health = async () => (await (await fetch(`${url}/healthz`)).json()) as HealthReport;
    expect((await health()).database.status).toBe('down');
    expect(await slash(url, slack, '')).toContain('Test Product B');
    await new Promise((resolve) => setTimeout(resolve, 800)); // several polls fail meanwhile
    cluster.start();
    await until(() => alertPosts(slack).length >= 1, 20_000, 'the alert once the database is up');
    await new Promise((resolve) => setTimeout(resolve, 800));
    const posts = alertPosts(slack).map((m) => String(m.payload.text));
    const critical = posts.filter((t) => t === 'Critical: Test Product B').length;
    const counts = reportFault('postgres-down-at-start', {
      crashes: bot.child.exitCode === null && bot.child.signalCode === null ? 0 : 1,
      lost: critical === 0 ? 1 : 0,
      duplicates: Math.max(0, critical - 1),
      false: posts.filter((t) => !isNotice(t)).length - critical,
    });
    expect(counts).toEqual(NONE);
    expectOneNoticeEach(posts, /`(08|57P|ECONN)/);
    expect((await health()).database.status).toBe('up');
  }, 90_000);

  it('reports a read-only SQLite database in /healthz, keeps answering, and records nothing half', async () => {
    const db = await freshDatabaseUrl('sqlite');
    const h = await startHarness({ databaseUrl: db.url, sandbox: { catalogue: healthyCatalogue() } });
    cleanups.push(() => h.close());
    await h.bot.poller.poll();
    const before = await h.bot.store.engine.load();
    const release = await sqliteReadOnly(db.url);
    h.sandbox.controls.setAvailable('TESTP0XXX', 10);
    const failed = await h.bot.poller.poll().then(
      () => undefined,
      (error: { code?: string }) => error,
    );
    expect(failed?.code).toMatch(/^SQLITE_READONLY/);
    const report = (await (await fetch(`${h.bot.url}/healthz`)).json()) as HealthReport;
    expect(report.database.status).toBe('down');
    expect(report.database.error?.code).toMatch(/^SQLITE_READONLY/);
    const answer = await (await h.slash('')).reply();
    expect(JSON.stringify(answer.payload)).toContain('Test Product A');
    await release();
    // Nothing of the failed poll was recorded: the engine state is the one before it.
    expect(await h.bot.store.engine.load()).toEqual(before);
    await h.bot.poller.poll();
    const posts = alertPosts(h.slack).map((m) => String(m.payload.text));
    const critical = posts.filter((t) => t === 'Critical: Test Product A').length;
    const counts = reportFault('sqlite-readonly', {
      crashes: 0,
      lost: critical === 0 ? 1 : 0,
      duplicates: Math.max(0, critical - 1),
      false: posts.filter((t) => !isNotice(t)).length - critical,
    });
    expect(counts).toEqual(NONE);
    await until(() => alertPosts(h.slack).some((m) => BACK_NOTICE.test(String(m.payload.text))), 5_000, 'back notice');
    expectOneNoticeEach(
      alertPosts(h.slack).map((m) => String(m.payload.text)),
      /`SQLITE_READONLY[A-Z_]*`: the database file is read-only/,
    );
    expect(h.bot.store.health().status).toBe('up');
    expect(h.logs.filter((l) => l.includes('database unavailable'))).toHaveLength(1);
  });

  it('names a full SQLite disk: the real error logged once, /healthz, admin commands, and nothing lost when space returns', async () => {
    const db = await freshDatabaseUrl('sqlite');
    let clock = Date.now();
    const h = await startHarness({
      databaseUrl: db.url,
      sandbox: { catalogue: healthyCatalogue() },
      now: () => clock,
    });
    cleanups.push(() => h.close());
    await h.bot.poller.poll();
    const spaceBack = await sqliteDiskFull(db.url);
    // The disk has no free page left, but pages keep some slack: polls that record product B going
    // up and down use it up until a write needs a page the disk does not have.
    const poll = () =>
      h.bot.poller.poll().then(
        () => undefined,
        (error: unknown) => error,
      );
    let first: unknown;
    for (let i = 0; i < 60 && first === undefined; i += 1) {
      h.sandbox.controls.setAvailable('TESTP1XXX', i % 2 === 0 ? 50 : 500);
      clock += 1_000;
      first = await poll();
    }
    h.sandbox.controls.setAvailable('TESTP0XXX', 10); // critical, decided while the disk is full
    const failures = [first, await poll(), await poll()];
    for (const failure of failures) expect(failure).toMatchObject({ code: 'SQLITE_FULL' });
    const report = (await (await fetch(`${h.bot.url}/healthz`)).json()) as HealthReport;
    expect(report.database).toMatchObject({ status: 'down', error: { code: 'SQLITE_FULL' } });
    expect(report).toMatchObject({ ready: true, failing: expect.arrayContaining(['database']) });
    // Rule changes are small: the first may still fit the pages' slack; once one does not, the
    // admin is told why nothing changed.
    let refused = '';
    let refusedLow = 0;
    for (let low = 300; low < 400 && !refused.includes('cannot take changes'); low += 1) {
      refusedLow = low;
      refused = String(
        (await (await h.slash(`threshold TESTP1XXX ${low} 50`, { user: 'UADMIN' })).reply()).payload.text,
      );
    }
    expect(refused).toContain('cannot take changes right now (`SQLITE_FULL`: its disk is full)');
    expect(refused).toContain('nothing was changed');
    const logs = h.logs.join('\n');
    expect(logs).not.toContain('cannot rollback');
    expect(h.logs.filter((l) => l.includes('database unavailable') && l.includes('SQLITE_FULL'))).toHaveLength(1);
    const productA = () => alertPosts(h.slack).filter((m) => String(m.payload.text).includes('Test Product A'));
    expect(productA()).toHaveLength(0);

    await spaceBack();
    clock += 31_000; // writes must keep working a while before a full disk counts as back
    await h.bot.poller.poll();
    // The fill-up posts came fast: Slack may ask the first post after it to wait a second (the
    // retry is due by the bot's clock, which this test moves).
    await until(
      () => {
        clock += 1_000;
        return productA().length > 0;
      },
      10_000,
      'the alert decided while the disk was full',
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const posts = productA().map((m) => String(m.payload.text));
    const critical = posts.filter((t) => t.startsWith('Critical: Test Product A')).length;
    const counts = reportFault('sqlite-full', {
      crashes: 0,
      lost: critical === 0 ? 1 : 0,
      duplicates: Math.max(0, critical - 1),
      false: posts.length - critical,
    });
    expect(counts).toEqual(NONE);
    await until(() => alertPosts(h.slack).some((m) => BACK_NOTICE.test(String(m.payload.text))), 5_000, 'back notice');
    expectOneNoticeEach(
      alertPosts(h.slack).map((m) => String(m.payload.text)),
      /`SQLITE_FULL`: the disk is full/,
    );
    const rule = (await h.bot.store.rules.overrides()).find((o) => o.match === 'TESTP1XXX');
    expect(rule?.low).not.toBe(refusedLow); // the refused change was not half-made
  });
});
