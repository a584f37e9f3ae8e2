// Fault case 1: the database goes away under a running bot (PostgreSQL stopped and restarted for
// real; SQLite read-only and full). The bot keeps answering /licenses, reports the database in
// /healthz, logs the outage once, and delivers the alert decided after the database is back
// exactly once.
import { randomUUID } from 'node:crypto';
import { createSandbox } from '@licensewatch/lmpi-sandbox';
import { type SlackStandIn, startSlackStandIn } from '@licensewatch/slack-stand-in';
import { freshDatabaseUrl, sqliteReadOnly } from '@licensewatch/store/testing';
import { afterEach, describe, expect, it } from 'vitest';
import type { HealthReport } from '../../src/health.js';
import { MANIFEST_PATH } from '../../src/manifest-path.js';
import { slackSignatureHeaders, slashCommandBody } from '../../src/slack-signature.js';
import { healthyCatalogue } from '../catalogues.js';
import { ALERTS_CHANNEL, assertNoAppErrors, startHarness } from '../harness.js';
import { spawnBot, until } from '../processes.js';
import { NONE, reportFault } from './fault-summary.js';
import { startPgCluster } from './pg-cluster.js';

const SECRET = 'fault-test-signing-secret';
let cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

const alertPosts = (slack: SlackStandIn) =>
  slack.messages.filter((m) => m.kind === 'chat.postMessage' && m.target === 'CALERTS');

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
    expect(alertPosts(slack)).toHaveLength(0);

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
      false: posts.length - critical,
    });
    expect(counts).toEqual(NONE);
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
      false: posts.length - critical,
    });
    expect(counts).toEqual(NONE);
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
      false: posts.length - critical,
    });
    expect(counts).toEqual(NONE);
    expect(h.bot.store.health().status).toBe('up');
    expect(h.logs.filter((l) => l.includes('database unavailable'))).toHaveLength(1);
  });
});
