import { createHash, createHmac } from 'node:crypto';
import {
  monthCustomerSummaryResponse,
  monthTransactionReportResponse,
  sampleTransactionReportResponse,
} from '@licensewatch/schema/fixtures';
import { afterEach, describe, expect, it } from 'vitest';
import { type RecordedRequest, sendJson, startStub } from '../test/stub-server.js';
import { createLmpiClient } from './client.js';
import { isLmpiHttpError, LmpiConfigError, lmpiFailureKind } from './errors.js';
import { DEFAULT_RETRY_POLICY } from './retry.js';
import { LmpiTransport } from './transport.js';

const accessToken = '0f8e3c1a-7b2d-4e6f-9a10-b2c3d4e5f6a7';
const secretKey = 'licensewatch-report-secret';
const PRODUCT_ID = '1b6c4e7a-93d2-4f0b-8c55-0a7e2d9f4b13';
const PARTNER_ID = '6c1f8a52-4d1e-4b8e-9a57-2f0d3c9e8b41';
/** 15 July 2025, 12:00 UTC: the client's "now" in these tests. */
const NOW = Date.UTC(2025, 6, 15, 12);

type Stub = Awaited<ReturnType<typeof startStub>>;
let stub: Stub | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
});

async function serve(handler: Parameters<typeof startStub>[0]): Promise<Stub> {
  stub = await startStub(handler);
  return stub;
}

function client(url: string, extra: Partial<Parameters<typeof createLmpiClient>[0]> = {}) {
  return createLmpiClient({
    baseUrl: url,
    accessToken,
    secretKey,
    now: () => NOW,
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
    ...extra,
  });
}

/** Independent check (node:crypto only): HMAC over time + METHOD + path + Base64(MD5(received body bytes)). */
function signatureOverBody(request: RecordedRequest): { valid: boolean; md5: string } {
  const md5 = createHash('md5').update(Buffer.from(request.body, 'utf8')).digest('base64');
  const expected = createHmac('sha256', secretKey)
    .update(`${request.headers['x-posix-time']}${request.method}${request.url}${md5}`)
    .digest('base64');
  return { valid: request.headers['x-signature'] === expected, md5 };
}

async function configError(run: () => Promise<unknown>): Promise<LmpiConfigError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof LmpiConfigError) return error;
    throw error;
  }
  throw new Error('expected an LmpiConfigError');
}

