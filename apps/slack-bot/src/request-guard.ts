// Screens Slack requests before Bolt's HTTPReceiver sees them. Bolt 5.1 crashes the process on a
// signed body whose payload is JSON `null` (it reads `body.ssl_check` outside any try: an unhandled
// rejection), and it checks only that a timestamp is not too old, never that it is not in the
// future. Both are caught here, on the raw body, which Bolt then reuses (`rawBody`) unchanged.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { parse as parseForm } from 'node:querystring';
import { type HTTPReceiver, isValidSlackRequest } from '@slack/bolt';
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

/** What Bolt will make of the body, parsed the way Bolt parses it; undefined when unparseable. */
function parsedBody(body: string, contentType: string | undefined): { value: unknown } | undefined {
  try {
    if (contentType === 'application/x-www-form-urlencoded') {
      const form = parseForm(body);
      return { value: typeof form.payload === 'string' ? JSON.parse(form.payload) : form };
    }
    return { value: JSON.parse(body) };
  } catch {
    return undefined;
  }
}

/**
 * Decides whether a request to the Slack endpoint may reach Bolt. Unsigned requests go through
 * (Bolt refuses them with 401, and answers `ssl_check`); signed ones must carry a timestamp within
 * {@link MAX_CLOCK_SKEW_SECONDS} of now in both directions and a body that is a JSON object.
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
  const timestamp = Number(headers['x-slack-request-timestamp']);
  if (Number.isFinite(timestamp) && timestamp - options.now() / 1000 > MAX_CLOCK_SKEW_SECONDS)
    return { status: 401, reason: 'request timestamp is more than 5 minutes in the future' };
  const signature = headers['x-slack-signature'];
  const signed =
    typeof signature === 'string' &&
    isValidSlackRequest({
      signingSecret: options.signingSecret,
      body,
      headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
      nowMilliseconds: options.now(),
    });
  if (!signed) return undefined; // Bolt refuses it (401) or answers ssl_check
  const parsed = parsedBody(body, headers['content-type']);
  if (!parsed) return { status: 400, reason: 'body is not valid JSON or form data' };
  const { value } = parsed;
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return {
      status: 400,
      reason: `body is ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}, not an object`,
    };
  return undefined;
}

/**
 * Puts {@link screenRequest} in front of an HTTPReceiver: refused requests get their status and a
 * warning log line (no body, no headers: they may carry secrets); the rest reach Bolt with the
 * body already read.
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
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method !== 'POST' || path !== endpoint) return inner(req, res);
    readBody(req).then(
      (body) => {
        if (!body) return refuse(res, { status: 413, reason: 'body larger than 4 MB' });
        const refusal = screenRequest(body.toString('utf8'), req.headers, options);
        if (refusal) return refuse(res, refusal);
        (req as Buffered).rawBody = body;
        return inner(req, res);
      },
      () => refuse(res, { status: 400, reason: 'request body could not be read' }),
    );
  };
  return receiver;
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
    logger.warn({ status, err: { code, message: error.message } }, 'Slack request could not be processed');
    response.writeHead(status);
    response.end();
    return true;
  };
}
