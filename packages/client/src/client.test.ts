import { createHmac } from 'node:crypto';
import { inspect } from 'node:util';
import { distributorProductListResponse, sampleServicePlanListResponse } from '@licensewatch/schema/fixtures';
import { afterEach, describe, expect, it } from 'vitest';
import { type RecordedRequest, sendJson, startStub } from '../test/stub-server.js';
import { createLmpiClient, normaliseBaseUrl } from './client.js';
import {
  isLmpiError,
  isLmpiHttpError,
  LmpiConfigError,
  type LmpiError,
  LmpiHttpError,
  LmpiNetworkError,
  LmpiResponseShapeError,
  LmpiTimeoutError,
  lmpiFailureKind,
} from './errors.js';
import type { LmpiAttemptEvent } from './transport.js';

const accessToken = '0f8e3c1a-7b2d-4e6f-9a10-b2c3d4e5f6a7';
const secretKey = 'licensewatch-test-secret-8d7f6e5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e=';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

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

/** Independent check of a recorded request's signature (no client code involved). */
function signatureIsValid(request: RecordedRequest): boolean {
  const time = String(request.headers['x-posix-time']);
  const expected = createHmac('sha256', secretKey).update(`${time}${request.method}${request.url}`).digest('base64');
  return request.headers['x-signature'] === expected;
}

const fastRetry = { baseDelayMs: 5, maxDelayMs: 20 };

async function failure(promise: Promise<unknown>): Promise<LmpiError> {
  try {
    await promise;
  } catch (error) {
    if (isLmpiError(error)) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('createLmpiClient: requests', () => {
  it('sends a correctly signed GET with all five headers and parses the products', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, distributorProductListResponse));
    const client = createLmpiClient({ baseUrl: `${server.url}/LMPI/`, accessToken, secretKey });
    const result = await client.listProducts();

    expect(result.products.map((p) => [p.productCode, p.available])).toEqual([
      ['NNZBXXE1X', 120],
      ['CCZBXXE1X', 35],
    ]);
    expect(result.warnings).toEqual([]);
    const [request] = server.requests as [RecordedRequest];
    expect(request.url).toBe('/LMPI/v2/partners/product');
    expect(request.body).toBe('');
    expect(request.headers['x-access-token']).toBe(accessToken);
    expect(request.headers['x-posix-time']).toMatch(/^\d{10}$/);
    expect(Math.abs(Number(request.headers['x-posix-time']) - Date.now() / 1000)).toBeLessThan(5);
    expect(request.headers['x-traceid']).toMatch(GUID);
    expect(request.headers['x-traceid']).toBe(result.traceId);
    expect(request.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(signatureIsValid(request)).toBe(true);
  });

  it('lists service plans', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, sampleServicePlanListResponse));
    const client = createLmpiClient({ baseUrl: server.url, accessToken, secretKey });
    const { servicePlans } = await client.listServicePlans();
    expect(servicePlans.map((p) => p.version)).toEqual(['Full', 'Trial']);
    expect(server.requests[0]?.url).toBe('/LMPI/v2/me/serviceplans');
    expect(signatureIsValid(server.requests[0] as RecordedRequest)).toBe(true);
  });

  it('returns drift warnings instead of failing on a lower-case version', async () => {
    const drifted = structuredClone(distributorProductListResponse) as { products: { version: string }[] };
    for (const product of drifted.products) product.version = 'full';
    const server = await serve((_req, res) => sendJson(res, 200, drifted));
    const result = await createLmpiClient({ baseUrl: server.url, accessToken, secretKey }).listProducts();
    expect(result.products.every((p) => p.version === 'Full')).toBe(true);
    expect(result.warnings.map((w) => w.kind)).toEqual(['normalised', 'normalised']);
  });
});

