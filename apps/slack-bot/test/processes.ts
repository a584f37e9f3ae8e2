import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Sandbox } from '@licensewatch/lmpi-sandbox';
import type { SlackStandIn } from '@licensewatch/slack-stand-in';
import { freePort } from './ports.js';

const appDir = fileURLToPath(new URL('..', import.meta.url));

export interface BotProcess {
  child: ChildProcess;
  port: number;
  output: () => string;
  /** Resolves with the exit code (or null when killed by a signal). */
  exited: Promise<number | null>;
}

/** Starts the built bot (`dist/main.js`) as its own process and waits until it is serving. */
export async function spawnBot(env: Record<string, string>): Promise<BotProcess> {
  const port = await freePort();
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(SLACK_|LMPI_|DATABASE_URL|POLL_|ALERT_)/.test(key)),
  );
  const child = spawn(process.execPath, ['dist/main.js'], {
    cwd: appDir,
    env: { ...base, LOG_LEVEL: 'warn', PORT: String(port), ...env },
  });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bot did not start:\n${out}`)), 20_000);
    const check = setInterval(() => {
      if (out.includes('Health:')) {
        clearInterval(check);
        clearTimeout(timer);
        resolve();
      }
    }, 20);
    exited.then((code) => {
      clearInterval(check);
      clearTimeout(timer);
      reject(new Error(`bot exited with ${code}:\n${out}`));
    });
  });
  return { child, port, output: () => out, exited };
}

/** Waits until `condition` holds, polling every 50 ms. */
export async function until(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** The environment of a bot process in HTTP mode against a test Slack stand-in and LMPI sandbox. */
export function botEnv(
  slack: Pick<SlackStandIn, 'apiUrl'>,
  sandbox: Pick<Sandbox, 'url' | 'credentials'>,
  databaseUrl: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  const { accessToken, secretKey } = sandbox.credentials.distributor;
  return {
    SLACK_BOT_TOKEN: 'xoxb-process-test',
    SLACK_SIGNING_SECRET: 'process-test-signing-secret',
    SLACK_API_URL: slack.apiUrl,
    LMPI_BASE_URL: sandbox.url,
    LMPI_ACCESS_TOKEN: accessToken,
    LMPI_SECRET_KEY: secretKey,
    DATABASE_URL: databaseUrl,
    ALERT_CHANNEL: 'CALERTS',
    POLL_INTERVAL: '1h',
    OUTBOX_CLAIM_TIMEOUT: '1s',
    ...extra,
  };
}
