// Requests from the stand-in to the app, as Slack sends them: slash commands and button clicks as
// form bodies, events as JSON, each signed with the app's signing secret (v0 HMAC-SHA256 of
// `v0:{timestamp}:{raw body}`). The signature is computed here, not by the app's own code, so one
// signing bug cannot pass on both sides. Slack expects an acknowledgement within 3 seconds.
import { createHmac } from 'node:crypto';

/** Where Slack sends the app's requests (the Request URL of slash commands, interactivity, events). */
export interface AppEndpoint {
  /** e.g. `http://127.0.0.1:3000/slack/events`. */
  requestUrl: string;
  signingSecret: string;
}

/** How the app answered one request. */
export interface AppAnswer {
  status: number;
  body: string;
  /** Milliseconds until the app answered. */
  ackMs: number;
  /** Slack gives up after 3 s and shows the user an error; so does the stand-in. */
  late: boolean;
}

/** Slack's acknowledgement deadline. */
export const ACK_DEADLINE_MS = 3_000;

/**
 * The `x-slack-request-timestamp` and `x-slack-signature` headers Slack sends with `rawBody`.
 *
 * @example
 * ```ts
 * slackSignature('secret', 'payload=%7B%7D', 1_700_000_000)['x-slack-signature'] // 'v0=…'
 * ```
 */
export function slackSignature(signingSecret: string, rawBody: string, timestampSeconds: number) {
  const digest = createHmac('sha256', signingSecret).update(`v0:${timestampSeconds}:${rawBody}`).digest('hex');
  return { 'x-slack-request-timestamp': String(timestampSeconds), 'x-slack-signature': `v0=${digest}` };
}

/**
 * POSTs one signed request to the app and waits for its acknowledgement (at most 3 s, as Slack).
 *
 * @example
 * ```ts
 * await sendToApp(app, new URLSearchParams({ payload: JSON.stringify(action) }).toString(), 'form')
 * ```
 */
export async function sendToApp(app: AppEndpoint, rawBody: string, kind: 'form' | 'json'): Promise<AppAnswer> {
  const started = performance.now();
  const headers = {
    'content-type': kind === 'form' ? 'application/x-www-form-urlencoded' : 'application/json',
    ...slackSignature(app.signingSecret, rawBody, Math.floor(Date.now() / 1000)),
  };
  try {
    const response = await fetch(app.requestUrl, {
      method: 'POST',
      headers,
      body: rawBody,
      signal: AbortSignal.timeout(ACK_DEADLINE_MS),
    });
    const body = await response.text();
    return { status: response.status, body, ackMs: performance.now() - started, late: false };
  } catch (error) {
    const late = error instanceof Error && error.name === 'TimeoutError';
    const body = late ? '' : error instanceof Error ? error.message : String(error);
    return { status: 0, body, ackMs: performance.now() - started, late };
  }
}
