import { describe, expect, it } from 'vitest';
import { curlCommand } from './curl.js';
import {
  LmpiConfigError,
  LmpiHttpError,
  LmpiNetworkError,
  LmpiResponseShapeError,
  LmpiTimeoutError,
} from './errors.js';
import { describeLmpiFailure, explainLmpiFailure } from './explain.js';

describe('explainLmpiFailure', () => {
  it('explains by error kind, not message', () => {
    const request = { method: 'GET', path: '/LMPI/v2/partners/product' };
    expect(
      explainLmpiFailure(new LmpiHttpError(request, { status: 401, subject: 'AuthenticationFailurePosixTime' })),
    ).toMatchObject({
      kind: 'clock-skew',
      check: expect.stringContaining('NTP'),
    });
    expect(explainLmpiFailure(new LmpiTimeoutError(request, 10)).reason).toBe('LMPI did not answer in time');
    expect(explainLmpiFailure(new Error('x')).kind).toBe('unknown');
  });
});

describe('what a person is told for each kind of failure', () => {
  const request = { method: 'GET', path: '/LMPI/v2/partners/product' };
  const http = (status: number, subject?: string) => new LmpiHttpError(request, { status, subject });
  it.each([
    [
      http(401),
      'credentials',
      'LMPI rejected the credentials',
      'Check LMPI_ACCESS_TOKEN and LMPI_SECRET_KEY (Partners > Credentials in LMP).',
    ],
    [
      http(401, 'AuthenticationFailurePosixTime'),
      'clock-skew',
      'LMPI rejected this server’s clock',
      'Sync the host’s clock (NTP): LMPI allows 15 minutes of skew.',
    ],
    [
      http(403),
      'forbidden',
      'this LMPI role may not list products',
      'Use Distributor, ISP or MSP credentials (Resellers cannot list products).',
    ],
    [
      http(404),
      'not-found',
      'LMPI_BASE_URL does not point at LMPI',
      'Set LMPI_BASE_URL to https://cspi.trendmicro.com (no path).',
    ],
    [
      http(400),
      'bad-request',
      'LMPI refused the request',
      'Update licensewatch; if it persists, report the trace id in the logs.',
    ],
    [
      http(429),
      'rate-limited',
      'LMPI is rate limiting requests',
      'Wait a minute; poll less often if it keeps happening.',
    ],
    [
      http(503),
      'server',
      'LMPI had an internal error',
      'Usually temporary; Trend Micro support can trace the request id in the logs.',
    ],
    [
      new LmpiNetworkError(request, Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })),
      'unreachable',
      'LMPI is unreachable',
      'Check the network, DNS and proxy from this host to LMPI_BASE_URL.',
    ],
    [
      new LmpiTimeoutError(request, 10),
      'timeout',
      'LMPI did not answer in time',
      'Usually temporary; check the network path to LMPI_BASE_URL.',
    ],
    [
      new LmpiResponseShapeError(request, 'bad', []),
      'bad-response',
      'LMPI sent data licensewatch could not read',
      'The error names the product and field; report it to licensewatch.',
    ],
    [
      new LmpiConfigError('baseUrl must be an https URL'),
      'config',
      'the LMPI settings are invalid',
      'Check LMPI_BASE_URL, LMPI_ACCESS_TOKEN and LMPI_SECRET_KEY.',
    ],
    [new TypeError('boom'), 'unknown', 'something went wrong talking to LMPI', 'See the log for details.'],
  ])('%s: %s', (error, kind, reason, check) => {
    expect(explainLmpiFailure(error)).toEqual({ kind, reason, check });
  });
});

describe('describeLmpiFailure', () => {
  it('words a kind the way explainLmpiFailure words the error it came from', () => {
    const request = { method: 'GET', path: '/LMPI/v2/partners/product' };
    const error = new LmpiHttpError(request, { status: 401, subject: 'AuthenticationFailurePosixTime' });
    expect(describeLmpiFailure('clock-skew')).toEqual({
      reason: 'LMPI rejected this server’s clock',
      check: explainLmpiFailure(error).check,
    });
  });

  it('words a kind it does not know (an old stored row) as unknown, never as the raw code', () => {
    expect(describeLmpiFailure('ECONNRESET' as never).reason).toBe('something went wrong talking to LMPI');
  });
});

describe('curlCommand', () => {
  it('quotes every part for the shell', () => {
    expect(curlCommand({ url: 'http://h/LMPI', method: 'POST', headers: { 'x-a': "it's" }, body: '{"a":1}' })).toBe(
      `curl -sS -X POST 'http://h/LMPI' -H 'x-a: it'\\''s' --data-raw '{"a":1}'`,
    );
  });
});
