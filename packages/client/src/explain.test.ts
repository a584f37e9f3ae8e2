import { describe, expect, it } from 'vitest';
import { curlCommand } from './curl.js';
import { LmpiHttpError, LmpiTimeoutError } from './errors.js';
import { explainLmpiFailure } from './explain.js';

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

describe('curlCommand', () => {
  it('quotes every part for the shell', () => {
    expect(curlCommand({ url: 'http://h/LMPI', method: 'POST', headers: { 'x-a': "it's" }, body: '{"a":1}' })).toBe(
      `curl -sS -X POST 'http://h/LMPI' -H 'x-a: it'\\''s' --data-raw '{"a":1}'`,
    );
  });
});
