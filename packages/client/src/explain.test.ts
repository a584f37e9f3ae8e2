import { describe, expect, it } from 'vitest';
import { curlCommand } from './curl.js';
import { LmpiHttpError, LmpiTimeoutError } from './errors.js';
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