describe('reportTransactions', () => {
  it('POSTs exactly the documented body, signed over its MD5, and returns camelCase rows with numbers', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, monthTransactionReportResponse));
    const result = await client(server.url).reportTransactions({
      year: 2025,
      month: 7,
      productId: PRODUCT_ID,
      type: 'License Change',
      languageCode: 'de-DE',
      timeZone: 'W. Europe Standard Time',
    });
    const [request] = server.requests as [RecordedRequest];
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/LMPI/v2/reports/transactions');
    expect(request.body).toBe(
      '{"report_cycle_year":"2025","report_cycle_month":"07","transaction_type":"License Change",' +
        `"product_id":"${PRODUCT_ID}","language_code":"de-DE","time_zone":"W. Europe Standard Time"}`,
    );
    expect(request.headers['content-type']).toMatch(/^application\/json/);
    // Digest computed independently: printf '%s' BODY | openssl md5 -binary | base64
    expect(signatureOverBody(request)).toEqual({ valid: true, md5: 'pnRzGheYneTGqYb2VfDeZQ==' });
    expect(result.traceId).toBe(request.headers['x-traceid']);
    expect(result.warnings).toEqual([]);
    expect(result.transactions[0]).toMatchObject({
      type: 'New Purchase',
      customerCompany: 'Müller & Söhne GmbH',
      productName: 'Worry-Free Business Security Services',
      previousUnitsAllocated: 0,
      unitsAllocated: 25,
      changeUnits: 25,
      unit: 'unit(s)',
      vendorCompanyName: 'Northwind Managed Services Ltd',
    });
    expect(result.transactions.map((t) => t.changeUnits)).toEqual([25, 40, 5, -4, 0, 15, 2]);
  });

  it('leaves out filters that were not given and zero-pads the month', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, sampleTransactionReportResponse));
    const { transactions } = await client(server.url).reportTransactions({ year: 2025, month: 3 });
    expect(server.requests[0]?.body).toBe('{"report_cycle_year":"2025","report_cycle_month":"03"}');
    expect(signatureOverBody(server.requests[0] as RecordedRequest).valid).toBe(true);
    expect(transactions[0]).toMatchObject({ customerCompany: null, changeUnits: 10 });
  });

  it('retries a 503 like a GET, with the same body and a fresh signature each attempt', async () => {
    const server = await serve((_req, res, index) => {
      if (index < 2) sendJson(res, 503, { error_subject: 'ServerException', error_message: 'busy' });
      else sendJson(res, 200, monthTransactionReportResponse);
    });
    let clock = NOW;
    const result = await client(server.url, { now: () => (clock += 1_000) }).reportTransactions({
      year: 2025,
      month: 7,
    });
    expect(result.transactions).toHaveLength(7);
    expect(server.requests).toHaveLength(3);
    expect(new Set(server.requests.map((r) => r.body)).size).toBe(1);
    expect(new Set(server.requests.map((r) => r.headers['x-signature'])).size).toBe(3);
    expect(server.requests.every((r) => signatureOverBody(r).valid)).toBe(true);
  });

  it('does not retry a 401 on the report, and reports it as a credentials problem', async () => {
    const server = await serve((_req, res) =>
      sendJson(res, 401, { error_subject: 'AuthenticationFailureSignature', error_message: 'no' }),
    );
    const error = await client(server.url)
      .reportTransactions({ year: 2025, month: 7 })
      .catch((e: unknown) => e);
    expect(isLmpiHttpError(error, 'AuthenticationFailureSignature')).toBe(true);
    expect(lmpiFailureKind(error)).toBe('credentials');
    expect(server.requests).toHaveLength(1);
  });
});

describe('reportCustomerSummary', () => {
  it('POSTs the summary body with partner and product, and reads null used as not reported', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, monthCustomerSummaryResponse));
    const { summary, warnings } = await client(server.url).reportCustomerSummary({
      year: 2025,
      month: 6,
      partnerId: PARTNER_ID,
      productId: PRODUCT_ID,
      languageCode: 'en-US',
    });
    const [request] = server.requests as [RecordedRequest];
    expect(request.url).toBe('/LMPI/v2/reports/summary');
    expect(request.body).toBe(
      `{"report_cycle_year":"2025","report_cycle_month":"06","partner_id":"${PARTNER_ID}","product_id":"${PRODUCT_ID}","language_code":"en-US"}`,
    );
    expect(signatureOverBody(request).valid).toBe(true);
    expect(warnings).toEqual([]);
    expect(summary[0]).toMatchObject({ customer: 'Müller & Söhne GmbH', city: 'München', provisioned: 30, used: 27 });
    expect(summary[2]).toMatchObject({ provisioned: 8, usage: 'not-reported' });
    expect(summary[2]?.used).toBeUndefined();
  });

  it('signs the §1.3 POST vector body to the documented digest', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, { summary: [] }));
    const { summary } = await client(server.url, { now: () => Date.UTC(2019, 0, 10) }).reportCustomerSummary({
      year: 2018,
      month: 7,
    });
    expect(summary).toEqual([]);
    const request = server.requests[0] as RecordedRequest;
    expect(request.body).toBe('{"report_cycle_year":"2018","report_cycle_month":"07"}');
    expect(signatureOverBody(request)).toEqual({ valid: true, md5: 'uw8UoFFTp7x264zj8cqBzA==' });
  });
});

