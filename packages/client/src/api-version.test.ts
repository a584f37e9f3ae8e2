import { createHash, createHmac } from 'node:crypto';
import {
  distributorProductListResponse,
  sampleTransactionReportResponse,
  visionOneServicePlanListResponse,
} from '@licensewatch/schema/fixtures';
import { afterEach, describe, expect, it } from 'vitest';
import { type RecordedRequest, sendJson, startStub } from '../test/stub-server.js';
import { lmpiPaths, parseLmpiApiVersion } from './api-version.js';
import { createLmpiClient } from './client.js';
import { LmpiConfigError } from './errors.js';

const accessToken = '0f8e3c1a-7b2d-4e6f-9a10-b2c3d4e5f6a7';
const secretKey = 'licensewatch-v3-test-secret';
const NOW = Date.UTC(2025, 6, 15, 12);

let stub: Awaited<ReturnType<typeof startStub>> | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
});

/** Independent check of a recorded request's signature over the path it was sent to. */
function signedOver(request: RecordedRequest): boolean {
  const digest = request.body ? createHash('md5').update(request.body).digest('base64') : '';
  const text = `${request.headers['x-posix-time']}${request.method}${request.url}${digest}`;
  return request.headers['x-signature'] === createHmac('sha256', secretKey).update(text).digest('base64');
}

describe('LMPI API version', () => {
  it('sends and signs every v3 request over its /LMPI/v3 path, parsing the same types', async () => {
    stub = await startStub((req, res) => {
      if (req.url.endsWith('/partners/product')) sendJson(res, 200, distributorProductListResponse);
      else if (req.url.endsWith('/me/serviceplans')) sendJson(res, 200, visionOneServicePlanListResponse);
      else if (req.url.endsWith('/reports/transactions')) sendJson(res, 200, sampleTransactionReportResponse);
      else sendJson(res, 200, { summary: [] });
    });
    const client = createLmpiClient({ baseUrl: stub.url, accessToken, secretKey, apiVersion: 'v3', now: () => NOW });
    expect(client.apiVersion).toBe('v3');
    const products = await client.listProducts();
    const plans = await client.listServicePlans();
    await client.reportTransactions({ year: 2025, month: 7 });
    await client.reportCustomerSummary({ year: 2025, month: 7 });
    expect(stub.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /LMPI/v3/partners/product',
      'GET /LMPI/v3/me/serviceplans',
      'POST /LMPI/v3/reports/transactions',
      'POST /LMPI/v3/reports/summary',
    ]);
    expect(stub.requests.every(signedOver)).toBe(true);
    expect(products.products.length).toBe(distributorProductListResponse.products.length);
    expect(plans.servicePlans.map((p) => p.name)).toContain('Trend Vision One Full 12 months');
    expect(plans.warnings).toEqual([]);
  });

  it('defaults to v2', async () => {
    stub = await startStub((_req, res) => sendJson(res, 200, distributorProductListResponse));
    const client = createLmpiClient({ baseUrl: stub.url, accessToken, secretKey });
    await client.listProducts();
    expect(client.apiVersion).toBe('v2');
    expect(stub.requests[0]?.url).toBe('/LMPI/v2/partners/product');
    expect(signedOver(stub.requests[0] as RecordedRequest)).toBe(true);
  });

  it('warns (and keeps the plan) when a v2 service plan list carries a Vision One plan', async () => {
    stub = await startStub((_req, res) => sendJson(res, 200, visionOneServicePlanListResponse));
    const client = createLmpiClient({ baseUrl: stub.url, accessToken, secretKey, apiVersion: 'v2' });
    const { servicePlans, warnings } = await client.listServicePlans();
    expect(servicePlans).toHaveLength(3);
    expect(warnings.map((w) => w.field)).toEqual(['name']);
  });

  it('refuses an unknown version with a configuration error naming the allowed values', () => {
    expect(() =>
      createLmpiClient({ baseUrl: 'https://cspi.trendmicro.com', accessToken, secretKey, apiVersion: 'v4' as 'v3' }),
    ).toThrow(LmpiConfigError);
    expect(() => lmpiPaths('V3' as 'v3')).toThrow('apiVersion must be v2 or v3, got "V3"');
    expect(() => parseLmpiApiVersion('3')).toThrow('LMPI_API_VERSION must be v2 or v3');
    expect(() => parseLmpiApiVersion('v2.5', '--api-version')).toThrow(/^--api-version must be v2 or v3.*"v2\.5"/);
  });

  it('reads blank as the default, and v2/v3 in any case', () => {
    expect(parseLmpiApiVersion(undefined)).toBe('v2');
    expect(parseLmpiApiVersion(' ')).toBe('v2');
    expect(parseLmpiApiVersion(' V3 ')).toBe('v3');
    expect(lmpiPaths('v3')).toEqual({
      productList: '/LMPI/v3/partners/product',
      servicePlanList: '/LMPI/v3/me/serviceplans',
      transactionReport: '/LMPI/v3/reports/transactions',
      customerSummary: '/LMPI/v3/reports/summary',
    });
  });
});
