import { describe, expect, it } from 'vitest';
import { classifySlackError } from './notifier.js';

// Errors shaped as @slack/web-api throws them (code plus the fields of each kind).
const http = (statusCode: number, headers: Record<string, string> = {}) => ({
  code: 'slack_webapi_http_error',
  statusCode,
  headers,
  message: `An HTTP protocol error occurred: statusCode = ${statusCode}`,
});
const platform = (error: string) => ({ code: 'slack_webapi_platform_error', data: { ok: false, error } });

describe('classifySlackError: what a failed Slack call means for delivery', () => {
  const now = Date.UTC(2026, 11, 3, 12);

  it('gives up on an HTTP error a retry cannot fix (400, 404, 413) instead of retrying to the limit', () => {
    for (const status of [400, 404, 413]) expect(classifySlackError(http(status), now).retryable).toBe(false);
  });

  it('retries 408, 429 and 5xx, waiting what Retry-After asks in either form', () => {
    for (const status of [408, 429, 500, 503]) expect(classifySlackError(http(status), now).retryable).toBe(true);
    expect(classifySlackError(http(503, { 'retry-after': '120' }), now).retryAfterMs).toBe(120_000);
    const date = new Date(now + 30_000).toUTCString();
    expect(classifySlackError(http(503, { 'retry-after': date }), now).retryAfterMs).toBe(30_000);
    expect(classifySlackError(http(503), now).retryAfterMs).toBeUndefined();
  });

  it('judges a platform error by its code: a rate limit or an outage retries, a missing channel does not', () => {
    expect(classifySlackError(platform('service_unavailable'), now).retryable).toBe(true);
    expect(classifySlackError(platform('channel_not_found'), now).retryable).toBe(false);
    expect(classifySlackError(platform('channel_not_found'), now).message).toBe('Slack: channel_not_found');
  });

  it("waits the seconds of Slack's own rate-limit error, and retries a network failure", () => {
    const limited = classifySlackError({ code: 'slack_webapi_rate_limited_error', retryAfter: 5 }, now);
    expect(limited.retryable).toBe(true);
    expect(limited.retryAfterMs).toBe(5_000);
    const network = classifySlackError({ code: 'slack_webapi_request_error', message: 'socket hang up' }, now);
    expect(network.retryable).toBe(true);
  });
});
