import { describe, expect, it } from 'vitest';
import { isLoopback } from './http.js';
import { type IncomingLmpiRequest, isJsonContentType, type PartnerCredentials, verifyLmpiRequest } from './verify.js';

// Reference §1.3 vectors: secret `example-secret`, t=1363797148.
const partner: PartnerCredentials = {
  accessToken: '975f9ce9-1234-5678-8c2e-9f0b1f27e1b3',
  secretKey: 'example-secret',
  role: 'distributor',
  partnerId: '6c1f8a52-4d1e-4b8e-9a57-2f0d3c9e8b41',
};
const T = 1363797148;
const NOW = T * 1000;
const find = (token: string) => (token === partner.accessToken ? partner : undefined);

const vectors = {
  products: {
    method: 'GET',
    target: '/LMPI/v2/partners/product',
    body: '',
    signature: 'L6rdaydcJ32rlPVdb0vtokEwGvp7/hk/llxsGeMGaoU=',
  },
  customers: {
    method: 'GET',
    target: '/LMPI/v2/customers?user_modified_start=2013-01-01T00:00:00Z&user_modified_end=2014-04-30T00:00:00Z',
    body: '',
    signature: 'hHtIkDRE0RKWqHnFCnnopkPZPcEDgHFuCYrc+eHBwHQ=',
  },
  summary: {
    method: 'POST',
    target: '/LMPI/v2/reports/summary',
    body: '{"report_cycle_year":"2018","report_cycle_month":"07"}',
    signature: 'QDW5JmDSMfqD/R73E0RTa4t1Y+60BQmGQwf90xzMQuc=',
  },
};

function request(
  vector: (typeof vectors)[keyof typeof vectors],
  overrides: Partial<IncomingLmpiRequest> = {},
  headers: Record<string, string | undefined> = {},
): IncomingLmpiRequest {
  return {
    method: vector.method,
    target: vector.target,
    body: Buffer.from(vector.body),
    headers: {
      'x-access-token': partner.accessToken,
      'x-posix-time': String(T),
      'x-signature': vector.signature,
      'x-traceid': '95b794e7-0b1c-4b3e-8f2a-1d2c3b4a5e6f',
      'content-type': 'application/json; charset=utf-8',
      ...headers,
    },
    ...overrides,
  };
}

const subjectOf = (req: IncomingLmpiRequest, now = NOW) => {
  const result = verifyLmpiRequest(req, find, now);
  return result.ok ? 'ok' : `${result.error.status} ${result.error.subject}`;
};

describe('verifyLmpiRequest', () => {
  it.each(Object.keys(vectors) as (keyof typeof vectors)[])('accepts the §1.3 %s vector', (name) => {
    expect(subjectOf(request(vectors[name]))).toBe('ok');
  });

  it('rejects a tampered path, query, body, method or time', () => {
    const v = vectors;
    expect(subjectOf(request(v.products, { target: '/LMPI/v2/partners/products' }))).toBe(
      '401 AuthenticationFailureSignature',
    );
    expect(subjectOf(request(v.customers, { target: v.customers.target.replace('2014', '2015') }))).toBe(
      '401 AuthenticationFailureSignature',
    );
    expect(subjectOf(request(v.customers, { target: v.customers.target.replace(/:/g, '%3A') }))).toBe(
      '401 AuthenticationFailureSignature',
    );
    expect(subjectOf(request(v.summary, { body: Buffer.from(v.summary.body.replace('07', '08')) }))).toBe(
      '401 AuthenticationFailureSignature',
    );
    expect(subjectOf(request(v.summary, { body: Buffer.from(`${v.summary.body} `) }))).toBe(
      '401 AuthenticationFailureSignature',
    );
    expect(subjectOf(request(v.products, { method: 'DELETE' }))).toBe('401 AuthenticationFailureSignature');
    expect(subjectOf(request(v.products, {}, { 'x-posix-time': String(T + 1) }))).toBe(
      '401 AuthenticationFailureSignature',
    );
    expect(subjectOf(request(v.products, {}, { 'x-signature': 'AAAA' }))).toBe('401 AuthenticationFailureSignature');
  });

  it.each([
    ['x-access-token', '400 MissingHeaderAccessToken'],
    ['x-posix-time', '400 MissingHeaderPosixTime'],
    ['x-signature', '400 MissingHeaderSignature'],
    ['x-traceid', '400 MissingHeaderTraceID'],
    ['content-type', '415 InvalidHeaderContentType'],
  ])('answers a missing %s with %s', (name, expected) => {
    expect(subjectOf(request(vectors.products, {}, { [name]: undefined }))).toBe(expected);
  });

  it('rejects content types other than JSON with 415, accepts both documented forms', () => {
    expect(subjectOf(request(vectors.products, {}, { 'content-type': 'text/plain' }))).toBe(
      '415 InvalidHeaderContentType',
    );
    expect(subjectOf(request(vectors.products, {}, { 'content-type': 'application/json' }))).toBe('ok');
    expect(isJsonContentType('Application/JSON; charset=UTF-8')).toBe(true);
    expect(isJsonContentType('application/json; charset=latin1')).toBe(false);
    expect(isJsonContentType('application/jsonp')).toBe(false);
  });

  it('rejects an unknown token before looking at time or signature', () => {
    expect(subjectOf(request(vectors.products, {}, { 'x-access-token': '11111111-2222-3333-4444-555555555555' }))).toBe(
      '401 InvalidHeaderAccessToken',
    );
  });

  it('enforces the 15-minute clock window in both directions', () => {
    const req = request(vectors.products);
    expect(subjectOf(req, NOW + 14 * 60_000)).toBe('ok');
    expect(subjectOf(req, NOW - 14 * 60_000)).toBe('ok');
    expect(subjectOf(req, NOW + 16 * 60_000)).toBe('401 AuthenticationFailurePosixTime');
    expect(subjectOf(req, NOW - 16 * 60_000)).toBe('401 AuthenticationFailurePosixTime');
    expect(subjectOf(request(vectors.products, {}, { 'x-posix-time': '13637971480' }))).toBe(
      '401 AuthenticationFailurePosixTime',
    );
    expect(subjectOf(request(vectors.products, {}, { 'x-posix-time': 'now' }))).toBe(
      '401 AuthenticationFailurePosixTime',
    );
  });
});

describe('isLoopback', () => {
  it('admits only this machine', () => {
    expect(['127.0.0.1', '127.0.0.53', '::1', '::ffff:127.0.0.1'].every(isLoopback)).toBe(true);
    expect(['10.0.0.5', '192.168.1.2', '::ffff:10.0.0.5', 'fe80::1', undefined].some(isLoopback)).toBe(false);
  });
});
