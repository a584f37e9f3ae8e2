import { describe, expect, it } from 'vitest';
import { isSlackUrl } from './slack-hosts.js';

describe('isSlackUrl in local mode', () => {
  const standIn = 'http://127.0.0.1:4999/api/';
  it("lets local mode answer pnpm slash's loopback reply sink, and nothing else changes", () => {
    expect(isSlackUrl('http://127.0.0.1:5123/response', standIn, true)).toBe(true);
    expect(isSlackUrl('http://127.0.0.1:5123/response', standIn)).toBe(false); // HTTP mode: refused
    expect(isSlackUrl('http://169.254.169.254/latest', standIn, true)).toBe(false);
    expect(isSlackUrl('https://127.0.0.1.evil.example/x', standIn, true)).toBe(false);
  });
});
