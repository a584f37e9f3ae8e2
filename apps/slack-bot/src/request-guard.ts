// Screens Slack requests before Bolt's HTTPReceiver sees them, and is the one place their signature
// is verified (the receiver runs with `signatureVerification: false`: checking every request twice
// cost a second HMAC and a second body parse). Bolt 5.1 crashes the process on a signed body whose
// payload is JSON `null` (it reads `body.ssl_check` outside any try: an unhandled rejection), and it
// checks only that a timestamp is not too old, never that it is not in the future. Both are caught
// here, on the raw body, which Bolt then reuses (`rawBody`) unchanged. A slash command whose reply is
// already serialised (`fastReply`) is answered here with those bytes, without Bolt.

import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { type ParsedUrlQuery, parse as parseForm } from 'node:querystring';
import type { HTTPReceiver } from '@slack/bolt';
import type { Logger } from 'pino';

/** Slack's replay window: a request timestamp further than this from now is refused. */
export const MAX_CLOCK_SKEW_SECONDS = 300;
/** Bolt's own body limit (4 MB); bigger bodies are refused with 413 before being read whole. */
const BODY_LIMIT = 4 * 1024 * 1024;

export interface RequestGuardOptions {
  signingSecret: string;
  logger: Logger;
  now: () => number;
  /** Where Slack posts (Bolt's default `/slack/events`). */
  endpoint?: string;
  /**
   * A signed slash command's acknowledgement, when it is already rendered and serialised (JSON
   * bytes); undefined sends the command on to Bolt.
   */
  fastReply?: (form: ParsedUrlQuery) => Buffer | undefined;
}

/** Why a request is refused before Bolt, with the HTTP status it gets. */
export interface Refusal {
  status: 400 | 401 | 413;
  reason: string;
}

type Buffered = IncomingMessage & { rawBody?: Buffer };

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= BODY_LIMIT) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > BODY_LIMIT ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const FORM = 'application/x-www-form-urlencoded';

/** What Bolt will make of the body, parsed the way Bolt parses it; undefined when unparseable. */
function parsedBody(body: string, contentType: string | undefined): { value: unknown } | undefined {
  try {
    if (contentType === FORM) {
      const form = parseForm(body);
      return { value: typeof form.payload === 'string' ? JSON.parse(form.payload) : form };
    }
    return { value: JSON.parse(body) };
  } catch {
    return undefined;
  }
}

/** What screening found: a refusal, Slack's unsigned `ssl_check`, or the signed body's value. */
type Screened = { refusal: Refusal } | { sslCheck: true } | { value: object };

function screen(
  body: string,
  headers: IncomingMessage['headers'],
  options: { signingSecret: string; now: () => number },
): Screened {
  const timestamp = Number(headers['x-slack-request-timestamp']);
  const nowMs = options.now();
  if (Number.isFinite(timestamp) && timestamp - nowMs / 1000 > MAX_CLOCK_SKEW_SECONDS)
    return { refusal: { status: 401, reason: 'request timestamp is more than 5 minutes in the future' } };
  const signature = headers['x-slack-signature'];
  // Slack stamps requests with the wall clock: judged by it (as Bolt's own check did), not by an
  // injected clock.
  const signed =
    typeof signature === 'string' && isSignedBySlack(options.signingSecret, body, signature, timestamp, Date.now());
  if (!signed) {
    // Slack's connectivity check is not signed (Bolt answers it); anything else unsigned is refused.
    if (headers['content-type'] === FORM && parseForm(body).ssl_check === '1') return { sslCheck: true };
    return { refusal: { status: 401, reason: 'signature or timestamp invalid' } };
  }
  const parsed = parsedBody(body, headers['content-type']);
  if (!parsed) return { refusal: { status: 400, reason: 'body is not valid JSON or form data' } };
  const { value } = parsed;
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return {
      refusal: {
        status: 400,
        reason: `body is ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}, not an object`,
      },
    };
  return { value };
}

/**
 * Slack's request signature (`v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{body}`) with a timestamp
 * at most {@link MAX_CLOCK_SKEW_SECONDS} old, compared in constant time. Bolt's `isValidSlackRequest`
 * checks the same, but its comparison (tsscmp) draws random bytes and computes two more HMACs per
 * request: 60 % of the guard's CPU under load.
 *
 * @example
 * ```ts
 * isSignedBySlack(secret, rawBody, headers['x-slack-signature'], Number(headers['x-slack-request-timestamp']), Date.now())
 * ```
 */
