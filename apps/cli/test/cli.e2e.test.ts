import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describeLmpiFailure } from '@licensewatch/client';
import { createSandbox, type Sandbox, type StoredProduct } from '@licensewatch/lmpi-sandbox';
import { openStore } from '@licensewatch/store';
import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it } from 'vitest';

// Runs the built `licensewatch` binary as a subprocess, as cron and CI do.

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const exec = promisify(execFile);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function licensewatch(args: string[], env: Record<string, string> = {}, cwd?: string): Promise<Run> {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(LMPI_|NO_COLOR$|FORCE_COLOR$)/.test(key)),
  );
  try {
    const { stdout, stderr } = await exec(bin, args, { env: { ...base, ...env }, timeout: 20_000, cwd });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const catalogue = (counts: number[]): StoredProduct[] =>
  counts.map((available, i) => ({
    product_id: `0000000${i}-cccc-4ddd-8eee-00000000000${i}`,
    product_code: `CLI${i}XXXXX`,
    product_name: `CLI Product ${String.fromCharCode(65 + i)}`,
    type: 'SaaS',
    version: i % 2 ? 'Trial' : 'Full',
    available,
    service_plans: [],
  }));

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

async function lmpi(counts: number[]): Promise<Record<string, string>> {
  await sandbox?.close(); // one sandbox per test; a second call replaces the first
  sandbox = await createSandbox({ catalogue: catalogue(counts) });
  const { accessToken, secretKey } = sandbox.credentials.distributor;
  return { LMPI_BASE_URL: sandbox.url, LMPI_ACCESS_TOKEN: accessToken, LMPI_SECRET_KEY: secretKey };
}

describe('licensewatch products', () => {
  it('prints an aligned table, filters and sorts', async () => {
    const env = await lmpi([500, 1200, 30]);
    const run = await licensewatch(['products', '--sort', 'available'], env);
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^CODE\s+NAME\s+TYPE\s+VERSION\s+AVAILABLE\s+PLANS\s+LEVEL$/);
    expect(lines.slice(1).map((l) => l.split(/\s{2,}/)[0])).toEqual(['CLI2XXXXX', 'CLI0XXXXX', 'CLI1XXXXX']);
    expect(lines.slice(1).map((l) => l.split(/\s{2,}/).at(-1))).toEqual(['LOW', 'OK', 'OK']); // 30 is at or below 100
    expect(lines[2]?.indexOf('500')).toBe((lines[3] ?? '').indexOf('1,200') + 2); // right-aligned counts
    const filtered = await licensewatch(['products', '--filter', 'product b'], env);
    expect(filtered.stdout.trimEnd().split('\n')).toHaveLength(2);
    expect(filtered.stderr).toContain('1 of 3 products');
  });

  it('prints JSON that parses, and drift warnings on stderr', async () => {
    const env = await lmpi([500, 80]);
    sandbox?.controls.injectFault({ kind: 'schema-drift', drift: ['lowercase-version'] });
    const run = await licensewatch(['products', '--json'], env);
    expect(run.code).toBe(0);
    const body = JSON.parse(run.stdout);
    expect(body.products.map((p: { productCode: string; version: string }) => [p.productCode, p.version])).toEqual([
      ['CLI0XXXXX', 'Full'],
      ['CLI1XXXXX', 'Trial'],
    ]);
    expect(run.stderr).toContain('warning: LMPI drift: product CLI0XXXXX');
  });

  it('shows a product listed twice once, with the larger count, and warns naming its id', async () => {
    const [first, second] = catalogue([500, 80]) as [StoredProduct, StoredProduct];
    sandbox = await createSandbox({ catalogue: [{ ...first, available: 0 }, second, first] });
    const { accessToken, secretKey } = sandbox.credentials.distributor;
    const env = { LMPI_BASE_URL: sandbox.url, LMPI_ACCESS_TOKEN: accessToken, LMPI_SECRET_KEY: secretKey };
    const run = await licensewatch(['products', '--json'], env);
    expect(run.code).toBe(0);
    const { products } = JSON.parse(run.stdout) as { products: { productCode: string; available: number }[] };
    expect(products.map((p) => [p.productCode, p.available])).toEqual([
      ['CLI0XXXXX', 500],
      ['CLI1XXXXX', 80],
    ]);
    expect(run.stderr).toContain(`product id ${first.product_id} listed more than once`);
  });

  it('prints CSV (RFC 4180) with the same fields and values as --json', async () => {
    const env = await lmpi([500, 80]);
    const run = await licensewatch(['products', '--csv'], env);
    expect(run.code).toBe(0);
    expect(run.stdout.endsWith('\r\n')).toBe(true);
    const [header, ...rows] = parse(run.stdout, { record_delimiter: '\r\n' }) as string[][];
    const { products } = JSON.parse((await licensewatch(['products', '--json'], env)).stdout) as {
      products: (Record<string, unknown> & { servicePlans: { name: string }[]; levels: Record<string, unknown> })[];
    };
    expect(rows).toHaveLength(products.length);
    products.forEach((product, i) => {
      const row = Object.fromEntries((header ?? []).map((key, j) => [key, rows[i]?.[j]]));
      for (const key of [
        'productId',
        'productCode',
        'productName',
        'type',
        'version',
        'available',
        'level',
        'threshold',
      ])
        expect(row[key], key).toBe(product[key] === undefined || product[key] === null ? '' : String(product[key]));
      for (const [key, value] of Object.entries(product.levels)) expect(row[`levels.${key}`]).toBe(String(value));
      expect(row['servicePlans.name']).toBe(product.servicePlans.map((plan) => plan.name).join('; '));
    });
    expect(rows.map((r) => r[(header ?? []).indexOf('level')])).toEqual(['ok', 'low']);
    const both = await licensewatch(['products', '--csv', '--json'], env);
    expect(both.code).toBe(64);
    expect(both.stderr).toContain('--json and --csv cannot be used together');
  });

  it('uses an embedded sandbox, and says so, when no LMPI settings are given', async () => {
    const run = await licensewatch(['products', '--json']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('using an embedded sandbox');
    expect(JSON.parse(run.stdout).products.length).toBeGreaterThanOrEqual(60);
  });

  it('explains the embedded sandbox demo history with transactions: last month names who drained it', async () => {
    const now = new Date();
    const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
    const run = await licensewatch(['transactions', '--month', month, '--product', 'AAAUXXE1X', '--json']);
    expect(run.code).toBe(0);
    const { transactions } = JSON.parse(run.stdout) as {
      transactions: { customerCompany: string | null; changeUnits: number }[];
    };
    expect(transactions.reduce((sum, t) => sum + t.changeUnits, 0)).toBeGreaterThan(1_000);
    expect(transactions.every((t) => t.customerCompany)).toBe(true);
    const usage = await licensewatch(['usage', '--month', month, '--json']);
    expect(JSON.parse(usage.stdout).summary.length).toBeGreaterThan(0);
  });
});

describe('licensewatch products --filter and --sort urgency', () => {
  it('ignores accents and case in --filter, as /licenses does', async () => {
    const env = await lmpi([500, 1200, 30]);
    const run = await licensewatch(['products', '--filter', 'PRÓDUCT b'], env);
    expect(run.code).toBe(0);
    expect(run.stdout.trimEnd().split('\n').slice(1)).toEqual([expect.stringMatching(/^CLI1XXXXX\s+CLI Product B\s/)]);
    expect(run.stderr).toContain('1 of 3 products');
  });

  it('sorts by urgency and gives each product its level in JSON', async () => {
    const env = await lmpi([500, 80, 5, 90]);
    const run = await licensewatch(['products', '--sort', 'urgency', '--json'], env);
    expect(run.code).toBe(0);
    const { products } = JSON.parse(run.stdout) as { products: { productCode: string; level: string }[] };
    expect(products.map((p) => [p.productCode, p.level])).toEqual([
      ['CLI2XXXXX', 'critical'],
      ['CLI1XXXXX', 'low'],
      ['CLI3XXXXX', 'low'],
      ['CLI0XXXXX', 'ok'],
    ]);
  });
});

describe('threshold overrides set in Slack (DATABASE_URL)', () => {
  async function botDatabase(): Promise<string> {
    const url = `sqlite:${join(mkdtempSync(join(tmpdir(), 'licensewatch-cli-db-')), 'licensewatch.db')}`;
    const store = openStore(url);
    await store.migrate();
    // What `/licenses threshold CLI0XXXXX 600 550` stores.
    await store.rules.setOverride('CLI0XXXXX', { low: 600, critical: 550 }, 'U0ADMIN', Date.now());
    await store.close();
    return url;
  }

  it('judges check and products by the override, as the bot does', async () => {
    const env = { ...(await lmpi([500, 900])), DATABASE_URL: await botDatabase() };
    const check = await licensewatch(['check', '--json'], env);
    expect(check.code).toBe(2);
    expect(JSON.parse(check.stdout).products).toEqual([
      expect.objectContaining({ productCode: 'CLI0XXXXX', level: 'critical', threshold: 550, levelSource: 'override' }),
    ]);
    const text = await licensewatch(['check'], env);
    expect(text.stdout).toContain('CRITICAL CLI0XXXXX  CLI Product A: 500 available (critical at <= 550)');
    const products = await licensewatch(['products', '--json'], env);
    expect(JSON.parse(products.stdout).products[0]).toMatchObject({ productCode: 'CLI0XXXXX', level: 'critical' });
    expect((await licensewatch(['products'], env)).stderr).toContain('1 critical, 0 low');
    // Without DATABASE_URL the same pools are fine.
    expect((await licensewatch(['check'], { ...env, DATABASE_URL: '' })).code).toBe(0);
  });

  it('refuses a database it cannot read with one line and exit 64', async () => {
    const env = await lmpi([500]);
    const dir = mkdtempSync(join(tmpdir(), 'licensewatch-cli-db-'));
    for (const [url, message] of [
      [`sqlite:${join(dir, 'missing.db')}`, 'no such file'],
      ['mysql://db/licensewatch', 'DATABASE_URL must start with sqlite: or postgres://'],
    ] as const) {
      const run = await licensewatch(['check'], { ...env, DATABASE_URL: url });
      expect(run.code, url).toBe(64);
      expect(run.stderr).toContain(
        `licensewatch: DATABASE_URL: cannot read threshold overrides from ${url}: ${message}`,
      );
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
    }
    writeFileSync(join(dir, 'empty.db'), '');
    const empty = await licensewatch(['products'], { ...env, DATABASE_URL: `sqlite:${join(dir, 'empty.db')}` });
    expect(empty.code).toBe(64);
    expect(empty.stderr).toContain('no such table: threshold_override');
  });
});

describe("runways and charts from the bot's history (DATABASE_URL)", () => {
  const DAY = 86_400_000;
  /**
   * A bot database whose history has CLI0XXXXX falling 100 a day for 10 days to `last`; with
   * `aheadHours`, the bot's clock ran that many hours ahead of this machine's (readings up to then).
   */
  async function databaseWithHistory(last: number, aheadHours = 0): Promise<string> {
    const url = `sqlite:${join(mkdtempSync(join(tmpdir(), 'licensewatch-cli-hist-')), 'licensewatch.db')}`;
    const store = openStore(url);
    await store.migrate();
    const now = Date.now();
    for (let hour = 240; hour >= 1 - aheadHours; hour -= 1) {
      const at = now - hour * 3_600_000;
      await store.history.record(
        [
          { productId: '00000000-cccc-4ddd-8eee-000000000000', available: Math.round(last + (100 * hour) / 24) },
          { productId: '00000001-cccc-4ddd-8eee-000000000001', available: 5_000 },
        ],
        at,
        now - 30 * DAY,
      );
    }
    await store.close();
    return url;
  }

  it('adds RATE and RUNWAY columns and rates by the runway, as the bot does', async () => {
    const env = { ...(await lmpi([1_000, 5_000])), DATABASE_URL: await databaseWithHistory(1_000) };
    const run = await licensewatch(['products', '--sort', 'urgency'], env);
    expect(run.code).toBe(0);
    const [head, first, second] = run.stdout.trimEnd().split('\n');
    expect(head).toMatch(/AVAILABLE\s+PLANS\s+LEVEL\s+RATE\s+RUNWAY$/);
    // 1,000 left at 100 a day: ~10 days expected, 8-11 days (80 %); the runway column and the
    // level use the pessimistic end (~9 d), inside the 14-day low runway.
    expect(first).toMatch(/^CLI0XXXXX .* 1,000\s+0\s+LOW\s+~100\/day\s+~9 d$/);
    expect(second).toMatch(/^CLI1XXXXX .*\sOK\s+—\s+—$/); // flat: no rate, no runway
    expect(run.stderr).toContain('0 critical, 1 low');
    expect(run.stderr).not.toContain('DATABASE_URL is not set');
    const json = JSON.parse((await licensewatch(['products', '--json'], env)).stdout);
    const pool = json.products.find((p: { productCode: string }) => p.productCode === 'CLI0XXXXX');
    expect(pool).toMatchObject({
      level: 'low',
      runway: { expected: expect.closeTo(10, 0) },
      perDay: expect.closeTo(100, 0),
    });
    expect(pool.runwayDays).toBe(pool.runway.earliest);
    expect(pool.runway.earliest).toBeLessThan(10);
    expect(pool.runway.latest).toBeGreaterThan(10);
    const check = await licensewatch(['check'], env);
    expect(check.stdout).toContain(
      'LOW      CLI0XXXXX  CLI Product A: 1000 available (runs out in 8-11 days (80 %) at ~100/day)',
    );
    const noHistory = await licensewatch(['products'], { ...env, DATABASE_URL: '' });
    expect(noHistory.stdout).not.toContain('RUNWAY');
    expect(noHistory.stdout).not.toContain('RATE');
    // Said plainly, not silently rated on counts only.
    expect(noHistory.stderr).toContain('no runways or burn rates: DATABASE_URL is not set');
    expect((await licensewatch(['check'], { ...env, DATABASE_URL: '' })).stderr).toContain(
      'DATABASE_URL is not set, so there is no history',
    );
  });

  it('writes the 30-day chart as a PNG', async () => {
    const env = { ...(await lmpi([1_000, 5_000])), DATABASE_URL: await databaseWithHistory(1_000) };
    const file = join(mkdtempSync(join(tmpdir(), 'licensewatch-chart-')), 'cli0.png');
    const run = await licensewatch(['chart', 'cli0xxxxx', '-o', file], env);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(file);
    expect(run.stderr).toContain('241 readings, ~100/day');
    const png = readFileSync(file);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([960, 480]);
    const unknown = await licensewatch(['chart', 'NOPE', '-o', file], env);
    expect(unknown.code).toBe(64);
    expect(unknown.stderr).toContain('no product with code "NOPE"');
    const noDatabase = await licensewatch(['chart', 'CLI0XXXXX', '-o', file], { ...env, DATABASE_URL: '' });
    expect(noDatabase.code).toBe(64);
    expect(noDatabase.stderr).toContain("chart needs the bot's history: set DATABASE_URL");
  });

  it("draws the bot's readings in time order when the bot's clock runs ahead of this machine's", async () => {
    // 242 recorded readings, the last two an hour and two ahead of this machine's clock: the reading
    // just fetched is not added after them (the bot's chart and forecast leave it out too).
    const env = { ...(await lmpi([1_000, 5_000])), DATABASE_URL: await databaseWithHistory(1_000, 2) };
    const file = join(mkdtempSync(join(tmpdir(), 'licensewatch-chart-')), 'cli0.png');
    const run = await licensewatch(['chart', 'CLI0XXXXX', '-o', file], env);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('242 readings, ~100/day');
  });
});

describe('licensewatch check', () => {
  it.each([
    [[500, 900], 0, 'OK'],
    [[500, 80], 1, 'LOW'],
    [[500, 80, 5], 2, 'CRITICAL'],
  ])('counts %j → exit %i (%s)', async (counts, code, status) => {
    const run = await licensewatch(['check'], await lmpi(counts));
    expect(run.code).toBe(code);
    expect(run.stdout).toContain(`licensewatch check: ${status}`);
  });

  it('prints one line per non-ok product, critical first, and JSON that parses', async () => {
    const env = await lmpi([500, 80, 5]);
    const text = await licensewatch(['check'], env);
    expect(text.stdout.split('\n').slice(0, 2)).toEqual([
      'CRITICAL CLI2XXXXX  CLI Product C: 5 available (critical at <= 20)',
      'LOW      CLI1XXXXX  CLI Product B: 80 available (low at <= 100)',
    ]);
    const json = await licensewatch(['check', '--json'], env);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ status: 'critical', counts: { ok: 1, low: 1, critical: 1 } });
  });

  it('takes levels from a threshold file and from flags', async () => {
    const env = await lmpi([500, 80]);
    const dir = mkdtempSync(join(tmpdir(), 'licensewatch-cli-'));
    const file = join(dir, 'thresholds.yaml');
    writeFileSync(
      file,
      'default: { low: 50, critical: 10 }\nproducts:\n  - match: CLI0XXXXX\n    low: 600\n    critical: 550\n',
    );
    const fromFile = await licensewatch(['check', '--thresholds', file], env);
    expect(fromFile.code).toBe(2);
    expect(fromFile.stdout).toContain('CRITICAL CLI0XXXXX');
    expect(fromFile.stdout).not.toContain('CLI1XXXXX');
    expect((await licensewatch(['check', '--low', '10', '--critical', '5'], env)).code).toBe(0);
    // --warning is the deprecated old name of --low: existing cron lines keep working.
    expect((await licensewatch(['check', '--warning', '10', '--critical', '5'], env)).code).toBe(0);
    expect((await licensewatch(['check', '--warning', '600', '--critical', '5'], env)).code).toBe(1);
    writeFileSync(file, 'default: { low: 50, critical: lots }\n');
    const broken = await licensewatch(['check', '--thresholds', file], env);
    expect(broken.code).toBe(64);
    expect(broken.stderr).toContain('thresholds.yaml:1 default.critical: critical must be a number of licenses');
  });

  it('exits 3 on an LMPI error, never reading it as zero licenses', async () => {
    const env = await lmpi([500]);
    sandbox?.controls.injectFault({ kind: 'internal-error', forMs: 60_000 });
    const run = await licensewatch(['check', '--json'], env);
    expect(run.code).toBe(3);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'error', error: { kind: 'server' } });
    expect(run.stderr).toContain('LMPI had an internal error');
    expect(run.stderr).toContain(describeLmpiFailure('server').reason); // the words the bot's notice, /licenses and Home use
    sandbox?.controls.clearFaults();
    sandbox?.controls.injectFault({ kind: 'hang', forMs: 60_000 }); // one stalled request would be retried
    const hung = await licensewatch(['check', '--timeout', '300'], env);
    expect(hung.code).toBe(3);
    expect(hung.stderr).toContain('LMPI did not answer in time');
    const wrongKey = await licensewatch(['check'], { ...env, LMPI_SECRET_KEY: 'wrong' });
    expect(wrongKey.code).toBe(3);
    expect(wrongKey.stderr).toContain('LMPI rejected the credentials');
    expect(wrongKey.stderr).not.toContain('wrong');
  });
});

