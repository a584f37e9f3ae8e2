import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { text as readText } from 'node:stream/consumers';

/** An event the fake accepted (202). */
export interface AcceptedEvent {
  event_action: 'trigger' | 'acknowledge' | 'resolve';
  dedup_key: string;
  routing_key: string;
  payload?: { summary: string; source: string; severity: string; custom_details?: Record<string, unknown> };
}

/** A local stand-in for PagerDuty's Events API v2 (`POST /v2/enqueue`). */
export interface FakePagerDuty {
  /** The events URL to configure (`PAGERDUTY_EVENTS_URL`). */
  url: string;
  /** Accepted events, in order. */
  accepted: AcceptedEvent[];
  /** Every request, with the status answered. */
  requests: { status: number; body: unknown }[];
  /** Alerts PagerDuty would hold: one per dedup key, with what happened to it. */
  alerts: Map<string, { status: 'triggered' | 'acknowledged' | 'resolved'; triggers: number }>;
  /** Answers the next requests with these statuses (e.g. 429, 500, 400) instead of validating. */
  failNext(...statuses: number[]): void;
  /** Makes requests hang unanswered, to test a crash mid-send; `record`: count them as accepted first. */
  hold(options: { record: boolean } | false): void;
  close(): Promise<void>;
}

const SEVERITIES = new Set(['critical', 'error', 'warning', 'info']);
const ACTIONS = new Set(['trigger', 'acknowledge', 'resolve']);
const TOP_LEVEL = new Set([
  'routing_key',
  'event_action',
  'dedup_key',
  'payload',
  'images',
  'links',
  'client',
  'client_url',
]);
const PAYLOAD = new Set([
  'summary',
  'source',
  'severity',
  'timestamp',
  'component',
  'group',
  'class',
  'custom_details',
]);

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Problems with an event body, per the Events API v2 spec (empty when valid). */
export function eventProblems(body: unknown): string[] {
  if (!isObject(body)) return ['body must be a JSON object'];
  const problems: string[] = [];
  for (const key of Object.keys(body)) if (!TOP_LEVEL.has(key)) problems.push(`unknown field ${key}`);
  if (typeof body.routing_key !== 'string' || body.routing_key.length !== 32)
    problems.push('routing_key must be a 32-character string');
  if (typeof body.event_action !== 'string' || !ACTIONS.has(body.event_action))
    problems.push('event_action must be trigger, acknowledge or resolve');
  if (typeof body.dedup_key !== 'string' || body.dedup_key.length === 0 || body.dedup_key.length > 255)
    problems.push('dedup_key must be a string of 1 to 255 characters');
  if (body.event_action !== 'trigger') {
    if (body.client !== undefined || body.client_url !== undefined) problems.push('client is for triggers only');
    if (body.payload !== undefined && !isObject(body.payload)) problems.push('payload must be an object');
    return problems;
  }
  const payload = body.payload;
  if (!isObject(payload)) return [...problems, 'payload is required for trigger'];
  for (const key of Object.keys(payload)) if (!PAYLOAD.has(key)) problems.push(`unknown payload field ${key}`);
  if (typeof payload.summary !== 'string' || payload.summary.length === 0 || payload.summary.length > 1024)
    problems.push('payload.summary must be 1 to 1024 characters');
  if (typeof payload.source !== 'string' || payload.source.length === 0) problems.push('payload.source is required');
  if (typeof payload.severity !== 'string' || !SEVERITIES.has(payload.severity))
    problems.push('payload.severity must be critical, error, warning or info');
  if (
    payload.timestamp !== undefined &&
    (typeof payload.timestamp !== 'string' || Number.isNaN(Date.parse(payload.timestamp)))
  )
    problems.push('payload.timestamp must be ISO 8601');
  for (const key of ['component', 'group', 'class'])
    if (payload[key] !== undefined && typeof payload[key] !== 'string')
      problems.push(`payload.${key} must be a string`);
  if (payload.custom_details !== undefined && !isObject(payload.custom_details))
    problems.push('payload.custom_details must be an object');
  return problems;
}

/** Starts the fake on an ephemeral loopback port. */
export async function startFakePagerDuty(): Promise<FakePagerDuty> {
  const accepted: AcceptedEvent[] = [];
  const requests: FakePagerDuty['requests'] = [];
  const alerts: FakePagerDuty['alerts'] = new Map();
  const failures: number[] = [];
  let holding: { record: boolean } | false = false;

  const apply = (event: AcceptedEvent) => {
    accepted.push(event);
    const alert = alerts.get(event.dedup_key);
    if (event.event_action === 'trigger') {
      // A repeat trigger appends to the open alert; after a resolve the key opens a new one.
      if (alert && alert.status !== 'resolved') alert.triggers += 1;
      else alerts.set(event.dedup_key, { status: 'triggered', triggers: 1 });
    } else if (alert && alert.status !== 'resolved') {
      alert.status = event.event_action === 'resolve' ? 'resolved' : 'acknowledged';
    }
  };

  const server = createServer(async (req, res) => {
    const text = await readText(req);
    const answer = (status: number, body: Record<string, unknown>) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (holding) {
      requests.push({ status: 0, body });
      if (holding.record && eventProblems(body).length === 0) apply(body as AcceptedEvent);
      return; // never answer: the sender is killed while waiting
    }
    const forced = failures.shift();
    if (forced !== undefined) {
      requests.push({ status: forced, body });
      if (forced === 400)
        answer(400, {
          status: 'invalid event',
          message: 'Event object is invalid',
          errors: ['Length of routing_key is incorrect'],
        });
      else answer(forced, { status: 'throttled', message: 'Requests for this service are arriving too quickly' });
      return;
    }
    const problems =
      req.method !== 'POST' || req.url !== '/v2/enqueue'
        ? ['POST /v2/enqueue only']
        : !req.headers['content-type']?.startsWith('application/json')
          ? ['content-type must be application/json']
          : eventProblems(body);
    if (problems.length > 0) {
      requests.push({ status: 400, body });
      answer(400, { status: 'invalid event', message: 'Event object is invalid', errors: problems });
      return;
    }
    const event = body as AcceptedEvent;
    requests.push({ status: 202, body });
    apply(event);
    answer(202, { status: 'success', message: 'Event processed', dedup_key: event.dedup_key });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v2/enqueue`,
    accepted,
    requests,
    alerts,
    failNext: (...statuses) => {
      failures.push(...statuses);
    },
    hold: (options) => {
      holding = options;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
