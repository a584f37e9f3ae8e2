import { describe, expect, it } from 'vitest';
import { errorMessage } from './errors.js';

describe('errorMessage', () => {
  it("gives an Error's own message, not its name or stack", () => {
    expect(errorMessage(new TypeError('fetch failed'))).toBe('fetch failed');
  });

  it('gives anything else thrown as text', () => {
    expect(errorMessage('disk full')).toBe('disk full');
    expect(errorMessage(404)).toBe('404');
    expect(errorMessage(undefined)).toBe('undefined');
  });

  it('still answers for a value that cannot be turned into text', () => {
    expect(errorMessage(Object.create(null))).toBe('unknown error');
  });
});
