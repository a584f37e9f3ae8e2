import { randomUUID } from 'node:crypto';
import { createLmpiClient, isLmpiHttpError, type LmpiApiVersion } from '@licensewatch/client';
import { lmpiHeaders } from '@licensewatch/client/signer';
import { productServicePlans } from '@licensewatch/schema';
import { afterEach, describe, expect, it } from 'vitest';
import { VISION_ONE_PRODUCT_CODE } from '../src/fixtures.js';
import { createSandbox, type Sandbox } from '../src/index.js';

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

const START = Date.UTC(2025, 6, 15, 12);

async function start() {
  const clock = { now: START };
  sandbox = await createSandbox({ now: () => clock.now });
  return { box: sandbox, clock };
}

function client(box: Sandbox, apiVersion: LmpiApiVersion, now: () => number) {
  const { accessToken, secretKey } = box.credentials.distributor;
  return createLmpiClient({ baseUrl: box.url, accessToken, secretKey, apiVersion, now, retry: false });
}

/** A GET signed over `signedPath` but sent to `sentPath`. */
async function rawGet(box: Sandbox, sentPath: string, signedPath = sentPath, now = START) {
  const { accessToken, secretKey } = box.credentials.distributor;
  const headers = lmpiHeaders({
    accessToken,
    secretKey,
    traceId: randomUUID(),
    posixTime: Math.floor(now / 1000),
    method: 'GET',
    uri: signedPath,
  });
  const response = await fetch(box.url + sentPath, { headers });
  return { status: response.status, text: await response.text() };
}

describe('LMPI v2 and v3 side by side', () => {
  it('lists the same products with the same ids; only v3 lists the Trend Vision One plans', async () => {
    const { box, clock } = await start();
    const v2 = await client(box, 'v2', () => clock.now).listProducts();
    const v3 = await client(box, 'v3', () => clock.now).listProducts();
    expect(v3.products.map((p) => [p.productId, p.available])).toEqual(
      v2.products.map((p) => [p.productId, p.available]),
    );
    const pool2 = v2.products.find((p) => p.productCode === VISION_ONE_PRODUCT_CODE);
    const pool3 = v3.products.find((p) => p.productCode === VISION_ONE_PRODUCT_CODE);
    expect(pool2?.productName).toMatch(/Vision One/);
    expect(pool2?.servicePlans).toEqual([]);
    expect(pool3?.servicePlans).toHaveLength(3);
    expect(v2.warnings).toEqual([]);
    expect(v3.warnings).toEqual([]); // the sandbox's marker is never served
    const plans2 = await client(box, 'v2', () => clock.now).listServicePlans();
    const plans3 = await client(box, 'v3', () => clock.now).listServicePlans();
    expect(plans2.warnings).toEqual([]);
    expect(plans3.servicePlans.length - plans2.servicePlans.length).toBeGreaterThanOrEqual(3);
    const joined = productServicePlans(pool3 as NonNullable<typeof pool3>, plans3.servicePlans);
    expect(joined.map((p) => [p.visionOne, p.listedIn.length, p.details?.dataCenterCode])).toEqual([
      [true, 2, 'US'],
      [true, 2, 'US'],
      [true, 2, 'US'],
    ]);
    // A plan's details agree with its name ("… Full 12 months #1": full, 12 months).
    for (const plan of joined)
      expect(plan.name).toContain(`${plan.details?.version} ${plan.details?.initialLicensePeriodMonths} months`);
  });

  it('checks v3 signatures over the v3 path, like v2', async () => {
    const { box } = await start();
    expect((await rawGet(box, '/LMPI/v3/partners/product')).status).toBe(200);
    const crossed = await rawGet(box, '/LMPI/v3/partners/product', '/LMPI/v2/partners/product');
    expect(crossed.status).toBe(401);
    expect(JSON.parse(crossed.text).error_subject).toBe('AuthenticationFailureSignature');
    const stale = await rawGet(box, '/LMPI/v3/me/serviceplans', undefined, START - 20 * 60_000);
    expect(JSON.parse(stale.text).error_subject).toBe('AuthenticationFailurePosixTime');
    const unknown = await rawGet(box, '/LMPI/v4/partners/product');
    expect(unknown.status).toBe(404);
  });

  it('injects faults on v3 paths too', async () => {
    const { box, clock } = await start();
    box.controls.injectFault({ kind: 'internal-error', count: 1 });
    const error = await client(box, 'v3', () => clock.now)
      .listProducts()
      .catch((e: unknown) => e);
    expect(isLmpiHttpError(error, 'InternalError')).toBe(true);
    expect(box.requests.at(-1)).toMatchObject({
      path: '/LMPI/v3/partners/product',
      status: 500,
      fault: 'internal-error',
    });
  });

  it('plays a Vision One pool draining: v3 sees it fall and the v3 report says who took the licenses', async () => {
    const { box, clock } = await start();
    const lmpi = client(box, 'v3', () => clock.now);
    const before = (await lmpi.listProducts()).products.find((p) => p.productCode === VISION_ONE_PRODUCT_CODE);
    box.controls.setAvailable(VISION_ONE_PRODUCT_CODE, 120);
    box.controls.drain(VISION_ONE_PRODUCT_CODE, 10);
    clock.now += 11 * 60_000;
    const after = (await lmpi.listProducts()).products.find((p) => p.productCode === VISION_ONE_PRODUCT_CODE);
    expect(before?.available).toBeGreaterThan(120);
    expect(after?.available).toBe(10);
    const { transactions } = await lmpi.reportTransactions({ year: 2025, month: 7, productId: after?.productId ?? '' });
    const drained = transactions.reduce((sum, t) => sum + t.changeUnits, 0);
    expect(drained).toBe((before?.available ?? 0) - 10);
    expect(new Set(transactions.map((t) => t.productName))).toEqual(new Set([after?.productName]));
    const { summary } = await lmpi.reportCustomerSummary({ year: 2025, month: 7, productId: after?.productId ?? '' });
    expect(summary.reduce((sum, row) => sum + row.provisioned, 0)).toBe(drained);
    expect(box.requests.map((r) => `${r.path} ${r.status}`)).toEqual(
      expect.arrayContaining(['/LMPI/v3/reports/transactions 200', '/LMPI/v3/reports/summary 200']),
    );
  });
});
