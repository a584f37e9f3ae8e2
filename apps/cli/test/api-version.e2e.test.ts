import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createSandbox, type Sandbox } from '@licensewatch/lmpi-sandbox';
import { VISION_ONE_PRODUCT_CODE } from '@licensewatch/lmpi-sandbox/fixtures';
import { afterEach, describe, expect, it } from 'vitest';

// LMPI_API_VERSION / --api-version, run through the built binary as cron and CI run it.

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const exec = promisify(execFile);

async function licensewatch(args: string[], env: Record<string, string> = {}) {
  const base = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(LMPI_|NO_COLOR$)/.test(key)));
  try {
    const { stdout, stderr } = await exec(bin, args, { env: { ...base, ...env }, timeout: 20_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

async function lmpi(): Promise<Record<string, string>> {
  sandbox = await createSandbox();
  const { accessToken, secretKey } = sandbox.credentials.distributor;
  return { LMPI_BASE_URL: sandbox.url, LMPI_ACCESS_TOKEN: accessToken, LMPI_SECRET_KEY: secretKey };
}

interface PlanRowJson {
  productCode: string;
  plan: { name: string; visionOne: boolean; listedIn: string[]; details: { dataCenterCode: string } | null };
}

describe('LMPI API version in the CLI', () => {
  it('lists Trend Vision One plans with v3 (env), signed over /LMPI/v3 paths', async () => {
    const env = await lmpi();
    const run = await licensewatch(['plans', '--product', VISION_ONE_PRODUCT_CODE, '--json'], {
      ...env,
      LMPI_API_VERSION: 'v3',
    });
    expect(run.code).toBe(0);
    const body = JSON.parse(run.stdout) as { apiVersion: string; plans: PlanRowJson[] };
    expect(body.apiVersion).toBe('v3');
    expect(body.plans).toHaveLength(3);
    expect(body.plans.every((r) => r.plan.visionOne && r.plan.details?.dataCenterCode === 'US')).toBe(true);
    expect(run.stderr).toContain('3 service plans (3 Trend Vision One) · LMPI v3');
    expect(sandbox?.requests.map((r) => `${r.path} ${r.status}`)).toEqual([
      '/LMPI/v3/partners/product 200',
      '/LMPI/v3/me/serviceplans 200',
    ]);
  });

  it('says v2 leaves Vision One plans out, and --api-version beats the environment', async () => {
    const env = await lmpi();
    const v2 = await licensewatch(['plans', '--product', VISION_ONE_PRODUCT_CODE, '--csv'], env);
    expect(v2.code).toBe(0);
    expect(v2.stdout.split('\r\n')[0]).toBe(
      'product_code,product_name,service_plan_id,service_plan,vision_one,version,initial_license_period_month,data_center,auto_renewal,listed_in',
    );
    expect(v2.stdout.split('\r\n').filter(Boolean)).toHaveLength(1); // the header only
    expect(v2.stderr).toContain('LMPI v2 leaves Trend Vision One plans out: --api-version v3');
    const v3 = await licensewatch(['plans', '--csv', '--api-version', 'v3'], { ...env, LMPI_API_VERSION: 'v2' });
    const rows = v3.stdout.split('\r\n').filter((line) => line.startsWith(`${VISION_ONE_PRODUCT_CODE},`));
    expect(rows).toHaveLength(3);
    expect(
      rows.every((row) =>
        /,yes,(Full|Trial),(12|24|36),United States,(true|false),product-list\+service-plan-list$/.test(row),
      ),
    ).toBe(true);
  });

  it('shows the Vision One plans in products --json with v3 only', async () => {
    const env = await lmpi();
    const poolPlans = async (version: string) => {
      const run = await licensewatch(['products', '--json', '--api-version', version], env);
      const { products } = JSON.parse(run.stdout) as {
        products: { productCode: string; servicePlans: { visionOne: boolean }[] }[];
      };
      return products.find((p) => p.productCode === VISION_ONE_PRODUCT_CODE)?.servicePlans;
    };
    expect(await poolPlans('v2')).toEqual([]);
    const v3 = await poolPlans('v3');
    expect(v3).toHaveLength(3);
    expect(v3?.every((p) => p.visionOne)).toBe(true);
  });

  it('signs curl commands for either version (the README check): v3 lists the Vision One plans v2 leaves out', async () => {
    const env = await lmpi();
    const count = async (version: string) => {
      const run = await licensewatch(['sign', 'GET', `/LMPI/${version}/me/serviceplans`], env);
      expect(run.code).toBe(0);
      const { stdout } = await exec('bash', ['-c', run.stdout]);
      return (JSON.parse(stdout) as { name: string }[]).filter((plan) => /Vision One/.test(plan.name)).length;
    };
    expect(await count('v2')).toBe(0);
    expect(await count('v3')).toBeGreaterThanOrEqual(3);
    expect(sandbox?.requests.map((r) => `${r.path} ${r.status}`)).toEqual([
      '/LMPI/v2/me/serviceplans 200',
      '/LMPI/v3/me/serviceplans 200',
    ]);
  });

  it('refuses an unknown version with exit 64, naming the allowed values', async () => {
    const env = await lmpi();
    for (const [args, extra] of [
      [['products', '--api-version', 'v4'], {}],
      [['check'], { LMPI_API_VERSION: '3' }],
    ] as const) {
      const run = await licensewatch([...args], { ...env, ...extra });
      expect(run.code).toBe(64);
      expect(run.stderr).toMatch(/LMPI_API_VERSION \/ --api-version must be v2 or v3/);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
    expect(sandbox?.requests).toEqual([]);
  });
});
