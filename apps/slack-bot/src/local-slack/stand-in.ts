import { randomUUID } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { text as readText } from 'node:stream/consumers';
import { type WebSocket, WebSocketServer } from 'ws';
import { blockKitViolations } from '../block-kit/limits.js';
import { renderMessageText } from './render-text.js';

/** A message the stand-in received: a Web API call or a response_url reply. */
export interface ReceivedMessage {
  kind: 'chat.postMessage' | 'chat.update' | 'chat.postEphemeral' | 'response';
  /** For `response`: the id in the response URL; for chat calls: the channel. */
  target: string;
  ts: string;
  payload: Record<string, unknown>;
  /** Block Kit limit violations found in the payload (real Slack would reject it). */
  violations: string[];
}

/** A failure {@link SlackStandIn.failCall} injects. */
export interface CallFault {
  /** Which call from now on fails: 1 = the next one. Default 1. */
  nth?: number;
  /** The Slack error code, e.g. `channel_not_found`, `internal_error`. */
  error: string;
  afterEffect?: boolean;
}

export interface SlackStandInOptions {
  /** Where readable text of every message goes (local mode prints to the terminal). */
  print?: (text: string) => void;
  port?: number;
}

/** A Slack stand-in: Web API, response URLs and a Socket Mode endpoint, on loopback. */
export interface SlackStandIn {
  /** Base URL for the Web API client: `http://127.0.0.1:P/api/`. */
  apiUrl: string;
  url: string;
  messages: ReceivedMessage[];
  /** A response URL that records what is posted to it under `id`. */
  responseUrl(id?: string): string;
  /** Resolves with the next message matching `predicate` (including ones already received). */
  waitFor(predicate: (message: ReceivedMessage) => boolean, timeoutMs?: number): Promise<ReceivedMessage>;
  /** Web API calls received, by method (e.g. `auth.test`). */
  calls: Map<string, number>;
  /**
   * Makes chat.postMessage stop answering (the request hangs), to test a crash mid-post.
   * `record`: whether the message counts as posted (Slack got it) before the hang.
   */
  holdPosts(options: { record: boolean } | false): void;
  /**
   * Fault injection: the `nth` next call of a Web API `method` (1 = the very next) answers
   * `{ ok: false, error }`. With `afterEffect`, the call takes effect first (the message is
   * posted or edited) and only the answer says it failed, like a reply lost on the way back.
   */
  failCall(method: string, fault: CallFault): void;
  socket: {
    /** Resolves once a Socket Mode client has connected and been sent `hello`. */
    connected(): Promise<void>;
    /** Sends an envelope to the connected client; resolves with its acknowledgement. */
    send(type: string, payload: Record<string, unknown>): Promise<Record<string, unknown>>;
  };
  close(): Promise<void>;
}

