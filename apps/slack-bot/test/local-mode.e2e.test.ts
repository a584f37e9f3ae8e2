import { type ChildProcess, execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from './ports.js';
import { spawnBot, until } from './processes.js';

// What the README's first command starts: the bot with no settings (embedded sandbox + local Slack
// stand-in), and `pnpm slash` sending it a signed command.

const run = promisify(execFile);
const appDir = fileURLToPath(new URL('..', import.meta.url));
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(SLACK_|LMPI_)/.test(key)));
  return { ...env, LOG_LEVEL: 'warn', ...extra };
}

describe('local mode (no Slack, no LMPI settings)', () => {
  it('starts on the embedded sandbox and answers pnpm slash with readable text', async () => {
    const bot = await spawnBot({ DATABASE_URL: 'sqlite::memory:' });
    children.push(bot.child);
    const { port } = bot;
    expect(bot.output()).toContain('LMPI: embedded sandbox');
    expect(bot.output()).toContain('Slack: local mode');
    // Runways come from the first poll (it starts at once, not before "ready"): on a busy machine a
    // /licenses sent at once can beat it. Its first alert posted means its forecasts are in.
    await until(() => /chat\.postMessage to CLOCALALERTS/.test(bot.output()), 20_000, 'the first poll');
    const { stdout } = await run(process.execPath, ['dist/slash.js', '/licenses low'], {
      cwd: appDir,
      env: cleanEnv({ PORT: String(port) }),
    });
    expect(stdout).toContain('(acknowledged: HTTP 200');
    // 10 pools low by count, and 2 running dry in the demo history (runway ≤ 14 days).
    expect(stdout).toContain('Licenses: 64 products, 12 at risk');
    expect(stdout).toContain('🔴 Critical');
    expect(stdout).not.toContain(':red_circle:');
    expect(stdout).toMatch(/🔴 \*Trend Micro Deep Security Advanced\* `AAAUXXE1X` · 4,820 · `[▁-█]{14}` · \*~\d d\*/);
    expect(stdout).toContain('Demo data: the history before');
    // Made-up data always says so: in /licenses replies and in the alerts the stand-in prints.
    expect(stdout).toContain('demo data from the embedded LMPI sandbox');
    await until(
      () => /chat\.postMessage to CLOCALALERTS[\s\S]*demo data from the embedded LMPI sandbox/.test(bot.output()),
      10_000,
      'the first alert, marked as demo data',
    );
    const help = await run(process.execPath, ['dist/slash.js', '/licenses', 'help'], {
      cwd: appDir,
      env: cleanEnv({ PORT: String(port) }),
    });
    expect(help.stdout).toContain('How to use /licenses');

    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
  });

  it('tells a story on first run: demo history, a chart with a refill, stored by the stand-in', async () => {
    const bot = await spawnBot({ DATABASE_URL: 'sqlite::memory:' });
    children.push(bot.child);
    const { port } = bot;
    const chart = await run(process.execPath, ['dist/slash.js', '/licenses AAAUXXE1X'], {
      cwd: appDir,
      env: cleanEnv({ PORT: String(port) }),
    });
    expect(chart.stdout).toMatch(
      /\[image: 30-day chart of available licenses for Trend Micro Deep Security Advanced.*\(file F[0-9A-F]+\)\]/,
    );
    expect(chart.stdout).toMatch(/\*Refills detected\* \(excluded from the burn rate\)\n\+[\d,]+ /);
    // The seeded history comes with the transactions that explain it: who drained the pool, and usage.
    expect(chart.stdout).toMatch(/\*Who took its licenses\*[\s\S]*\(last month\): [^\n]+ \+[\d,]+/);
    const usage = await run(process.execPath, ['dist/slash.js', '/licenses usage'], {
      cwd: appDir,
      env: cleanEnv({ PORT: String(port) }),
    });
    expect(usage.stdout).toMatch(/total provisioned \*[\d,]+\*/);
    expect(usage.stdout).toContain('Müller & Söhne GmbH');
    // The stand-in stored the upload and printed where.
    const path = /F[0-9A-F]+ (\/\S+aaauxxe1x-30d\.png)/.exec(bot.output())?.[1] ?? '';
    expect(readFileSync(path).subarray(1, 4).toString('latin1')).toBe('PNG');
    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
  });

  it('explains a bad configuration in one message with exit code 64', async () => {
    const failure = await run(process.execPath, ['dist/main.js'], {
      cwd: appDir,
      env: cleanEnv({ SLACK_BOT_TOKEN: 'xoxb-only', PORT: 'x' }),
    }).catch((error: { code: number; stderr: string }) => error);
    expect('code' in failure && failure.code).toBe(64);
    expect(String((failure as { stderr: string }).stderr)).toContain('PORT');
    expect(String((failure as { stderr: string }).stderr)).not.toMatch(/\n\s+at /);
  });

  it('refuses to start with an invalid threshold file, naming the line and field', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const file = join(mkdtempSync(join(tmpdir(), 'licensewatch-')), 'thresholds.yaml');
    writeFileSync(file, 'default: { low: 100, critical: 20 }\nproducts:\n  - match: NNZBXXE1X\n    low: many\n');
    const failure = await run(process.execPath, ['dist/main.js'], {
      cwd: appDir,
      env: cleanEnv({ THRESHOLDS_FILE: file, DATABASE_URL: 'sqlite::memory:' }),
    }).catch((error: { code: number; stderr: string }) => error);
    expect('code' in failure && failure.code).toBe(64);
    expect(String((failure as { stderr: string }).stderr)).toContain(
      'thresholds.yaml:4 products[0].low: low must be a number of licenses',
    );
  });

  it('tells the user to start the bot when nothing is listening', async () => {
    const port = await freePort();
    const failure = await run(process.execPath, ['dist/slash.js', '/licenses'], {
      cwd: appDir,
      env: cleanEnv({ PORT: String(port) }),
    }).catch((error: { code: number; stderr: string }) => error);
    expect(String((failure as { stderr: string }).stderr)).toContain('start it first with pnpm start');
  });
});
