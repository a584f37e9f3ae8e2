import { createSandbox, type Sandbox } from '@licensewatch/lmpi-sandbox';
import { blockKitViolations, type SlackStandIn, startSlackStandIn } from '@licensewatch/slack-stand-in';
import { afterEach, describe, expect, it } from 'vitest';
import type { BotConfig } from '../src/env.js';
import { createLogger } from '../src/logger.js';
import { MANIFEST_PATH } from '../src/manifest-path.js';
import { type BotRuntime, startBot } from '../src/runtime.js';
import { freePort } from './ports.js';

const APP_TOKEN = 'xapp-1-test-app-token';

let parts: { bot?: BotRuntime; slack?: SlackStandIn; sandbox?: Sandbox } = {};
afterEach(async () => {
  await parts.bot?.stop();
  await parts.slack?.close();
  await parts.sandbox?.close();
  parts = {};
});

describe('/licenses over Socket Mode', () => {
  it('connects through apps.connections.open, acknowledges the envelope and answers', async () => {
    const slack = await startSlackStandIn({
      manifest: MANIFEST_PATH,
      botToken: 'xoxb-socket-test',
      appToken: APP_TOKEN,
      channels: [{ id: 'CALERTS', name: 'alerts' }],
    });
    const sandbox = await createSandbox();
    parts = { slack, sandbox };
    const { accessToken, secretKey } = sandbox.credentials.distributor;
    const config: BotConfig = {
      port: await freePort(),
      logLevel: 'silent',
      cacheTtlMs: 60_000,
      lmpiTimeoutMs: 5_000,
      alerts: {
        databaseUrl: 'sqlite::memory:',
        pollIntervalMs: 3_600_000,
        alertChannel: 'CALERTS',
        thresholdsFile: undefined,
        adminUserIds: [],
        historyRetentionMs: 86_400_000,
        claimTimeoutMs: 60_000,
      },
      slack: {
        mode: 'socket',
        botToken: 'xoxb-socket-test',
        appToken: APP_TOKEN,
        signingSecret: undefined,
        apiUrl: slack.apiUrl,
      },
      lmpi: { mode: 'remote', baseUrl: sandbox.url, accessToken, secretKey },
    };
    const lines: string[] = [];
    parts.bot = await startBot(config, {
      logger: createLogger({
        level: 'info',
        secrets: [APP_TOKEN],
        destination: { write: (l: string) => lines.push(l) },
      }),
    });
    await slack.socket.connected();
    expect(slack.calls.get('apps.connections.open')).toBeGreaterThanOrEqual(1);

    const responseUrl = slack.responseUrl('socket-1');
    const ack = await slack.socket.send('slash_commands', {
      command: '/licenses',
      text: 'low',
      response_url: responseUrl,
      user_id: 'U1',
      channel_id: 'C1',
      team_id: 'T1',
      api_app_id: 'A1',
      trigger_id: '1.2.3',
    });
    expect(ack.envelope_id).toEqual(expect.any(String));
    // With data in memory the answer comes in the envelope acknowledgement; else via response_url.
    const inAck = ack.payload as Record<string, unknown> | undefined; // `{}` when the answer follows later
    const payload =
      inAck?.text !== undefined
        ? inAck
        : (await slack.waitFor((m) => m.kind === 'response' && m.target === 'socket-1')).payload;
    expect(blockKitViolations(payload)).toEqual([]);
    expect(payload.text).toBe('Licenses: 64 products, 10 at risk');

    const health = await (await fetch(`http://127.0.0.1:${config.port}/healthz`)).json();
    expect(health).toMatchObject({ status: 'ok', slackMode: 'socket', checks: { slack: { ok: true } } });
    const ready = await fetch(`http://127.0.0.1:${config.port}/readyz`);
    expect(ready.status).toBe(200); // Socket Mode connected: the receiver reported it
    expect(lines.join('\n')).not.toContain(APP_TOKEN);
  });
});