export function isSignedBySlack(
  signingSecret: string,
  body: string,
  signature: string,
  timestampSeconds: number,
  nowMs: number,
): boolean {
  if (!Number.isFinite(timestampSeconds) || timestampSeconds < Math.floor(nowMs / 1000) - MAX_CLOCK_SKEW_SECONDS)
    return false;
  const expected = Buffer.from(
    `v0=${createHmac('sha256', signingSecret).update(`v0:${timestampSeconds}:${body}`).digest('hex')}`,
  );
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Decides whether a request to the Slack endpoint may reach Bolt: it must be signed with a
 * timestamp within {@link MAX_CLOCK_SKEW_SECONDS} of now in both directions (401 otherwise; Slack's
 * unsigned `ssl_check` goes through, for Bolt to answer) and its body must be a JSON object (400).
 *
 * @example
 * ```ts
 * screenRequest(rawBody, req.headers, { signingSecret, now: Date.now }) // undefined: let Bolt have it
 * ```
 */
export function screenRequest(
  body: string,
  headers: IncomingMessage['headers'],
  options: { signingSecret: string; now: () => number },
): Refusal | undefined {
  const screened = screen(body, headers, options);
  return 'refusal' in screened ? screened.refusal : undefined;
}

/** The request path without its query string (no URL object per request). */
function pathOf(url: string | undefined): string {
  if (url === undefined) return '/';
  const query = url.indexOf('?');
  return query < 0 ? url : url.slice(0, query);
}

/**
 * Puts {@link screenRequest} in front of an HTTPReceiver built with `signatureVerification: false`
 * (this is where signatures are checked): refused requests get their status and a warning log line
 * (no body, no headers: they may carry secrets); a slash command with a serialised reply
 * (`fastReply`) gets those bytes; the rest reach Bolt with the body already read.
 *
 * @example
 * ```ts
 * const receiver = guardRequests(new HTTPReceiver({ signingSecret }), { signingSecret, logger, now })
 * ```
 */
export function guardRequests(receiver: HTTPReceiver, options: RequestGuardOptions): HTTPReceiver {
  const endpoint = options.endpoint ?? '/slack/events';
  const inner: RequestListener = receiver.requestListener;
  const refuse = (res: ServerResponse, refusal: Refusal) => {
    options.logger.warn({ status: refusal.status, reason: refusal.reason }, 'Slack request refused');
    res.writeHead(refusal.status);
    res.end();
  };
  receiver.requestListener = (req, res) => {
    if (req.method !== 'POST' || pathOf(req.url) !== endpoint) return inner(req, res);
    readBody(req).then(
      (body) => {
        if (!body) return refuse(res, { status: 413, reason: 'body larger than 4 MB' });
        const screened = screen(body.toString('utf8'), req.headers, options);
        if ('refusal' in screened) return refuse(res, screened.refusal);
        if ('sslCheck' in screened) {
          // As Bolt does for it: nothing but the check itself reaches the app unsigned.
          (req as Buffered).rawBody = Buffer.from('ssl_check=1');
          return inner(req, res);
        }
        const form = screened.value as ParsedUrlQuery;
        const reply = typeof form.command === 'string' ? options.fastReply?.(form) : undefined;
        if (reply) {
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': reply.length });
          res.end(reply);
          return;
        }
        (req as Buffered).rawBody = body;
        return inner(req, res);
      },
      () => refuse(res, { status: 400, reason: 'request body could not be read' }),
    );
  };
  return receiver;
}

/**
 * A `fastReply` that also does what Bolt's path does around an answered command, off the
 * allocation path: times it for the slash-command metric and logs it at debug level only.
 *
 * @example
 * ```ts
 * guardRequests(receiver, { ...options, fastReply: answeredInGuard(licensesFastReply(deps), logger, metrics.command) })
 * ```
 */
export function answeredInGuard(
  fastReply: (form: ParsedUrlQuery) => Buffer | undefined,
  logger: Logger,
  observe: ((seconds: number) => void) | undefined,
): (form: ParsedUrlQuery) => Buffer | undefined {
  return (form) => {
    const started = performance.now();
    const reply = fastReply(form);
    if (!reply) return undefined;
    observe?.((performance.now() - started) / 1000);
    if (logger.isLevelEnabled('debug'))
      logger.debug({ user: form.user_id, channel: form.channel_id, via: 'stored ack' }, '/licenses answered');
    return reply;
  };
}

/** What Bolt passes a receiver's `processEventErrorHandler`. */
interface ProcessEventErrorArgs {
  error: Error | { code?: string; message?: string };
  response: ServerResponse;
}

/**
 * The receiver's `processEventErrorHandler`: an error before any listener acknowledged is Bolt
 * failing to make sense of a signed body (every listener here acks first), so the answer is 400 and
 * a warning, not Bolt's default 500. Authorization failures keep their 401.
 *
 * @example
 * ```ts
 * new HTTPReceiver({ signingSecret, processEventErrorHandler: malformedEventHandler(logger) })
 * ```
 */
export function malformedEventHandler(logger: Logger): (args: ProcessEventErrorArgs) => Promise<boolean> {
  return async ({ error, response }) => {
    if (response.headersSent) return false; // after ack(): app.error has logged it
    const code = (error as { code?: string }).code;
    const status = code === 'slack_bolt_authorization_error' ? 401 : 400;
    logger.warn({ status, err: error }, 'Slack request could not be processed');
    response.writeHead(status);
    response.end();
    return true;
  };
}
