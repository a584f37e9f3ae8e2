// Rendering code cannot send around the output gate: (1) the source has no other way to Slack (no
// WebClient or fetch of its own, no Bolt app but the gated one), and (2) the app createSlackApp
// builds gates whatever a listener sends, through each of the three ways a payload leaves:
// WebClient calls, respond() and ack().
import { readdirSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative } from 'node:path';
import {
  blockKitViolations,
  type SlackStandIn,
  startSlackStandIn,
  viewBlockViolations,
} from '@licensewatch/slack-stand-in';
import type { App } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { createSlackApp } from '../src/app.js';
import { LIMITS } from '../src/block-kit/limits.js';
import { CatalogueCache } from '../src/catalogue-cache.js';
import type { LicenseReports } from '../src/licenses/reports.js';
import { DEFAULT_LEVELS } from '../src/licenses/status.js';
import { createLogger } from '../src/logger.js';
import { MANIFEST_PATH } from '../src/manifest-path.js';
import { slackSignatureHeaders } from '../src/slack-signature.js';
import { parseAck } from './harness.js';

const SRC = join(import.meta.dirname, '../src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Files allowed to call fetch themselves, and why. */
const OWN_FETCH: Record<string, string> = {
  'ops/slack-fetch.ts': 'the innermost fetch of the gated chain (app.ts: gatedSlackFetch(meteredSlackFetch(…)))',
  'block-kit/slack-upload.ts': 'POSTs the PNG bytes to the upload URL Slack handed out (binary, no text)',
  'delivery/pagerduty/notifier.ts': 'PagerDuty, not Slack: its summary passes the gate (events.ts gatePlainText)',
  'slash.ts': 'the local `pnpm slash` script, posting to the bot, not to Slack',
};

describe('the output gate cannot be bypassed', () => {
  it('the source reaches Slack only through the gated Bolt app', () => {
    const offenders: string[] = [];
    for (const path of sources(SRC)) {
      const file = relative(SRC, path);
      // Code only: comments and JSDoc examples may show how to call Slack.
      const code = readFileSync(path, 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/^\s*\/\/.*$/gm, '');
      if (/new WebClient\b|\.apiCall\(|axios/.test(code)) offenders.push(`${file}: own Web API client`);
      if (/new App\(/.test(code) && file !== 'app.ts') offenders.push(`${file}: a second Bolt app`);
      // A call of fetch itself (not a method called fetch, not a definition of one).
      if (/(?<![.\w]|async |function )fetch\(|globalThis\.fetch/.test(code) && !OWN_FETCH[file])
        offenders.push(`${file}: calls fetch itself`);
    }
    expect(offenders).toEqual([]);
    const app = readFileSync(join(SRC, 'app.ts'), 'utf8');
    expect(app).toMatch(/slackOnlyFetch\(\s*gatedSlackFetch\(/);
    expect(app).toContain('gateAcknowledgements(app)');
  });
});

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

const SECRET = 'gate-test-secret';
const TOKEN = 'xoxb-gate-test';
const HOSTILE = '<!channel> <@U0EVIL> <https://evil.example|click>';
const many = (count: number) =>
  Array.from({ length: count }, (_, i) => ({ type: 'section', text: { type: 'mrkdwn', text: `${HOSTILE} ${i}` } }));

async function gatedApp(register: (app: App) => void): Promise<{ slack: SlackStandIn; url: string }> {
  const slack = await startSlackStandIn({
    manifest: MANIFEST_PATH,
    botToken: TOKEN,
    channels: [{ id: 'CGATE', name: 'gate', botIsMember: true }],
  });
  const logger = createLogger({ level: 'silent', secrets: [] });
  const app = createSlackApp({
    connection: { mode: 'http', botToken: TOKEN, signingSecret: SECRET, apiUrl: slack.apiUrl },
    cache: new CatalogueCache({ ttlMs: 60_000, fetch: () => Promise.reject(new Error('no LMPI here')) }),
    reports: {} as LicenseReports,
    view: () => ({ levelsFor: () => DEFAULT_LEVELS }),
    logger,
    ops: {
      readiness: async () => ({ ready: true }) as never,
      health: async () => ({}) as never,
      metrics: async () => ({ contentType: 'text/plain', text: '' }),
    },
  });
  register(app); // listeners written as carelessly as possible: raw data, far too many blocks
  const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
  cleanup = async () => {
    await app.stop();
    await slack.close();
  };
  return { slack, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function click(url: string, slack: SlackStandIn, actionId: string): Promise<string> {
  const payload = {
    type: 'block_actions',
    user: { id: 'U0CLICK' },
    team: { id: 'T1' },
    container: { type: 'view', view_id: 'V1' },
    response_url: slack.responseUrl('gate-reply', 'U0CLICK'),
    actions: [{ type: 'button', action_id: actionId, value: 'refresh', block_id: 'b', action_ts: '1' }],
  };
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  const response = await fetch(`${url}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...slackSignatureHeaders(SECRET, body) },
    body,
  });
  expect(response.status).toBe(200);
  return response.text();
}

// The gate's safety net lets well-formed user and channel mentions through (the bot writes them);
// it is the renderers that escape data, so a name never reaches it as a live `<@U…>` (see
// surfaces.property.test.ts). What no listener can send, whatever it does: broadcasts and links.
const live = /<!channel>|<!here>|<https:\/\/evil/;

describe('createSlackApp gates whatever its listeners send', () => {
  it('gates chat.*, views.publish and respond() (the fetch seam) and ack() (the processEvent seam)', async () => {
    const { slack, url } = await gatedApp((app) => {
      app.action('home_refresh', async ({ ack, client, respond, body }) => {
        await ack();
        await client.chat.postMessage({ channel: 'CGATE', text: HOSTILE, blocks: many(80) as never });
        await client.views.publish({ user_id: body.user.id, view: { type: 'home', blocks: many(150) as never } });
        await respond({ text: HOSTILE, blocks: many(70) as never });
      });
    });
    await click(url, slack, 'home_refresh');
    const posted = await slack.waitFor((m) => m.kind === 'chat.postMessage');
    const home = await slack.waitFor((m) => m.kind === 'views.publish');
    const reply = await slack.waitFor((m) => m.kind === 'response');
    expect(posted.violations).toEqual([]);
    expect((posted.payload.blocks as unknown[]).length).toBe(LIMITS.blocksPerMessage);
    // A channel alert keeps broadcast mentions (the operator's rules write them), never links from data.
    expect(String(posted.payload.text)).toContain('&lt;https://evil.example|click&gt;');
    expect(viewBlockViolations(home.payload.blocks)).toEqual([]);
    expect(JSON.stringify(home.payload)).not.toMatch(live);
    expect(reply.violations).toEqual([]);
    expect(JSON.stringify(reply.payload)).not.toMatch(live);
    expect(JSON.stringify(reply.payload)).toContain('…and ');
  });

  it('gates a message carried in the acknowledgement itself', async () => {
    const { slack, url } = await gatedApp((app) => {
      app.action('chart_share', async ({ ack }) => {
        await (ack as unknown as (m: unknown) => Promise<void>)({ text: HOSTILE, blocks: many(60) });
      });
    });
    const payload = {
      type: 'block_actions',
      user: { id: 'U0CLICK' },
      response_url: slack.responseUrl('ack-reply', 'U0CLICK'),
      actions: [{ type: 'button', action_id: 'chart_share', value: 'NNZBXXE1X', block_id: 'b', action_ts: '1' }],
    };
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    const response = await fetch(`${url}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...slackSignatureHeaders(SECRET, body) },
      body,
    });
    const acked = parseAck(await response.text());
    expect(acked).toBeDefined();
    expect(blockKitViolations(acked)).toEqual([]);
    expect(JSON.stringify(acked)).not.toMatch(live);
  });
});