describe('report query validation (nothing is sent)', () => {
  it.each([
    [{ year: 2025, month: 13 }, 'month', /from 1 to 12, got 13/],
    [{ year: 2025, month: 0 }, 'month', /from 1 to 12, got 0/],
    [{ year: 2025, month: 6.5 }, 'month', /from 1 to 12/],
    [{ year: 25, month: 6 }, 'year', /four-digit/],
    [{ year: 2025, month: 8 }, 'month', /2025-08 is in the future \(the latest is 2025-07\)/],
    [{ year: 2026, month: 1 }, 'year', /in the future/],
    [
      { year: 2023, month: 6 },
      'month',
      /2023-06 is older than the 2 years LMPI keeps reports \(the earliest is 2023-07\)/,
    ],
    [{ year: 2020, month: 1 }, 'year', /older than the 2 years/],
    [{ year: 2025, month: 7, productId: 'NNZBXXE1X' }, 'productId', /productId must be a GUID/],
    [{ year: 2025, month: 7, type: 'Refund' }, 'type', /one of New Purchase, License Change, License Convert/],
    [{ year: 2025, month: 7, timeZone: 'Asia/Tokyo' }, 'timeZone', /Windows time-zone name/],
    [{ year: 2025, month: 7, timeZone: ' ' }, 'timeZone', /1-100 characters/],
    [{ year: 2025, month: 7, languageCode: 'english' }, 'languageCode', /like en-US/],
  ])('rejects the transaction query %o naming %s', async (query, field, message) => {
    const server = await serve((_req, res) => sendJson(res, 200, { transaction: [] }));
    const error = await configError(() =>
      client(server.url).reportTransactions(query as Parameters<ReturnType<typeof client>['reportTransactions']>[0]),
    );
    expect(error.code).toBe('ERR_LMPI_CONFIG');
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
    expect(lmpiFailureKind(error)).toBe('config');
    expect(server.requests).toHaveLength(0);
  });

  it('rejects a partner id that is not a GUID on the summary', async () => {
    const error = await configError(() =>
      client('http://127.0.0.1:1').reportCustomerSummary({ year: 2025, month: 7, partnerId: 'ABCD' }),
    );
    expect(error.field).toBe('partnerId');
  });

  it('accepts both ends of the two-year window, and the next month where it has already begun', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, { transaction: [] }));
    const lmpi = client(server.url);
    await lmpi.reportTransactions({ year: 2023, month: 7 });
    await lmpi.reportTransactions({ year: 2025, month: 7 });
    // 31 July 2025, 20:00 UTC is already 1 August in Tokyo and Auckland.
    await client(server.url, { now: () => Date.UTC(2025, 6, 31, 20) }).reportTransactions({ year: 2025, month: 8 });
    expect(server.requests.map((r) => JSON.parse(r.body).report_cycle_month)).toEqual(['07', '07', '08']);
  });
});

describe('transport retry decision', () => {
  it('retries a POST only when it is marked read-only', async () => {
    const server = await serve((_req, res) =>
      sendJson(res, 503, { error_subject: 'ServerException', error_message: 'x' }),
    );
    const transport = new LmpiTransport({
      baseUrl: server.url,
      accessToken,
      secretKey,
      timeoutMs: 2_000,
      retry: { ...DEFAULT_RETRY_POLICY, baseDelayMs: 5, maxDelayMs: 10 },
      fetch: undefined,
      now: Date.now,
      newTraceId: () => crypto.randomUUID(),
      onAttempt: undefined,
    });
    await expect(transport.send('POST', '/LMPI/v2/partners/product', { body: '{}' })).rejects.toMatchObject({
      status: 503,
    });
    expect(server.requests).toHaveLength(1);
    await expect(
      transport.send('POST', '/LMPI/v2/reports/summary', { body: '{}', readOnly: true }),
    ).rejects.toMatchObject({ status: 503 });
    expect(server.requests).toHaveLength(1 + 3);
  });
});
