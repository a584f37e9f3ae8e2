import { describe, expect, it } from 'vitest';
import { bodyDigest, lmpiHeaders, signLmpiRequest, stringToSign } from './signer.js';

// Reference §1.3: computed with Python and openssl for secret `example-secret`, t=1363797148.
const secretKey = 'example-secret';
const posixTime = 1363797148;

describe('signLmpiRequest (reference §1.3 vectors)', () => {
  it('signs the product list GET', () => {
    expect(signLmpiRequest({ secretKey, posixTime, method: 'GET', uri: '/LMPI/v2/partners/product' })).toBe(
      'L6rdaydcJ32rlPVdb0vtokEwGvp7/hk/llxsGeMGaoU=',
    );
  });

  it('signs path and query together', () => {
    const uri = '/LMPI/v2/customers?user_modified_start=2013-01-01T00:00:00Z&user_modified_end=2014-04-30T00:00:00Z';
    expect(signLmpiRequest({ secretKey, posixTime, method: 'GET', uri })).toBe(
      'hHtIkDRE0RKWqHnFCnnopkPZPcEDgHFuCYrc+eHBwHQ=',
    );
  });

  it('appends Base64(MD5(body)) for a POST with a body', () => {
    const body = '{"report_cycle_year":"2018","report_cycle_month":"07"}';
    expect(bodyDigest(body)).toBe('uw8UoFFTp7x264zj8cqBzA==');
    expect(stringToSign({ secretKey, posixTime, method: 'POST', uri: '/LMPI/v2/reports/summary', body })).toBe(
      '1363797148POST/LMPI/v2/reports/summaryuw8UoFFTp7x264zj8cqBzA==',
    );
    expect(signLmpiRequest({ secretKey, posixTime, method: 'POST', uri: '/LMPI/v2/reports/summary', body })).toBe(
      'QDW5JmDSMfqD/R73E0RTa4t1Y+60BQmGQwf90xzMQuc=',
    );
  });

  it('upper-cases the method and adds nothing for an empty body', () => {
    const base = { secretKey, posixTime, uri: '/LMPI/v2/partners/product' };
    expect(signLmpiRequest({ ...base, method: 'get', body: '' })).toBe(signLmpiRequest({ ...base, method: 'GET' }));
  });

  it('changes when any signed part changes', () => {
    const base = { secretKey, posixTime, method: 'GET', uri: '/LMPI/v2/partners/product' };
    const reference = signLmpiRequest(base);
    expect(signLmpiRequest({ ...base, posixTime: posixTime + 1 })).not.toBe(reference);
    expect(signLmpiRequest({ ...base, uri: '/LMPI/v2/partners/product?x=1' })).not.toBe(reference);
    expect(signLmpiRequest({ ...base, method: 'DELETE' })).not.toBe(reference);
    expect(signLmpiRequest({ ...base, secretKey: 'other' })).not.toBe(reference);
  });

  it('refuses a URI that is not an absolute path and a fractional time', () => {
    expect(() => signLmpiRequest({ secretKey, posixTime, method: 'GET', uri: 'https://x/LMPI' })).toThrow(
      /absolute path/,
    );
    expect(() => signLmpiRequest({ secretKey, posixTime: 1.5, method: 'GET', uri: '/LMPI' })).toThrow(/whole seconds/);
  });
});

describe('lmpiHeaders', () => {
  it('produces all five headers', () => {
    const headers = lmpiHeaders({
      secretKey,
      posixTime,
      method: 'GET',
      uri: '/LMPI/v2/partners/product',
      accessToken: '975f9ce9-1234-5678-8c2e-9f0b1f27e1b3',
      traceId: '95b794e7-0b1c-4b3e-8f2a-1d2c3b4a5e6f',
    });
    expect(headers).toEqual({
      'x-access-token': '975f9ce9-1234-5678-8c2e-9f0b1f27e1b3',
      'x-posix-time': '1363797148',
      'x-signature': 'L6rdaydcJ32rlPVdb0vtokEwGvp7/hk/llxsGeMGaoU=',
      'x-traceid': '95b794e7-0b1c-4b3e-8f2a-1d2c3b4a5e6f',
      'content-type': 'application/json; charset=utf-8',
    });
  });
});