describe('createLmpiClient: retries', () => {
  it('retries 503 and 500 with a fresh time, trace id and signature each attempt', async () => {
    const server = await serve((_req, res, index) => {
      if (index === 0) sendJson(res, 503, { error_subject: 'ServerException', error_message: 'busy' });
      else if (index === 1)
        sendJson(res, 500, { error_subject: 'InternalError', error_message: 'Internal server error' });
      else sendJson(res, 200, distributorProductListResponse);
    });
    let clock = 1_700_000_000_000;
    const client = createLmpiClient({
      baseUrl: server.url,
      accessToken,
      secretKey,
      retry: fastRetry,
      now: () => {
        clock += 2_000;
        return clock;
      },
    });
    await client.listProducts();
    expect(server.requests).toHaveLength(3);
    expect(new Set(server.requests.map((r) => r.headers['x-traceid'])).size).toBe(3);
    expect(new Set(server.requests.map((r) => r.headers['x-posix-time'])).size).toBe(3);
    expect(server.requests.every(signatureIsValid)).toBe(true);
  });

  it('honours Retry-After on 429', async () => {
    const server = await serve((_req, res, index) => {
      if (index === 0)
        sendJson(res, 429, { error_subject: 'TooManyRequests', error_message: 'slow down' }, { 'retry-after': '1' });
      else sendJson(res, 200, distributorProductListResponse);
    });
    const started = Date.now();
    await createLmpiClient({ baseUrl: server.url, accessToken, secretKey, retry: fastRetry }).listProducts();
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(server.requests).toHaveLength(2);
  });

  it('gives up at once when Retry-After is longer than it may wait', async () => {
    const server = await serve((_req, res) =>
      sendJson(res, 429, { error_subject: 'TooManyRequests', error_message: 'x' }, { 'retry-after': '3600' }),
    );
    const error = await failure(createLmpiClient({ baseUrl: server.url, accessToken, secretKey }).listProducts());
    expect(error).toBeInstanceOf(LmpiHttpError);
    expect((error as LmpiHttpError).retryAfterMs).toBe(3_600_000);
    expect(lmpiFailureKind(error)).toBe('rate-limited');
    expect(server.requests).toHaveLength(1);
  });

  it.each([
    [400, 'MissingHeaderTraceID'],
    [401, 'AuthenticationFailureSignature'],
    [401, 'InvalidHeaderAccessToken'],
    [403, 'Forbidden'],
    [415, 'InvalidHeaderContentType'],
  ])('never retries %i %s', async (status, subject) => {
    const server = await serve((_req, res) => sendJson(res, status, { error_subject: subject, error_message: 'no' }));
    const error = await failure(
      createLmpiClient({ baseUrl: server.url, accessToken, secretKey, retry: fastRetry }).listProducts(),
    );
    expect(isLmpiHttpError(error, subject)).toBe(true);
    expect(server.requests).toHaveLength(1);
  });

  it('retries network errors, then reports the endpoint unreachable', async () => {
    const server = await serve(() => undefined);
    const { url } = server;
    await server.close();
    stub = undefined;
    const events: LmpiAttemptEvent[] = [];
    const error = await failure(
      createLmpiClient({
        baseUrl: url,
        accessToken,
        secretKey,
        retry: { ...fastRetry, limit: 2 },
        onAttempt: (e) => events.push(e),
      }).listProducts(),
    );
    expect(error).toBeInstanceOf(LmpiNetworkError);
    expect(error.message).toContain('ECONNREFUSED');
    expect(lmpiFailureKind(error)).toBe('unreachable');
    expect(events.map((e) => e.outcome)).toEqual(['network-error', 'network-error', 'network-error']);
    expect(events[2]?.retryInMs).toBeUndefined();
  });

  it('times out a server that never answers, and one that stops mid-body', async () => {
    const silent = await serve(() => undefined);
    const client = createLmpiClient({ baseUrl: silent.url, accessToken, secretKey, timeoutMs: 150, retry: false });
    const error = await failure(client.listProducts());
    expect(error).toBeInstanceOf(LmpiTimeoutError);
    expect(lmpiFailureKind(error)).toBe('timeout');
    await silent.close();

    const halfway = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"partner_id":"6c1f8a52-4d1e-4b8e-9a57-2f0d3c9e8b41","products":[');
    });
    const started = Date.now();
    const bodyError = await failure(
      createLmpiClient({ baseUrl: halfway.url, accessToken, secretKey, timeoutMs: 150, retry: false }).listProducts(),
    );
    expect(bodyError).toBeInstanceOf(LmpiTimeoutError);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('stops at once, without retrying, when the caller aborts', async () => {
    const server = await serve(() => undefined);
    const controller = new AbortController();
    const pending = createLmpiClient({ baseUrl: server.url, accessToken, secretKey, retry: fastRetry }).listProducts({
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(server.requests).toHaveLength(1);
  });
});

describe('createLmpiClient: clock skew', () => {
  it('measures the skew from Date on AuthenticationFailurePosixTime and retries once, corrected', async () => {
    const serverAhead = 3_600_000;
    const server = await serve((req, res) => {
      const serverNow = Date.now() + serverAhead;
      const headers = { date: new Date(serverNow).toUTCString() };
      if (Math.abs(Number(req.headers['x-posix-time']) * 1000 - serverNow) > 15 * 60_000) {
        sendJson(res, 401, { error_subject: 'AuthenticationFailurePosixTime', error_message: 'time' }, headers);
      } else sendJson(res, 200, distributorProductListResponse, headers);
    });
    const client = createLmpiClient({ baseUrl: server.url, accessToken, secretKey, retry: false });
    await client.listProducts();
    expect(server.requests).toHaveLength(2);
    expect(Math.abs(client.clockSkewMs - serverAhead)).toBeLessThan(2_000);
    expect(signatureIsValid(server.requests[1] as RecordedRequest)).toBe(true);
    await client.listProducts();
    expect(server.requests).toHaveLength(3); // the correction sticks: no second rejection
  });

  it('does not loop when the corrected time is rejected again or no Date is sent', async () => {
    const server = await serve((_req, res, index) =>
      sendJson(
        res,
        401,
        { error_subject: 'AuthenticationFailurePosixTime', error_message: 'time' },
        index === 0 ? { date: new Date().toUTCString() } : {},
      ),
    );
    const error = await failure(createLmpiClient({ baseUrl: server.url, accessToken, secretKey }).listProducts());
    expect(lmpiFailureKind(error)).toBe('clock-skew');
    expect(server.requests).toHaveLength(2);
  });
});

describe('createLmpiClient: error bodies and shapes', () => {
  it('reads a JSON error body labelled text/html (documented 415 quirk)', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(415, { 'content-type': 'text/html' });
      res.end(
        '{"error_subject":"InvalidHeaderContentType","error_message":"The supplied content-type is not supported."}',
      );
    });
    const error = (await failure(
      createLmpiClient({ baseUrl: server.url, accessToken, secretKey }).listProducts(),
    )) as LmpiHttpError;
    expect(error.status).toBe(415);
    expect(error.subject).toBe('InvalidHeaderContentType');
    expect(error.request?.traceId).toMatch(GUID);
    expect(error.message).toContain(error.request?.traceId);
  });

  it('keeps an excerpt of a non-LMPI error body (proxy HTML)', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html><body>502 Bad Gateway</body></html>');
    });
    const error = (await failure(
      createLmpiClient({ baseUrl: server.url, accessToken, secretKey, retry: false }).listProducts(),
    )) as LmpiHttpError;
    expect(error.subject).toBeUndefined();
    expect(error.bodyExcerpt).toContain('502 Bad Gateway');
    expect(lmpiFailureKind(error)).toBe('server');
  });

  it('rejects malformed JSON and a wrong shape as response-shape errors, never as zero products', async () => {
    const broken = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"partner_id": "x", "products": [');
    });
    const notJson = await failure(createLmpiClient({ baseUrl: broken.url, accessToken, secretKey }).listProducts());
    expect(notJson).toBeInstanceOf(LmpiResponseShapeError);
    expect(notJson.message).toContain('body is not JSON');
    expect(broken.requests).toHaveLength(1);
    await broken.close();

    const body = structuredClone(distributorProductListResponse) as unknown as { products: Record<string, unknown>[] };
    (body.products[1] as Record<string, unknown>).available = '35';
    const wrong = await serve((_req, res) => sendJson(res, 200, body));
    const shape = (await failure(
      createLmpiClient({ baseUrl: wrong.url, accessToken, secretKey }).listProducts(),
    )) as LmpiResponseShapeError;
    expect(shape.code).toBe('ERR_LMPI_RESPONSE_SHAPE');
    expect(shape.issues[0]).toMatchObject({ field: 'available' });
    expect(shape.message).toContain('product CCZBXXE1X');
    expect(lmpiFailureKind(shape)).toBe('bad-response');
  });
});

