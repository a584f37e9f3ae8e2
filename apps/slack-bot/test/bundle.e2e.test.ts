import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSandbox, type Sandbox } from '@licensewatch/lmpi-sandbox';
import { type SlackStandIn, startSlackStandIn } from '@licensewatch/slack-stand-in';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANIFEST_PATH } from '../src/manifest-path.js';
import { slackSignatureHeaders, slashCommandBody } from '../src/slack-signature.js';
import { ALERTS_CHANNEL, assertNoAppErrors, parseAck } from './harness.js';
import { freePort } from './ports.js';
import { until } from './processes.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const SIGNING_SECRET = 'bundle-signing-secret-5e1f';

// The production bundle the Dockerfile copies into the image (same script), started from a
// directory outside the workspace, against a sandbox and a Slack stand-in started here.
describe('the production bundle (what the container ships)', () => {
  let work: string;
  let bundle: string;
  let sandbox: Sandbox;
  let slack: SlackStandIn;
  let bot: ChildProcess;
  let url: string;
  let output = '';

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'licensewatch-bundle-'));
    bundle = join(work, 'bot');
    execFileSync('bash', [join(root, 'scripts/bundle-bot.sh'), bundle], { stdio: ['ignore', 'ignore', 'pipe'] });
    sandbox = await createSandbox();
    slack = await startSlackStandIn({
      manifest: MANIFEST_PATH,
      botToken: 'xoxb-bundle-test-token',
      channels: [ALERTS_CHANNEL],
    });
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    const cwd = join(work, 'run');
    execFileSync('mkdir', ['-p', cwd]);
    // .env in the working directory: the signing secret comes only from it; its PORT loses to the real one.
    writeFileSync(join(cwd, '.env'), `SLACK_SIGNING_SECRET=${SIGNING_SECRET}\nPORT=1\n`);
    const { accessToken, secretKey } = sandbox.credentials.distributor;
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(
        ([key]) => !/^(SLACK_|LMPI_|DATABASE_URL|DATA_DIR|POLL_|ALERT_|NODE_PATH)/.test(key),
      ),
    );
    bot = spawn(process.execPath, [join(bundle, 'dist/main.js')], {
      cwd,
      env: {
        ...inherited,
        PORT: String(port),
        DATA_DIR: join(work, 'data'),
        LOG_LEVEL: 'warn',
        LMPI_BASE_URL: sandbox.url,
        LMPI_ACCESS_TOKEN: accessToken,
        LMPI_SECRET_KEY: secretKey,
        SLACK_BOT_TOKEN: 'xoxb-bundle-test-token',
        SLACK_API_URL: slack.apiUrl,
        ALERT_CHANNEL: 'CALERTS',
      },
    });
    bot.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    bot.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
  }, 120_000);

  afterAll(async () => {
    if (bot && bot.exitCode === null) {
      const exited = new Promise((resolve) => bot.once('exit', resolve));
      bot.kill('SIGTERM');
      await exited;
    }
    await slack?.close();
    await sandbox?.close();
    if (work) rmSync(work, { recursive: true, force: true });
    if (slack) assertNoAppErrors(slack); // last: a Web API call only a wrong app makes fails the file
  });

  it('leaves the LMPI sandbox and every devDependency out', () => {
    expect(existsSync(join(bundle, 'dist/main.js'))).toBe(true);
    expect(existsSync(join(bundle, 'node_modules/@licensewatch/store'))).toBe(true);
    expect(existsSync(join(bundle, 'node_modules/@licensewatch/lmpi-sandbox'))).toBe(false);
    expect(existsSync(join(bundle, 'node_modules/@licensewatch/slack-stand-in'))).toBe(false);
    expect(existsSync(join(bundle, 'node_modules/vitest'))).toBe(false);
    expect(existsSync(join(bundle, 'src'))).toBe(false);
  });

  it('asked for local mode (LOCAL_MODE=true), says in one line that it has no stand-in and what to set instead', async () => {
    const { accessToken, secretKey } = sandbox.credentials.distributor;
    const cwd = join(work, 'local');
    execFileSync('mkdir', ['-p', cwd]);
    const run = spawn(process.execPath, [join(bundle, 'dist/main.js')], {
      cwd,
      env: {
        PATH: process.env.PATH,
        PORT: String(await freePort()),
        DATA_DIR: join(cwd, 'data'),
        LMPI_BASE_URL: sandbox.url,
        LMPI_ACCESS_TOKEN: accessToken,
        LMPI_SECRET_KEY: secretKey,
        LOCAL_MODE: 'true',
      },
    });
    let stderr = '';
    run.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise((resolve) => run.once('exit', resolve));
    expect(code).toBe(64);
    expect(stderr).toContain('local mode needs the Slack stand-in');
    expect(stderr).toContain('set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET');
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('is live at once, ready after its first poll, and answers a signed /licenses', async () => {
    await until(
      async () => (await fetch(`${url}/livez`).catch(() => undefined))?.status === 200,
      30_000,
      `/livez on the bundled bot\n${output}`,
    );
    await until(async () => (await fetch(`${url}/readyz`)).status === 200, 30_000, `/readyz 200\n${output}`);
    const body = slashCommandBody({ text: 'low', response_url: slack.responseUrl('bundle-1') });
    const ack = await fetch(`${url}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...slackSignatureHeaders(SIGNING_SECRET, body) },
      body,
    });
    expect(ack.status).toBe(200);
    const inAck = parseAck(await ack.text());
    const reply =
      inAck ?? (await slack.waitFor((m) => m.kind === 'response' && m.target === 'bundle-1', 10_000)).payload;
    expect(reply.text).toMatch(/^Licenses: \d+ products?/);
    expect(existsSync(join(work, 'data/licensewatch.db'))).toBe(true); // state under DATA_DIR, not the cwd
    expect(existsSync(join(work, 'run/data'))).toBe(false);
  });

  it('runs the bundled slash script against it, printing the reply as JSON (no stand-in to render it)', async () => {
    const { accessToken, secretKey } = sandbox.credentials.distributor;
    const { stdout } = await new Promise<{ stdout: string }>((resolve, reject) => {
      execFile(
        process.execPath,
        [join(bundle, 'dist/slash.js'), '/licenses low'],
        {
          cwd: join(work, 'run'),
          env: {
            PATH: process.env.PATH,
            PORT: new URL(url).port,
            SLACK_BOT_TOKEN: 'xoxb-bundle-test-token',
            SLACK_SIGNING_SECRET: SIGNING_SECRET,
            LMPI_BASE_URL: sandbox.url,
            LMPI_ACCESS_TOKEN: accessToken,
            LMPI_SECRET_KEY: secretKey,
          },
        },
        (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve({ stdout: out })),
      );
    });
    expect(stdout).toContain('(acknowledged: HTTP 200');
    expect(stdout).toMatch(/"text": "Licenses: \d+ products?/);
  });
});
