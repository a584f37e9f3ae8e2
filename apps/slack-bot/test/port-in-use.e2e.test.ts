import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

// "Address already in use" names the setting to change (PORT), as one line and exit 64.

const appDir = fileURLToPath(new URL('..', import.meta.url));
let blocker: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => (blocker ? blocker.close(resolve) : resolve(undefined)));
  blocker = undefined;
});

describe('a PORT already in use', () => {
  it('stops the bot with one message naming PORT, exit 64', async () => {
    blocker = createServer();
    await new Promise<void>((resolve) => blocker?.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    const base = Object.fromEntries(
      Object.entries(process.env).filter(([key]) => !/^(SLACK_|LMPI_|DATABASE_URL|POLL_|ALERT_|PORT$)/.test(key)),
    );
    const child = spawn(process.execPath, ['dist/main.js'], {
      cwd: appDir,
      env: { ...base, LOG_LEVEL: 'warn', PORT: String(port), DATABASE_URL: 'sqlite::memory:' },
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(64);
    expect(stderr).toBe(
      `licensewatch failed to start: port ${port} on 127.0.0.1 is already in use: stop what uses it, or set PORT to a free port\n`,
    );
  });
});
