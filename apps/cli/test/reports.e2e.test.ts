import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createSandbox, type Sandbox, type StoredProduct } from '@licensewatch/lmpi-sandbox';
import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it } from 'vitest';

// `licensewatch transactions` and `licensewatch usage`, run as the built binary against the sandbox.

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const exec = promisify(execFile);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function licensewatch(args: string[], env: Record<string, string>): Promise<Run> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('LMPI_')));
  try {
    const { stdout, stderr } = await exec(bin, args, { env: { ...base, ...env }, timeout: 20_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const products: StoredProduct[] = [
  {
    product_id: '00000000-dddd-4eee-8fff-000000000001',
    product_code: 'RPTAXXXXX',
    product_name: 'Report Product A',
    type: 'SaaS',
    version: 'Full',
    available: 900,
    service_plans: [],
  },
  {
    product_id: '00000000-dddd-4eee-8fff-000000000002',
    product_code: 'RPTBXXXXX',
    product_name: 'Report Product B',
    type: 'Software', // reports no usage
    version: 'Full',
    available: 900,
    service_plans: [],
  },
];

// Names with a comma, double quotes, an apostrophe and ampersand, umlauts and Japanese.
const SEEDED = [
  { customer: 'Acme, Inc.', product: 'RPTAXXXXX', changeUnits: 40 },
  { customer: 'Café "Le Rendez-vous" SARL', product: 'RPTAXXXXX', changeUnits: 25 },
  { customer: 'Müller & Söhne GmbH', product: 'RPTBXXXXX', changeUnits: 12 },
  { customer: '株式会社サンプル商事', product: 'RPTBXXXXX', changeUnits: 7 },
  { customer: "O'Connor & Partners LLP", product: 'RPTAXXXXX', changeUnits: 5 },
  { customer: "O'Connor & Partners LLP", product: 'RPTAXXXXX', changeUnits: -3 },
];

const MONTH = (() => {
  const now = new Date();
  return { at: Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1, 6), text: now.toISOString().slice(0, 7) };
})();

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

async function lmpi(role: 'distributor' | 'msp' | 'reseller' = 'distributor'): Promise<Record<string, string>> {
  sandbox = await createSandbox({ catalogue: products });
  sandbox.controls.seedTransactions(SEEDED.map((seed) => ({ ...seed, at: MONTH.at })));
  const { accessToken, secretKey } = sandbox.credentials[role];
  return { LMPI_BASE_URL: sandbox.url, LMPI_ACCESS_TOKEN: accessToken, LMPI_SECRET_KEY: secretKey };
}

/** RFC 4180 as spreadsheets read it: CRLF after every record, no bare LF or CR. */
function expectCrlf(csv: string): void {
  expect(csv.endsWith('\r\n')).toBe(true);
  expect(csv.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
}

describe('licensewatch transactions', () => {
  it('writes CSV that a CSV parser reads back exactly, names with commas, quotes and non-ASCII included', async () => {
    const env = await lmpi();
    const run = await licensewatch(['transactions', '--month', MONTH.text, '--csv'], env);
    expect(run.code).toBe(0);
    expectCrlf(run.stdout);
    const records = parse(run.stdout, { columns: true, record_delimiter: '\r\n' }) as Record<string, string>[];
    expect(records.map((r) => [r.customer_company, r.product_name, r.change_units])).toEqual(
      SEEDED.map((s) => [
        s.customer,
        s.product === 'RPTAXXXXX' ? 'Report Product A' : 'Report Product B',
        String(s.changeUnits),
      ]),
    );
    expect(Object.keys(records[0] ?? {})).toContain('new_start_charge_date');
  });

  it('resolves --product CODE to its id and prints JSON; an unknown code is a usage error', async () => {
    const env = await lmpi();
    const run = await licensewatch(['transactions', '--month', MONTH.text, '--product', 'rptbxxxxx', '--json'], env);
    expect(run.code).toBe(0);
    const body = JSON.parse(run.stdout);
    expect(body.productId).toBe(products[1]?.product_id);
    expect(body.transactions.map((t: { customerCompany: string }) => t.customerCompany)).toEqual([
      'Müller & Söhne GmbH',
      '株式会社サンプル商事',
    ]);
    // The code was looked up in the product list, then the report asked for that product id only.
    expect(sandbox?.requests.map((r) => r.path)).toEqual([
      '/LMPI/v2/partners/product',
      '/LMPI/v2/reports/transactions',
    ]);

    const unknown = await licensewatch(['transactions', '--month', MONTH.text, '--product', 'NOSUCHXXX'], env);
    expect(unknown.code).toBe(64);
    expect(unknown.stderr.trim().split('\n')).toEqual([
      'licensewatch: --product: LMPI lists no product with code "NOSUCHXXX" (licensewatch products lists them)',
    ]);
  });

  it('exits 64 with one line for a bad or out-of-range month, and 3 (no table) when LMPI fails', async () => {
    const env = await lmpi();
    for (const month of ['2025-13', 'July', '2099-01']) {
      const run = await licensewatch(['transactions', '--month', month], env);
      expect(run.code).toBe(64);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stdout).toBe('');
    }
    sandbox?.controls.injectFault({ kind: 'internal-error', forMs: 60_000 });
    const failed = await licensewatch(['transactions', '--month', MONTH.text, '--csv', '--timeout', '2000'], env);
    expect(failed.code).toBe(3);
    expect(failed.stdout).toBe('');
    expect(failed.stderr).toContain('LMPI had an internal error');
  });

  it('explains a role LMPI refuses (Reseller), as for products', async () => {
    const env = await lmpi('reseller');
    const run = await licensewatch(['transactions', '--month', MONTH.text], env);
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Use Distributor, ISP or MSP credentials');
  });
});

describe('licensewatch usage', () => {
  it('writes CSV and JSON: provisioned vs used, not reported left empty (never 0)', async () => {
    const env = await lmpi('msp'); // MSPs get the same rows: no report field is pricing
    const csv = await licensewatch(['usage', '--month', MONTH.text, '--csv'], env);
    expect(csv.code).toBe(0);
    expectCrlf(csv.stdout);
    const records = parse(csv.stdout, { columns: true, record_delimiter: '\r\n' }) as Record<string, string>[];
    const muller = records.find((r) => r.customer === 'Müller & Söhne GmbH');
    expect(muller).toMatchObject({
      product_name: 'Report Product B',
      provisioned: '12',
      used: '',
      usage: 'not-reported',
    });
    expect(records.find((r) => r.customer === 'Café "Le Rendez-vous" SARL')).toMatchObject({
      provisioned: '25',
      usage: 'reported',
    });

    const json = await licensewatch(['usage', '--month', MONTH.text, '--json', '--customer', 'MULLER'], env);
    expect(json.code).toBe(0);
    const body = JSON.parse(json.stdout);
    expect(body.summary).toHaveLength(1);
    expect(body.summary[0]).toMatchObject({ customer: 'Müller & Söhne GmbH', used: null, usage: 'not-reported' });
    expect(body.totals).toEqual([
      { productName: 'Report Product B', customers: 1, provisioned: 12, used: 0, reporting: 0 },
    ]);
  });
});
