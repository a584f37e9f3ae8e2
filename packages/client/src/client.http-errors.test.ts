import { distributorProductListResponse } from '@licensewatch/schema/fixtures';
import { afterEach, describe, expect, it } from 'vitest';
import { sendJson, startStub } from '../test/stub-server.js';
import { createLmpiClient } from './client.js';
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
const request = { method: 'GET', path: '/LMPI/v2/partners/product' };

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

async function failure(promise: Promise<unknown>): Promise<LmpiError> {
  try {
    await promise;
  } catch (error) {
    if (isLmpiError(error)) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

const client = (url: string, extra: Partial<Parameters<typeof createLmpiClient>[0]> = {}) =>
  createLmpiClient({ baseUrl: url, accessToken, secretKey, retry: { baseDelayMs: 1, maxDelayMs: 2 }, ...extra });

describe('LMPI rejecting the request time', () => {
  it('gives up at once, as a clock problem, when the first rejection has no Date header to correct from', async () => {
    const server = await serve((_req, res) => {
      res.sendDate = false; // Node adds a Date header unless told not to
      sendJson(res, 401, { error_subject: 'AuthenticationFailurePosixTime', error_message: 'Time expired' });
    });
    const lmpi = client(server.url);
    const error = await failure(lmpi.listProducts());
    expect(server.requests).toHaveLength(1);
    expect(error).toBeInstanceOf(LmpiHttpError);
    expect(lmpiFailureKind(error)).toBe('clock-skew');
    expect(lmpi.clockSkewMs).toBe(0);
  });

  it('ignores a Date header it cannot read', async () => {
    const server = await serve((_req, res) =>
      sendJson(
        res,
        401,
        { error_subject: 'AuthenticationFailurePosixTime', error_message: 'Time expired' },
        { date: 'yesterday-ish' },
      ),
    );
    const lmpi = client(server.url);
    expect(lmpiFailureKind(await failure(lmpi.listProducts()))).toBe('clock-skew');
    expect(server.requests).toHaveLength(1);
    expect(lmpi.clockSkewMs).toBe(0);
  });
});

describe('LMPI answers that are not worth retrying', () => {
  it('reports a 404 as not-found after one request, with status and trace id', async () => {
    const server = await serve((_req, res) => sendJson(res, 404, { error_subject: 'NotFound', error_message: 'gone' }));
    const attempts: LmpiAttemptEvent[] = [];
    const error = (await failure(
      client(server.url, { onAttempt: (event) => attempts.push(event) }).listProducts(),
    )) as LmpiHttpError;
    expect(lmpiFailureKind(error)).toBe('not-found');
    expect(server.requests).toHaveLength(1);
    expect(error.status).toBe(404);
    expect(error.message).toBe(
      `LMPI GET /LMPI/v2/partners/product failed with HTTP 404 (NotFound: gone) [trace ${attempts[0]?.traceId}]`,
    );
    expect(attempts).toEqual([
      expect.objectContaining({ attempt: 1, outcome: 'http-error', status: 404, subject: 'NotFound' }),
    ]);
    expect(attempts[0]).not.toHaveProperty('retryInMs');
  });

  it('reports a plain 400 with no LMPI body as a bad request, without retrying', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(400);
      res.end();
    });
    const error = (await failure(client(server.url).listProducts())) as LmpiHttpError;
    expect(lmpiFailureKind(error)).toBe('bad-request');
    expect(server.requests).toHaveLength(1);
    expect(error.subject).toBeUndefined();
    expect(error.bodyExcerpt).toBeUndefined();
    expect(error.message).toMatch(
      /^LMPI GET \/LMPI\/v2\/partners\/product failed with HTTP 400 \[trace [0-9a-f-]{36}\]$/,
    );
  });

  it('keeps only the first 200 characters of a long non-LMPI body', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(403, { 'content-type': 'text/plain' });
      res.end(`  ${'x'.repeat(250)}  `);
    });
    const error = (await failure(client(server.url).listProducts())) as LmpiHttpError;
    expect(lmpiFailureKind(error)).toBe('forbidden');
    expect(error.bodyExcerpt).toBe('x'.repeat(200));
  });

  it('retries a GET on 503 up to the limit, and says which attempt was the last', async () => {
    const server = await serve((_req, res) => sendJson(res, 503, { error_subject: 'Busy', error_message: 'later' }));
    const attempts: LmpiAttemptEvent[] = [];
    const lmpi = client(server.url, { onAttempt: (event) => attempts.push(event) });
    await failure(lmpi.listProducts());
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
    expect(attempts.map((a) => a.retryInMs === undefined)).toEqual([false, false, true]);
  });

  it('retries a 408 as a server problem', async () => {
    const server = await serve((_req, res, index) =>
      index === 0 ? sendJson(res, 408, {}) : sendJson(res, 200, distributorProductListResponse),
    );
    const result = await client(server.url).listProducts();
    expect(result.products.length).toBeGreaterThan(0);
    expect(server.requests).toHaveLength(2);
    expect(lmpiFailureKind(new LmpiHttpError(request, { status: 408 }))).toBe('server');
  });
});