describe('createLmpiClient: malformed records', () => {
  it('sets a product with available -5 aside when asked, and uses the rest', async () => {
    const body = structuredClone(distributorProductListResponse) as unknown as { products: Record<string, unknown>[] };
    (body.products[1] as Record<string, unknown>).available = -5;
    body.products.push({
      ...(body.products[0] as Record<string, unknown>),
      product_id: '5d9c3f2e-0b1a-4c7d-8e6f-9a8b7c6d5e4f',
      product_code: 'EXTRAXXE1',
      available: 7,
    });
    const server = await serve((_req, res) => sendJson(res, 200, body));
    const client = createLmpiClient({ baseUrl: server.url, accessToken, secretKey });
    const result = await client.listProducts({ malformed: 'set-aside' });
    expect(result.products.map((p) => p.productCode)).toEqual(['NNZBXXE1X', 'EXTRAXXE1']);
    expect(result.setAside).toEqual([
      expect.objectContaining({ productCode: 'CCZBXXE1X', issues: [expect.objectContaining({ field: 'available' })] }),
    ]);
    const strict = await failure(client.listProducts());
    expect((strict as LmpiResponseShapeError).code).toBe('ERR_LMPI_RESPONSE_SHAPE');
    await server.close();
  });
});

describe('createLmpiClient: secrets', () => {
  it('never shows the secret key or access token in any error, even when the server echoes them', async () => {
    const errors: unknown[] = [];
    const echo = await serve((req, res) =>
      sendJson(res, 401, {
        error_subject: 'AuthenticationFailureSignature',
        error_message: `bad ${req.headers['x-access-token']} ${secretKey}`,
      }),
    );
    errors.push(await failure(createLmpiClient({ baseUrl: echo.url, accessToken, secretKey }).listProducts()));
    const html = await serve((req, res) => {
      res.writeHead(500, { 'content-type': 'text/html' });
      res.end(`<pre>${JSON.stringify(req.headers)} ${secretKey}</pre>`);
    });
    errors.push(
      await failure(createLmpiClient({ baseUrl: html.url, accessToken, secretKey, retry: false }).listProducts()),
    );
    const silent = await serve(() => undefined);
    errors.push(
      await failure(
        createLmpiClient({ baseUrl: silent.url, accessToken, secretKey, timeoutMs: 50, retry: false }).listProducts(),
      ),
    );
    errors.push(
      await failure(
        createLmpiClient({ baseUrl: 'http://127.0.0.1:1', accessToken, secretKey, retry: false }).listProducts(),
      ),
    );
    await Promise.all([echo.close(), html.close(), silent.close()]);

    expect(errors).toHaveLength(4);
    for (const error of errors) {
      const shown = [String(error), inspect(error, { depth: 20, showHidden: true }), JSON.stringify(error)].join('\n');
      expect(shown).not.toContain(secretKey);
      expect(shown).not.toContain(accessToken);
    }
    expect((errors[0] as LmpiHttpError).lmpiMessage).toContain('[redacted]');
  });
});

describe('configuration', () => {
  it('normalises base URLs and rejects unusable ones with a clear message', () => {
    expect(normaliseBaseUrl('https://cspi.trendmicro.com/')).toBe('https://cspi.trendmicro.com');
    expect(normaliseBaseUrl('https://cspi-stg.trendmicro.com/LMPI')).toBe('https://cspi-stg.trendmicro.com');
    expect(normaliseBaseUrl('http://127.0.0.1:4010/proxy/')).toBe('http://127.0.0.1:4010/proxy');
    expect(() => normaliseBaseUrl('cspi.trendmicro.com')).toThrow(LmpiConfigError);
    expect(() => normaliseBaseUrl('ftp://cspi.trendmicro.com')).toThrow(/http or https/);
    expect(() => createLmpiClient({ baseUrl: 'https://x', accessToken: '', secretKey })).toThrow(
      /access token is empty/,
    );
    expect(() => createLmpiClient({ baseUrl: 'https://x', accessToken, secretKey: '' })).toThrow(/secret key is empty/);
  });
});