describe('licensewatch sign', () => {
  it('prints a curl command that the sandbox accepts, without the secret', async () => {
    const env = await lmpi([500]);
    const run = await licensewatch(['sign', 'GET', '/LMPI/v2/partners/product'], env);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain(env.LMPI_SECRET_KEY);
    const { stdout } = await exec('bash', ['-c', run.stdout]);
    expect(JSON.parse(stdout).products).toHaveLength(1);
  });

  it('refuses a bad method, path or body', async () => {
    expect((await licensewatch(['sign', 'FETCH', '/LMPI/x'])).code).toBe(64);
    expect((await licensewatch(['sign', 'GET', 'LMPI/x'])).stderr).toContain('PATH must start with /');
    expect((await licensewatch(['sign', 'POST', '/LMPI/v2/reports/summary', '--body', '{oops'])).stderr).toContain(
      '--body must be JSON',
    );
  });
});

describe('licensewatch usage', () => {
  it('has --help on every command and a version flag', async () => {
    for (const command of ['products', 'check', 'sign', 'sandbox']) {
      const run = await licensewatch([command, '--help']);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`Usage: licensewatch ${command}`);
    }
    expect((await licensewatch(['--version'])).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('answers bad flags and half-given settings with one message and exit 64, no stack trace', async () => {
    const cases = [
      [['products', '--bogus'], {}, "unknown option '--bogus'"],
      [['products', '--sort', 'price'], {}, "argument 'price' is invalid"],
      [['check', '--low', 'x'], {}, '--low must be a whole number'],
      [['check', '--warning', 'x'], {}, '--warning must be a whole number'],
      [['check', '--low', '5', '--critical', '9'], {}, 'must not be above --low'],
      [['check', '--low', '5', '--warning', '6'], {}, 'give --low only'],
      [['products'], { LMPI_BASE_URL: 'https://cspi.trendmicro.com' }, 'missing LMPI_ACCESS_TOKEN'],
      [['products'], { LMPI_BASE_URL: 'cspi', LMPI_ACCESS_TOKEN: 't', LMPI_SECRET_KEY: 's' }, 'is not a URL'],
      [['nonsense'], {}, "unknown command 'nonsense'"],
    ] as const;
    for (const [args, env, message] of cases) {
      const run = await licensewatch([...args], { ...env });
      expect(run.code, args.join(' ')).toBe(64);
      expect(run.stderr).toContain(message);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('runs the sandbox on a given port until interrupted', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(bin, ['sandbox', '--port', '0']);
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(out)), 10_000);
      child.stdout.on('data', () => {
        if (out.includes('try:')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1] ?? '';
    const run = await licensewatch(['products', '--json'], {
      LMPI_BASE_URL: url,
      LMPI_ACCESS_TOKEN: /LMPI_ACCESS_TOKEN=(\S+)/.exec(out)?.[1] ?? '',
      LMPI_SECRET_KEY: /LMPI_SECRET_KEY=(\S+)/.exec(out)?.[1] ?? '',
    });
    expect(run.code).toBe(0);
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });
});

describe('licensewatch check --quiet (cron mails only on trouble)', () => {
  it('prints nothing at all when every product is ok, even on the embedded sandbox', async () => {
    const ok = await licensewatch(['check', '--quiet'], await lmpi([500, 900]));
    expect(ok).toEqual({ code: 0, stdout: '', stderr: '' });
    const json = await licensewatch(['check', '--quiet', '--json'], await lmpi([500, 900]));
    expect(json).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('still prints the products in trouble, and errors', async () => {
    const env = await lmpi([500, 80]);
    const low = await licensewatch(['check', '-q'], env);
    expect(low.code).toBe(1);
    expect(low.stdout).toContain('LOW      CLI1XXXXX');
    sandbox?.controls.injectFault({ kind: 'internal-error', forMs: 60_000 });
    const failing = await licensewatch(['check', '--quiet'], env);
    expect(failing.code).toBe(3);
    expect(failing.stderr).toContain('LMPI had an internal error');
  });
});

describe('colour and NO_COLOR', () => {
  const ESC = '\x1b[';
  it('colours levels with FORCE_COLOR, and never with NO_COLOR', async () => {
    const env = await lmpi([500, 80, 5]);
    const coloured = await licensewatch(['check'], { ...env, FORCE_COLOR: '1' });
    expect(coloured.stdout).toContain(`${ESC}31mCRITICAL`);
    expect(coloured.stdout).toContain(`${ESC}33mLOW`);
    for (const args of [['check'], ['products'], ['--help'], ['check', '--help']]) {
      const plain = await licensewatch(args, { ...env, FORCE_COLOR: '1', NO_COLOR: '1' });
      expect(`${plain.stdout}${plain.stderr}`, args.join(' ')).not.toContain(ESC);
    }
  });
});

describe('licensewatch completion', () => {
  /** What bash completes for the words typed so far (the last one may be partial). */
  function bashComplete(script: string, typed: string[]): string[] {
    const words = typed.map((w) => `'${w}'`).join(' ');
    const program = `${script}\nCOMP_WORDS=(licensewatch ${words}); COMP_CWORD=${typed.length}; _licensewatch; printf '%s\\n' "\${COMPREPLY[@]}"`;
    return execFileSync('bash', ['-c', program], { encoding: 'utf8' }).split('\n').filter(Boolean);
  }

  it('bash completion lists the subcommands, their options and option choices', async () => {
    const run = await licensewatch(['completion', 'bash']);
    expect(run.code).toBe(0);
    expect(bashComplete(run.stdout, [''])).toEqual(
      expect.arrayContaining(['products', 'check', 'chart', 'sign', 'sandbox', 'completion', '--env-file']),
    );
    expect(bashComplete(run.stdout, ['ch'])).toEqual(['check', 'chart']);
    expect(bashComplete(run.stdout, ['check', '--q'])).toEqual(['--quiet']);
    expect(bashComplete(run.stdout, ['products', '--sort', ''])).toEqual(['available', 'name', 'urgency']);
    expect(bashComplete(run.stdout, ['completion', ''])).toEqual(['--help', 'bash', 'zsh', 'fish']);
  });

  it('writes zsh and fish scripts from the same commands, and refuses other shells', async () => {
    const zsh = await licensewatch(['completion', 'zsh']);
    expect(zsh.stdout).toMatch(/^#compdef licensewatch/);
    const fish = await licensewatch(['completion', 'fish']);
    for (const command of ['products', 'check', 'sign', 'sandbox', 'completion']) {
      expect(zsh.stdout).toContain(`'${command}:`);
      expect(fish.stdout).toContain(`-a ${command} `);
    }
    expect(fish.stdout).toContain("-l sort -xa 'available name urgency'");
    const bad = await licensewatch(['completion', 'powershell']);
    expect(bad.code).toBe(64);
  });
});

describe('settings files', () => {
  it('loads .env from the working directory, and the real environment wins over it', async () => {
    const env = await lmpi([500, 900]);
    const dir = mkdtempSync(join(tmpdir(), 'licensewatch-dotenv-'));
    const lines = Object.entries(env).map(([key, value]) => `${key}=${value}`);
    writeFileSync(join(dir, '.env'), `${lines.join('\n')}\n`);
    const fromFile = await licensewatch(['check'], {}, dir);
    expect(fromFile.code).toBe(0);
    expect(fromFile.stderr).not.toContain('embedded sandbox'); // the file's LMPI_* were used
    const overridden = await licensewatch(['check'], { LMPI_SECRET_KEY: 'wrong' }, dir);
    expect(overridden.code).toBe(3);
    expect(overridden.stderr).toContain('LMPI rejected the credentials');
  });

  it('loads --env-file PATH before or after the command, and refuses a missing one', async () => {
    const env = await lmpi([500, 80]);
    const dir = mkdtempSync(join(tmpdir(), 'licensewatch-envfile-'));
    const file = join(dir, 'prod.env');
    writeFileSync(
      file,
      Object.entries(env)
        .map(([key, value]) => `${key}=${value}\n`)
        .join(''),
    );
    expect((await licensewatch(['--env-file', file, 'check'])).code).toBe(1);
    expect((await licensewatch(['check', `--env-file=${file}`])).code).toBe(1);
    // Node 24 itself acts on --env-file anywhere in argv (after the script too): it loads an existing
    // file (same precedence: the environment wins) and stops at a missing one with exit 9 and
    // "node: PATH: not found" before the CLI runs. Where Node lets it through, the CLI exits 64.
    const missing = await licensewatch(['check', '--env-file', join(dir, 'nope.env')]);
    expect([9, 64]).toContain(missing.code);
    expect(missing.stderr).toMatch(/nope\.env: (not found|no such file)/);
    expect(missing.stdout).toBe('');
  });
});
