import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bodyDigest, hmacSha256Base64, lmpiHeaders, signLmpiRequest, stringToSign } from './signer.js';

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

describe('signLmpiRequest computes HMAC-SHA256 exactly as node:crypto does', () => {
  // The signer builds HMAC (RFC 2104) from two one-shot hashes and keeps the keyed pads of the last
  // secret: these pin it to createHmac across key lengths around the 64-byte block, multi-byte
  // UTF-8 secrets, and secrets that change between calls.
  const reference = (input: { secretKey: string; posixTime: number; method: string; uri: string; body?: string }) =>
    createHmac('sha256', input.secretKey).update(stringToSign(input), 'utf8').digest('base64');

  it("matches RFC 4231's HMAC-SHA-256 test cases 1, 2 and 5", () => {
    const hex = (base64: string) => Buffer.from(base64, 'base64').toString('hex');
    expect(hex(hmacSha256Base64('\x0b'.repeat(20), 'Hi There'))).toBe(
      'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
    );
    expect(hex(hmacSha256Base64('Jefe', 'what do ya want for nothing?'))).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
    // Case 5 gives only the first 128 bits.
    expect(hex(hmacSha256Base64('\x0c'.repeat(20), 'Test With Truncation')).slice(0, 32)).toBe(
      'a3b6167473100ee06e0c796c2955552b',
    );
  });

  it('agrees for secrets shorter than, equal to and longer than the block, in bytes', () => {
    const base = { posixTime, method: 'POST', uri: '/LMPI/v2/reports/summary', body: '{"a":1}' };
    for (const length of [0, 1, 32, 63, 64, 65, 100, 128, 129, 300]) {
      const input = { ...base, secretKey: 'k'.repeat(length) };
      expect(signLmpiRequest(input), `secret of ${length} bytes`).toBe(reference(input));
    }
  });

  it('counts a multi-byte secret in UTF-8 bytes (40 characters, 80 bytes: hashed first)', () => {
    const input = { secretKey: 'é'.repeat(40), posixTime, method: 'GET', uri: '/LMPI/v2/partners/product' };
    expect(Buffer.byteLength(input.secretKey)).toBe(80);
    expect(signLmpiRequest(input)).toBe(reference(input));
  });

  it('never signs with the previous secret when the secret changes between calls', () => {
    const base = { posixTime, method: 'GET', uri: '/LMPI/v2/partners/product' };
    for (const secret of ['first', 'second', 'first', 'x'.repeat(70), 'first']) {
      expect(signLmpiRequest({ ...base, secretKey: secret })).toBe(reference({ ...base, secretKey: secret }));
    }
  });

  it('agrees on 500 generated requests (seeded)', () => {
    let seed = 20261204;
    const next = (limit: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % limit;
    };
    const alphabet = 'abcXYZ019-_/?=&%+ éü€😀';
    const text = (max: number) => Array.from({ length: next(max) }, () => alphabet[next(alphabet.length)]).join('');
    for (let run = 0; run < 500; run += 1) {
      const input = {
        secretKey: text(150),
        posixTime: next(2_000_000_000),
        method: ['GET', 'POST', 'put'][next(3)] as string,
        uri: `/LMPI/${text(60)}`,
        ...(next(2) === 0 ? { body: text(200) } : {}),
      };
      expect(signLmpiRequest(input)).toBe(reference(input));
    }
  });
});