describe('lmpiFailureKind', () => {
  it('names what the operator should check for each status and subject', () => {
    const http = (status: number, subject?: string) =>
      lmpiFailureKind(new LmpiHttpError(request, { status, ...(subject ? { subject } : {}) }));
    expect(http(401)).toBe('credentials');
    expect(http(401, 'AuthenticationFailureSignature')).toBe('credentials');
    expect(http(401, 'AuthenticationFailureAccessToken')).toBe('credentials');
    expect(http(400, 'InvalidHeaderAccessToken')).toBe('credentials');
    expect(http(401, 'AuthenticationFailurePosixTime')).toBe('clock-skew');
    expect(http(403)).toBe('forbidden');
    expect(http(404)).toBe('not-found');
    expect(http(429)).toBe('rate-limited');
    expect(http(500)).toBe('server');
    expect(http(499)).toBe('bad-request');
    expect(http(415, 'UnsupportedMediaType')).toBe('bad-request');
  });

  it('names network, timeout, shape and configuration failures, and anything else as unknown', () => {
    expect(lmpiFailureKind(new LmpiNetworkError(request, new Error('ECONNRESET')))).toBe('unreachable');
    expect(lmpiFailureKind(new LmpiTimeoutError(request, 1_000))).toBe('timeout');
    expect(lmpiFailureKind(new LmpiResponseShapeError(request, 'not JSON', []))).toBe('bad-response');
    expect(lmpiFailureKind(new LmpiConfigError('bad base URL', 'baseUrl'))).toBe('config');
    expect(lmpiFailureKind(new Error('boom'))).toBe('unknown');
    expect(lmpiFailureKind({ code: 'ERR_LMPI_HTTP', status: 404 })).toBe('unknown');
  });
});

describe('isLmpiError and isLmpiHttpError', () => {
  const http = new LmpiHttpError(request, { status: 400, subject: 'InvalidParametersMonth' });

  it('recognise client errors, also from another copy of the package', () => {
    expect(isLmpiError(new LmpiTimeoutError(request, 5))).toBe(true);
    expect(isLmpiHttpError(http)).toBe(true);
    const copy = Object.assign(new Error('copy'), { code: 'ERR_LMPI_HTTP', subject: 'AuthenticationFailureSignature' });
    expect(isLmpiHttpError(copy, 'AuthenticationFailureSignature')).toBe(true);
  });

  it('match InvalidParameters against every InvalidParameters subject, and other subjects exactly', () => {
    expect(isLmpiHttpError(http, 'InvalidParameters')).toBe(true);
    expect(isLmpiHttpError(http, 'InvalidParametersMonth')).toBe(true);
    expect(isLmpiHttpError(http, 'InvalidParametersYear')).toBe(false);
    expect(isLmpiHttpError(http, 'InvalidParametersMonthly')).toBe(false);
    expect(isLmpiHttpError(http, 'Invalid')).toBe(false);
  });

  it('reject what they must not match', () => {
    expect(isLmpiHttpError(new LmpiNetworkError(request, new Error('down')))).toBe(false);
    expect(isLmpiHttpError(new LmpiHttpError(request, { status: 500 }), 'InvalidParameters')).toBe(false);
    expect(isLmpiHttpError(new LmpiHttpError(request, { status: 401 }), 'AuthenticationFailureSignature')).toBe(false);
    expect(isLmpiHttpError({ code: 'ERR_LMPI_HTTP', status: 400 })).toBe(false);
    expect(isLmpiHttpError(undefined)).toBe(false);
    expect(isLmpiError(Object.assign(new Error('other'), { code: 'ERR_OTHER' }))).toBe(false);
    expect(isLmpiError(new Error('no code'))).toBe(false);
    expect(isLmpiError({ code: 'ERR_LMPI_TIMEOUT' })).toBe(false);
  });
});

describe('error messages', () => {
  it('say where a request went and why it failed, and never carry the credentials', () => {
    const network = new LmpiNetworkError(
      request,
      Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }),
    );
    expect(network.message).toBe('LMPI GET /LMPI/v2/partners/product could not be reached: ECONNREFUSED');
    expect(new LmpiNetworkError(request, new Error('socket hang up')).message).toContain('reached: socket hang up');
    expect(new LmpiNetworkError(request, 'odd').message).toContain('reached: unknown network error');
    expect(new LmpiTimeoutError(request, 2_500)).toMatchObject({
      message: 'LMPI GET /LMPI/v2/partners/product did not answer within 2500 ms',
      timeoutMs: 2_500,
      name: 'LmpiTimeoutError',
    });
    expect(new LmpiResponseShapeError(request, 'not JSON', []).message).toBe(
      'LMPI GET /LMPI/v2/partners/product returned an unusable body: not JSON',
    );
    expect(new LmpiConfigError('month must be 1-12', 'month')).toMatchObject({
      field: 'month',
      code: 'ERR_LMPI_CONFIG',
    });
    const subjectOnly = new LmpiHttpError(
      { ...request, traceId: 't-1' },
      { status: 401, subject: 'AuthenticationFailureSignature' },
    );
    expect(subjectOnly.message).toBe(
      'LMPI GET /LMPI/v2/partners/product failed with HTTP 401 (AuthenticationFailureSignature) [trace t-1]',
    );
    expect(subjectOnly.request).toEqual({ ...request, traceId: 't-1' });
  });
});
