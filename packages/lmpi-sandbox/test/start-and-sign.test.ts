import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

// What a new user does: start the sandbox alone, print a signed curl command, run it.

const appDir = fileURLToPath(new URL('..', import.meta.url));
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

function baseEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const { LMPI_ACCESS_TOKEN: _t, LMPI_SECRET_KEY: _s, LMPI_BASE_URL: _b, ...rest } = process.env;
  return { ...rest, LOG_LEVEL: 'warn', ...extra };
}

async function startSandbox(
  env: Record<string, string>,
): Promise<{ url: string; banner: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['dist/main.js'], {
    cwd: appDir,
    env: baseEnv({ LMPI_SANDBOX_PORT: '0', ...env }),
  });
  children.push(child);
  let banner = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sandbox did not start: ${banner}`)), 10_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      banner += chunk.toString();
      const found = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(banner);
      if (found?.[1] && banner.includes('scenario controls')) {
        clearTimeout(timer);
        resolve(found[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`sandbox exited with ${code}: ${banner}`)));
  });
  return { url, banner, child };
}

function curlFromSign(env: Record<string, string>, args: string[] = []): string {
  return execFileSync(process.execPath, ['dist/sign.js', ...args], {
    cwd: appDir,
    env: baseEnv(env),
    encoding: 'utf8',
    stdio: 'pipe',
  });
}

describe('pnpm start + pnpm sign', () => {
  it('prints development credentials, and a signed curl command that returns the product list', async () => {
    const { url, banner } = await startSandbox({});
    expect(banner).toContain('LMPI_ACCESS_TOKEN=00000000-5a4d-4b0c-8e1f-000000000001');
    const curl = curlFromSign({ LMPI_BASE_URL: url });
    expect(curl).toMatch(
      /^curl -sS -X GET 'http:\/\/127\.0\.0\.1:\d+\/LMPI\/v2\/partners\/product' -H 'x-access-token: /,
    );
    expect(curl).not.toContain('sandbox-distributor-secret');
    const body = JSON.parse(execFileSync('bash', ['-c', curl], { encoding: 'utf8' }));
    expect(body.products.length).toBeGreaterThanOrEqual(60);
  });

  it('uses LMPI_ACCESS_TOKEN / LMPI_SECRET_KEY when set and never prints the secret', async () => {
    const credentials = {
      LMPI_ACCESS_TOKEN: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
      LMPI_SECRET_KEY: 'a-secret-from-the-environment',
    };
    const { url, banner } = await startSandbox(credentials);
    expect(banner).not.toContain(credentials.LMPI_SECRET_KEY);
    const curl = curlFromSign({ ...credentials, LMPI_BASE_URL: url }, ['GET', '/LMPI/v2/me/serviceplans']);
    expect(curl).not.toContain(credentials.LMPI_SECRET_KEY);
    const plans = JSON.parse(execFileSync('bash', ['-c', curl], { encoding: 'utf8' }));
    expect(Array.isArray(plans)).toBe(true);
    const devCurl = curlFromSign({ LMPI_BASE_URL: url });
    expect(JSON.parse(execFileSync('bash', ['-c', devCurl], { encoding: 'utf8' }))).toMatchObject({
      error_subject: 'InvalidHeaderAccessToken',
    });
  });

  it('stops cleanly on SIGTERM', async () => {
    const { child } = await startSandbox({});
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('refuses half-set credentials with one clear message and exit code 64', () => {
    let failure: { status?: number; stderr?: string } = {};
    try {
      execFileSync(process.execPath, ['dist/main.js'], {
        cwd: appDir,
        env: baseEnv({ LMPI_ACCESS_TOKEN: 'x' }),
        encoding: 'utf8',
        stdio: 'pipe',
      });
    } catch (error) {
      failure = error as typeof failure;
    }
    expect(failure.status).toBe(64);
    expect(failure.stderr).toContain('LMPI_ACCESS_TOKEN: set both LMPI_ACCESS_TOKEN and LMPI_SECRET_KEY, or neither');
    expect(failure.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('names LMPI_SANDBOX_PORT when the port is already in use, with exit code 64', async () => {
    const first = await startSandbox({});
    const port = new URL(first.url).port;
    let failure: { status?: number; stderr?: string } = {};
    try {
      execFileSync(process.execPath, ['dist/main.js'], {
        cwd: appDir,
        env: baseEnv({ LMPI_SANDBOX_PORT: port }),
        encoding: 'utf8',
        stdio: 'pipe',
      });
    } catch (error) {
      failure = error as typeof failure;
    }
    expect(failure.status).toBe(64);
    expect(failure.stderr).toBe(
      `lmpi-sandbox: port ${port} is already in use on 127.0.0.1: stop what uses it, or set LMPI_SANDBOX_PORT to a free port\n`,
    );
  });
});

describe('sign arguments', () => {
  it('signs a POST body and explains a wrong METHOD', () => {
    const curl = curlFromSign({}, [
      'POST',
      '/LMPI/v2/reports/summary',
      '--body',
      '{"report_cycle_year":"2018","report_cycle_month":"07"}',
    ]);
    expect(curl).toContain("-X POST 'http://127.0.0.1:4010/LMPI/v2/reports/summary'");
    expect(curl).toContain(`--data-raw '{"report_cycle_year":"2018","report_cycle_month":"07"}'`);
    let stderr = '';
    try {
      curlFromSign({}, ['/LMPI/v2/partners/product']);
    } catch (error) {
      stderr = String((error as { stderr?: unknown }).stderr);
    }
    expect(stderr).toContain('METHOD must be GET, POST, PUT, DELETE or PATCH');
  });
});