/** Web API bodies arrive form-encoded (objects as JSON strings) or as JSON. */
function parseArgs(body: string, contentType: string | undefined): Record<string, unknown> {
  if (contentType?.includes('application/json')) return body ? (JSON.parse(body) as Record<string, unknown>) : {};
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    args[key] = /^[[{]/.test(value) ? safeJson(value) : value;
  }
  return args;
}

function safeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function json(res: ServerResponse, body: unknown, status = 200): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/**
 * Starts the Slack stand-in. Every received message is checked against Block Kit limits and,
 * when `print` is given, written out as readable text.
 *
 * @example
 * ```ts
 * const slack = await startSlackStandIn({ print: (t) => process.stdout.write(t) })
 * new App({ token, signingSecret, clientOptions: { slackApiUrl: slack.apiUrl } })
 * ```
 */
export async function startSlackStandIn(options: SlackStandInOptions = {}): Promise<SlackStandIn> {
  const messages: ReceivedMessage[] = [];
  const calls = new Map<string, number>();
  const waiters: { predicate: (m: ReceivedMessage) => boolean; resolve: (m: ReceivedMessage) => void }[] = [];
  let tsCounter = 0;
  let holding: { record: boolean } | false = false;
  const faults: { method: string; at: number; fault: CallFault }[] = [];
  /** The fault for this call of `method`, if one was injected (counted from when it was). */
  const faultFor = (method: string): CallFault | undefined => {
    const index = faults.findIndex((f) => f.method === method && f.at === (calls.get(method) ?? 0));
    return index < 0 ? undefined : faults.splice(index, 1)[0]?.fault;
  };

  const receive = (
    kind: ReceivedMessage['kind'],
    target: string,
    payload: Record<string, unknown>,
    ts = `${Date.now() / 1000}.${++tsCounter}`,
  ) => {
    const message: ReceivedMessage = { kind, target, ts, payload, violations: blockKitViolations(payload) };
    messages.push(message);
    if (options.print) {
      const where = kind === 'response' ? 'reply' : `${kind} to ${target}`;
      const problems = message.violations.length
        ? `\n!! Slack would reject this message:\n   ${message.violations.join('\n   ')}\n`
        : '';
      options.print(`\n── Slack ${where} ──\n${renderMessageText(payload)}${problems}`);
    }
    for (const waiter of [...waiters]) {
      if (waiter.predicate(message)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(message);
      }
    }
    return message;
  };

  let baseUrl = '';
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const body = await readText(req);
    if (url.pathname.startsWith('/response/')) {
      receive('response', url.pathname.slice('/response/'.length), safeJson(body) as Record<string, unknown>);
      json(res, { ok: true });
      return;
    }
    const method = url.pathname.replace(/^\/api\//, '');
    calls.set(method, (calls.get(method) ?? 0) + 1);
    const args = parseArgs(body, req.headers['content-type']);
    const fault = faultFor(method);
    if (fault && !fault.afterEffect) {
      json(res, { ok: false, error: fault.error });
      return;
    }
    // With afterEffect the call takes effect below, and the answer is the failure.
    const reply = (answer: unknown) => json(res, fault ? { ok: false, error: fault.error } : answer);
    switch (method) {
      case 'auth.test':
        reply({
          ok: true,
          url: 'https://local.slack.invalid/',
          team: 'local',
          user: 'licensewatch',
          team_id: 'TLOCAL',
          user_id: 'ULOCALBOT',
          bot_id: 'BLOCAL',
        });
        return;
      case 'conversations.history':
      case 'conversations.replies': {
        const channel = String(args.channel ?? '');
        const thread = method === 'conversations.replies' ? String(args.ts ?? '') : undefined;
        const found = messages
          .filter(
            (m) =>
              m.kind === 'chat.postMessage' &&
              m.target === channel &&
              (thread ? m.payload.thread_ts === thread || m.ts === thread : !m.payload.thread_ts),
          )
          .map((m) => ({
            type: 'message',
            ts: m.ts,
            text: m.payload.text,
            ...(m.payload.metadata ? { metadata: m.payload.metadata } : {}),
          }))
          .reverse();
        reply({ ok: true, messages: found, has_more: false });
        return;
      }
      case 'chat.postMessage':
      case 'chat.postEphemeral':
      case 'chat.update': {
        if (method === 'chat.postMessage' && holding) {
          if (holding.record) receive('chat.postMessage', String(args.channel ?? ''), args);
          return; // never answer: the poster is killed while waiting
        }
        const channel = String(args.channel ?? '');
        const ts = method === 'chat.update' ? String(args.ts ?? '') : undefined;
        const message = receive(method, channel, args, ts);
        reply({ ok: true, channel, ts: message.ts, message: { ...args, ts: message.ts } });
        return;
      }
      case 'apps.connections.open':
        reply({ ok: true, url: `${baseUrl.replace('http', 'ws')}/socket` });
        return;
      default:
        reply({ ok: false, error: 'unknown_method' });
    }
  });

  const sockets = new WebSocketServer({ noServer: true });
  let client: WebSocket | undefined;
  let onConnected: (() => void) | undefined;
  const connected = new Promise<void>((resolve) => {
    onConnected = resolve;
  });
  const acks = new Map<string, (ack: Record<string, unknown>) => void>();
  server.on('upgrade', (req, socket, head) => {
    sockets.handleUpgrade(req, socket, head, (ws) => {
      client = ws;
      ws.on('message', (data) => {
        const ack = safeJson(data.toString()) as Record<string, unknown>;
        const id = String(ack.envelope_id ?? '');
        acks.get(id)?.(ack);
        acks.delete(id);
      });
      ws.send(
        JSON.stringify({
          type: 'hello',
          num_connections: 1,
          connection_info: { app_id: 'ALOCAL' },
          debug_info: { host: 'local' },
        }),
      );
      onConnected?.();
    });
  });

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}`;

  return {
    apiUrl: `${baseUrl}/api/`,
    url: baseUrl,
    messages,
    calls,
    holdPosts: (options) => {
      holding = options;
    },
    failCall: (method, fault) => {
      faults.push({ method, at: (calls.get(method) ?? 0) + (fault.nth ?? 1), fault });
    },
    responseUrl: (id = randomUUID()) => `${baseUrl}/response/${id}`,
    waitFor: (predicate, timeoutMs = 10_000) => {
      const already = messages.find(predicate);
      if (already) return Promise.resolve(already);
      return new Promise((resolve, reject) => {
        const waiter = {
          predicate,
          resolve: (m: ReceivedMessage) => {
            clearTimeout(timer);
            resolve(m);
          },
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error(`no matching Slack message within ${timeoutMs} ms (received ${messages.length})`));
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
    socket: {
      connected: () => connected,
      send: (type, payload) =>
        new Promise((resolve, reject) => {
          if (!client) {
            reject(new Error('no Socket Mode client connected'));
            return;
          }
          const envelopeId = randomUUID();
          acks.set(envelopeId, resolve);
          client.send(
            JSON.stringify({ envelope_id: envelopeId, type, payload, accepts_response_payload: type !== 'events_api' }),
          );
        }),
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of sockets.clients) ws.terminate();
        sockets.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
