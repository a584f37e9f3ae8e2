import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';

// The example runs as a user would run it (`pnpm start` = node src/runway-report.ts), on the sandbox.

const run = promisify(execFile);
const dir = fileURLToPath(new URL('..', import.meta.url));
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function report(extra: Record<string, string> = {}) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('LMPI_')));
  return run(process.execPath, ['src/runway-report.ts'], { cwd: dir, env: { ...env, ...extra } });
}

describe('examples/runway-report', () => {
  it('lists the pools at risk with their burn rate and runway, most urgent first', async () => {
    const { stdout } = await report();
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Runway report for partner [0-9a-f-]{36} \(local sandbox, demo data\)$/);
    expect(lines[1]).toMatch(/^LEVEL\s+CODE\s+AVAILABLE\s+RATE\s+RUNWAY\s+PRODUCT$/);
    // The demo's pool about to run dry: ~1,928 a day, about two days left.
    expect(stdout).toMatch(/CRITICAL\s+AAAUXXE1X\s+4,820\s+~1,9\d\d\/day\s+~2 d\s+Trend Micro Deep Security Advanced/);
    const levels = lines.slice(2, -1).map((line) => line.split(/\s+/)[0]);
    expect(levels.length).toBeGreaterThan(5);
    expect(levels.indexOf('LOW')).toBeGreaterThan(levels.lastIndexOf('CRITICAL'));
    expect(lines.at(-1)).toMatch(/^\d+ of 64 products at risk/);
  });

  it('keeps its readings in the store given by DATABASE_URL across runs', async () => {
    const data = mkdtempSync(join(tmpdir(), 'licensewatch-example-'));
    dirs.push(data);
    const url = `sqlite:${join(data, 'history.db')}`;
    const first = await report({ DATABASE_URL: url });
    const second = await report({ DATABASE_URL: url });
    expect(second.stdout.split('\n').at(-2)).toBe(first.stdout.split('\n').at(-2));
    const { stdout } = await run(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { openStore } from '@licensewatch/store'; const s = openStore(${JSON.stringify(url)}); console.log((await s.history.since(0)).get('00000003-0000-4000-8000-000000000010')?.length); await s.close();`,
      ],
      { cwd: dir },
    );
    // 30 days of hourly demo readings seeded once (not again on the second run), one reading per run,
    // and whatever fell out of the 30 days between the runs pruned.
    expect(Number(stdout)).toBeGreaterThanOrEqual(720);
    expect(Number(stdout)).toBeLessThanOrEqual(722);
  });
});
