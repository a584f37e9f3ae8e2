import { describe, expect, it } from 'vitest';
import { parseLmpiErrorBody } from './error-body.js';

describe('parseLmpiErrorBody', () => {
  it('reads the documented error body', () => {
    const body = parseLmpiErrorBody(
      '{"error_subject":"InvalidHeaderContentType","error_message":"The supplied content-type is not supported."}',
    );
    expect(body?.error_subject).toBe('InvalidHeaderContentType');
  });

  it('returns undefined for HTML, plain text and other JSON', () => {
    expect(parseLmpiErrorBody('<html><body>Bad gateway</body></html>')).toBeUndefined();
    expect(parseLmpiErrorBody('')).toBeUndefined();
    expect(parseLmpiErrorBody('{"message":"nope"}')).toBeUndefined();
  });
});
