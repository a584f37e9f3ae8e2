import { describe, expect, it } from 'vitest';
import { boltLogger, createLogger } from './logger.js';

const SIGNING_SECRET = 'signing-secret-4f1c9e';
const BOT_TOKEN = 'xoxb-configured-token-1234';

function capture(secrets: string[] = [SIGNING_SECRET, BOT_TOKEN]) {
  const lines: string[] = [];
  const logger = createLogger({ level: 'info', secrets, destination: { write: (line: string) => lines.push(line) } });
  return { logger, lines, json: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

/** The part of a serialized error these tests read. */
interface LoggedError {
  code?: string;
  stack?: string;
  headers?: Record<string, string>;
  original?: { code?: string; config?: { url?: string; headers?: Record<string, string> }; request?: unknown };
}

describe('logged errors', () => {
  it('keep type, message, stack, code and cause, with configured secrets scrubbed from all of them', () => {
    const { logger, lines, json } = capture();
    const socket = Object.assign(new Error(`connect ECONNREFUSED (signed with ${SIGNING_SECRET})`), {
      code: 'ECONNREFUSED',
    });
    const error = Object.assign(new Error(`chat.postMessage with ${BOT_TOKEN} failed`, { cause: socket }), {
      code: 'slack_webapi_request_error',
    });
    logger.warn({ err: error, channel: 'C1' }, 'alert not posted');

    const [line] = json();
    const err = line?.err as Record<string, unknown>;
    expect(err.type).toBe('Error');
    expect(err.code).toBe('slack_webapi_request_error');
    expect(err.message).toBe('chat.postMessage with [redacted] failed: connect ECONNREFUSED (signed with [redacted])');
    expect(err.stack).toMatch(/^Error: chat\.postMessage with \[redacted\] failed\n\s+at /);
    expect(err.stack).toContain('caused by: Error: connect ECONNREFUSED');
    expect(line?.channel).toBe('C1');
    expect(lines.join('')).not.toContain(SIGNING_SECRET);
    expect(lines.join('')).not.toContain(BOT_TOKEN);
  });

  it('redact credential headers and keys an HTTP error carries, even ones not in the configured secrets', () => {
    const { logger, lines, json } = capture([]);
    // The shape of @slack/web-api's request error: the axios error it wraps holds the request config.
    const axiosError = Object.assign(new Error('socket hang up'), {
      code: 'ECONNRESET',
      config: {
        url: 'https://slack.com/api/chat.postMessage',
        headers: { Authorization: 'Bearer xoxb-not-configured-9876', 'User-Agent': 'bolt' },
        data: { channel: 'C1', token: 'xoxp-in-body-5555' },
      },
      request: new (class ClientRequest {
        socket = { authorization: 'Bearer xoxb-not-configured-9876' };
      })(),
    });
    const slackError = Object.assign(new Error('A request error occurred: socket hang up', { cause: axiosError }), {
      code: 'slack_webapi_request_error',
      original: axiosError,
    });
    // An LMPI-side failure carrying the signed request's headers, as undici's Headers.
    const lmpiError = Object.assign(new Error('LMPI GET /LMPI/v2/partners/product failed'), {
      code: 'ERR_LMPI_NETWORK',
      headers: new Headers({ 'x-access-token': 'lmpi-access-0000', 'x-signature': 'c2lnbmF0dXJl', 'x-traceid': 't-1' }),
      secretKey: 'lmpi-secret-key-1111',
    });
    logger.error({ err: slackError }, 'slack call failed');
    logger.error({ err: lmpiError }, 'poll failed');

    const output = lines.join('');
    for (const secret of [
      'xoxb-not-configured-9876',
      'xoxp-in-body-5555',
      'lmpi-access-0000',
      'c2lnbmF0dXJl',
      'lmpi-secret-key-1111',
    ])
      expect(output).not.toContain(secret);
    const [slack, lmpi] = json().map((line) => line.err as LoggedError);
    expect(slack?.code).toBe('slack_webapi_request_error');
    expect(slack?.original?.code).toBe('ECONNRESET');
    expect(slack?.original?.config?.url).toBe('https://slack.com/api/chat.postMessage');
    expect(slack?.original?.config?.headers).toEqual({ Authorization: '[redacted]', 'User-Agent': 'bolt' });
    expect(slack?.original?.request).toBe('[ClientRequest]');
    expect(slack?.stack).toContain('caused by: Error: socket hang up');
    expect(lmpi?.code).toBe('ERR_LMPI_NETWORK');
    expect(lmpi?.headers).toEqual({ 'x-access-token': '[redacted]', 'x-signature': '[redacted]', 'x-traceid': 't-1' });
    expect(lmpi?.stack).toMatch(/\n\s+at /);
  });

  it('still logs a thrown non-error as it is', () => {
    const { logger, json } = capture();
    logger.warn({ err: 'disk full' }, 'write failed');
    expect(json()[0]?.err).toBe('disk full');
  });

  it("from Bolt's own logger keep the error's stack and code next to Bolt's words", () => {
    const { logger, lines, json } = capture();
    const refused = Object.assign(new Error(`auth.test refused ${BOT_TOKEN}`), { code: 'slack_webapi_platform_error' });
    boltLogger(logger).error('Authorization of incoming event did not succeed.', refused);
    const [line] = json();
    expect(line).toMatchObject({
      component: 'bolt',
      msg: 'Authorization of incoming event did not succeed. auth.test refused [redacted]',
      err: { type: 'Error', code: 'slack_webapi_platform_error', message: 'auth.test refused [redacted]' },
    });
    expect((line?.err as LoggedError | undefined)?.stack).toMatch(/\n\s+at /);
    expect(lines.join('')).not.toContain(BOT_TOKEN);
  });
});
