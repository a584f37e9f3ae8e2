import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buffer as readBytes } from 'node:stream/consumers';
import { type WebSocket, WebSocketServer } from 'ws';
import { blockKitViolations } from './block-kit-limits.js';
import { type Audience, fileVisibilityViolations } from './file-visibility.js';
import { type FileStore, slackFileViolations, startFileStore } from './files.js';
import { createLocalView, type LocalUser } from './local-view/local-view.js';
import { manifestBotScopes } from './manifest.js';
import type { AppEndpoint } from './outbound.js';
import { RateLimits } from './rate-limits.js';
import { renderMessageText } from './render-text.js';
import { answerWebApi, type InjectedFailure, STAND_IN_BOT, type StoredMessage, type WebApiState } from './web-api.js';
import type { StandInChannel } from './web-api-rules.js';

export type { InjectedFailure } from './web-api.js';
export { STAND_IN_BOT } from './web-api.js';

/** A message the stand-in received: a Web API call or a response_url reply. */
export interface ReceivedMessage {
  kind:
    | 'chat.postMessage'
    | 'chat.update'
    | 'chat.postEphemeral'
    | 'response'
    | 'files.completeUploadExternal'
    | 'views.publish';
  /** For `response`: the id in the response URL; for chat calls: the channel. */
  target: string;
  ts: string;
  payload: Record<string, unknown>;
  /** Block Kit limit violations found in the payload (real Slack would reject it). */
  violations: string[];
  /** Milliseconds since the epoch when the stand-in accepted it. */
  receivedAt: number;
}

/** A Web API call the stand-in refused, as Slack would have. */
export interface RefusedCall {
  method: string;
  /** Slack's error code (`missing_scope`, `not_in_channel`, `ratelimited`, …). */
  error: string;
  status: number;
  /** For `missing_scope`: the scope the call needed. */
  needed?: string;
  channel?: string;
  at: number;
}

/** A channel to create in the stand-in's workspace. */
export interface ChannelSpec {
  id: string;
  name?: string;
  private?: boolean;
  archived?: boolean;
  /** Whether the bot is already a member (invited). Default false: a fresh install. */
  botIsMember?: boolean;
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
  /** Where uploaded files are written. Default: a new temporary directory. */
  uploadDir?: string;
  /** The bot token Slack issued (`xoxb-`); any other token is `invalid_auth`. Default {@link STAND_IN_BOT_TOKEN}. */
  botToken?: string;
  /** The app-level token (`xapp-`) for Socket Mode; without it apps.connections.open is refused. */
  appToken?: string;
  /** Bot scopes granted. Give these or `manifest`. */
  scopes?: readonly string[];
  /** The app manifest (`manifest.yml`) the app was installed from: the token gets exactly its bot scopes. */
  manifest?: string;
  /** Channels of the workspace. */
  channels?: readonly ChannelSpec[];
  /**
   * Whether the app is approved for the Slack Marketplace. Default false: since 2025 Slack limits
   * conversations.history and replies to 1 request a minute with `limit` at most 15 for other apps.
   */
  marketplaceApproved?: boolean;
  /** The person using the web view at `/local` (commands and presses come from them). Default {@link STAND_IN_USER}. */
  user?: LocalUser;
  /** The app's name in the web view. Default `app`. */
  appName?: string;
}

/** Who uses the web view unless told otherwise. */
export const STAND_IN_USER: LocalUser = { id: 'ULOCALUSER', name: 'you' };

/** A Slack stand-in: Web API, response URLs and a Socket Mode endpoint, on loopback. */
export interface SlackStandIn {
  /** Base URL for the Web API client: `http://127.0.0.1:P/api/`. */
  apiUrl: string;
  url: string;
  /** The web view: channels, alerts and the Home tab as posted, with working buttons and slash commands. */
  localUrl: string;
  /**
   * Where the app receives Slack's requests (its Request URL and signing secret): the web view sends
   * slash commands, button presses and app_home_opened there, signed as Slack signs them.
   */
  connectApp(app: AppEndpoint): void;
  messages: ReceivedMessage[];
  /** Files uploaded through files.getUploadURLExternal + the upload URL + files.completeUploadExternal. */
  files: FileStore;
  /** The Home tab view last published per user (views.publish). */
  homeViews: Map<string, Record<string, unknown>>;
  /**
   * A response URL that records what is posted to it under `id`. `requester`: the person the
   * reply is for (only they see it): files shown in it must be visible to them.
   */
  responseUrl(id?: string, requester?: string): string;
  /** Resolves with the next message matching `predicate` (including ones already received). */
  waitFor(predicate: (message: ReceivedMessage) => boolean, timeoutMs?: number): Promise<ReceivedMessage>;
  /** Web API calls received, by method (e.g. `auth.test`). */
  calls: Map<string, number>;
  /** Web API calls refused (errors and 429s), oldest first. */
  refused: RefusedCall[];
  /**
   * Refusals that mean the app itself is wrong (a scope the manifest lacks, a bad token): tests
   * fail on any of these.
   */
  appErrors(): RefusedCall[];
  /** Bot scopes the token has. */
  scopes: readonly string[];
  /** Adds a channel to the workspace. */
  createChannel(spec: ChannelSpec): void;
  /** Whether the bot is a member of a channel. */
  botIsMember(channel: string): boolean;
  /** Makes the next calls of `method` fail, one failure per call. */
  failNext(method: string, ...failures: InjectedFailure[]): void;
  /**
   * Makes chat.postMessage stop answering (the request hangs), to test a crash mid-post.
   * `record`: whether the message counts as posted (Slack got it) before the hang.
   */
  holdPosts(options: { record: boolean } | false): void;
  /**
   * Stalls every call of a Web API `method` (Slack being slow on it): calls wait unanswered until
   * `holdCalls(method, false)`, then take effect and are answered in order.
   */
  holdCalls(method: string, hold: boolean): void;
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

/** The bot token the stand-in issues unless told another. */
export const STAND_IN_BOT_TOKEN = 'xoxb-slack-stand-in-not-a-real-token';

/** The bot scopes of the installed app: given, or read from its manifest. */
function grantedScopes(options: SlackStandInOptions): readonly string[] {
  if (options.scopes) return options.scopes;
  if (options.manifest) return manifestBotScopes(options.manifest);
  throw new TypeError('startSlackStandIn: give the app manifest (`manifest`) or its bot scopes (`scopes`)');
}

/** Refusals caused by the app's own set-up rather than by the workspace or load. */
const APP_ERRORS = new Set(['missing_scope', 'not_authed', 'invalid_auth', 'not_allowed_token_type', 'unknown_method']);

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

function json(res: ServerResponse, body: unknown, status = 200, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
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
  const refused: RefusedCall[] = [];
  const waiters: { predicate: (m: ReceivedMessage) => boolean; resolve: (m: ReceivedMessage) => void }[] = [];
  let tsCounter = 0;
  let holding: { record: boolean } | false = false;
  // A folder of its own unless given one: removed again on close, so runs leave nothing in /tmp.
  const ownUploadDir = options.uploadDir ? undefined : mkdtempSync(join(tmpdir(), 'licensewatch-slack-uploads-'));
  const files = startFileStore(options.uploadDir ?? (ownUploadDir as string));
  const homeViews = new Map<string, Record<string, unknown>>();
  /** Who each response URL answers (the person who typed the command or clicked). */
  const requesters = new Map<string, string>();
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
    ts: string,
    receivedAt = Date.now(),
  ) => {
    const message: ReceivedMessage = {
      kind,
      target,
      ts,
      payload,
      violations:
        kind === 'views.publish'
          ? []
          : [
              ...blockKitViolations(payload),
              ...slackFileViolations(payload.blocks, files),
              ...visibility(kind, target, payload),
            ],
      receivedAt,
    };
    messages.push(message);
    if (options.print) {
      const where =
        kind === 'response' ? 'reply' : kind === 'views.publish' ? `Home tab of ${target}` : `${kind} to ${target}`;
      const problems = message.violations.length
        ? `\n!! Slack would reject this message:\n   ${message.violations.join('\n   ')}\n`
        : '';
      options.print(`\n── Slack ${where} ──\n${renderMessageText(payload)}${problems}`);
    }
    view.changed();
    for (const waiter of [...waiters]) {
      if (waiter.predicate(message)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(message);
      }
    }
    return message;
  };

  const channels = new Map<string, StandInChannel>();
  /** Files a message shows that someone who sees the message cannot see. */
  const visibility = (kind: ReceivedMessage['kind'], target: string, payload: Record<string, unknown>) => {
    const ephemeralUser = kind === 'chat.postEphemeral' && typeof payload.user === 'string' ? payload.user : undefined;
    const requester = kind === 'response' ? requesters.get(target) : undefined;
    const audience: Audience | undefined =
      kind === 'response'
        ? requester
          ? { user: requester }
          : undefined
        : ephemeralUser
          ? { user: ephemeralUser }
          : { channel: target };
    return audience ? fileVisibilityViolations(payload.blocks, files, channels, audience) : [];
  };
  const createChannel = (spec: ChannelSpec) => {
    channels.set(spec.id, {
      id: spec.id,
      name: spec.name ?? spec.id.toLowerCase(),
      private: spec.private ?? false,
      archived: spec.archived ?? false,
      members: new Set(spec.botIsMember ? [STAND_IN_BOT.userId] : []),
    });
  };
  for (const spec of options.channels ?? []) createChannel(spec);
  const scopes = grantedScopes(options);
  const state: WebApiState = {
    botToken: options.botToken ?? STAND_IN_BOT_TOKEN,
    appToken: options.appToken,
    scopes,
    channels,
    messages: [] as StoredMessage[],
    historyCapped: !options.marketplaceApproved,
    limits: new RateLimits(),
    injected: new Map(),
    now: Date.now,
    nextTs: () => `${Math.floor(Date.now() / 1000)}.${String(++tsCounter).padStart(6, '0')}`,
    files,
    homeViews,
    baseUrl: () => baseUrl,
    accepted: (method, message) =>
      receive(method as ReceivedMessage['kind'], message.channel, message.payload, message.ts, message.receivedAt),
  };

  let baseUrl = '';
  const you = options.user ?? STAND_IN_USER;
  const view = createLocalView({
    messages,
    channels,
    files,
    botUserId: STAND_IN_BOT.userId,
    teamId: STAND_IN_BOT.teamId,
    user: you,
    appName: options.appName ?? 'app',
    responseUrl: (id, requester) => {
      requesters.set(id, requester);
      return `${baseUrl}/response/${id}`;
    },
    recordReply: (id, payload) => {
      receive('response', id, payload, 'reply');
    },
  });
  /** Calls waiting per stalled method (holdCalls). */
  const held = new Map<string, (() => void)[]>();
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const raw = await readBytes(req);
    if (url.pathname === '/local' || url.pathname.startsWith('/local/')) {
      if (await view.handle(req, res, url, raw)) return;
    }
    if (url.pathname.startsWith('/upload/')) {
      const stored = files.receiveBytes(url.pathname.slice('/upload/'.length), raw, req.headers['content-type']);
      res.writeHead(stored ? 200 : 404, { 'content-type': 'text/plain' });
      res.end(stored ? `OK - ${raw.length}` : 'unknown upload URL');
      return;
    }
    const body = raw.toString('utf8');
    if (url.pathname.startsWith('/response/')) {
      const id = url.pathname.slice('/response/'.length);
      if (!view.allowResponse(id, Date.now())) {
        json(res, { ok: false, error: 'used_url' }, 404); // [uncertain] Slack's exact answer past 5 uses
        return;
      }
      receive('response', id, safeJson(body) as Record<string, unknown>, 'reply');
      json(res, { ok: true });
      return;
    }
    const method = url.pathname.replace(/^\/api\//, '');
    calls.set(method, (calls.get(method) ?? 0) + 1);
    const args = parseArgs(body, req.headers['content-type']);
    if (req.method !== 'POST') {
      json(res, { ok: false, error: 'invalid_request' }, 405);
      return;
    }
    const stalled = held.get(method);
    if (stalled) await new Promise<void>((resume) => stalled.push(resume));
    if (method === 'chat.postMessage' && holding) {
      if (holding.record) answerWebApi(state, method, args, req.headers.authorization);
      return; // never answer: the poster is killed while waiting
    }
    const fault = faultFor(method);
    // With afterEffect the call takes effect, and only the answer is the failure.
    const effect =
      fault && !fault.afterEffect ? undefined : answerWebApi(state, method, args, req.headers.authorization);
    const answer: { status: number; body: Record<string, unknown>; headers?: Record<string, string> } = fault
      ? { status: 200, body: { ok: false, error: fault.error } }
      : (effect as NonNullable<typeof effect>);
    if (answer.body.ok === false) {
      refused.push({
        method,
        error: String(answer.body.error),
        status: answer.status,
        ...(typeof answer.body.needed === 'string' ? { needed: answer.body.needed } : {}),
        ...(typeof args.channel === 'string' ? { channel: args.channel } : {}),
        at: Date.now(),
      });
    }
    if (method === 'apps.connections.open' && answer.body.ok)
      answer.body.url = `${baseUrl.replace('http', 'ws')}/socket`;
    json(res, answer.body, answer.status, answer.headers);
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
    localUrl: `${baseUrl}/local`,
    connectApp: (app) => view.connect(app),
    messages,
    files,
    homeViews,
    calls,
    refused,
    appErrors: () => refused.filter((r) => APP_ERRORS.has(r.error)),
    scopes,
    createChannel,
    botIsMember: (channel) => channels.get(channel)?.members.has(STAND_IN_BOT.userId) ?? false,
    failNext: (method, ...failures) => {
      state.injected.set(method, [...(state.injected.get(method) ?? []), ...failures]);
    },
    holdPosts: (options) => {
      holding = options;
    },
    holdCalls: (method, hold) => {
      const waiting = held.get(method) ?? [];
      if (hold) held.set(method, waiting);
      else {
        held.delete(method);
        for (const resume of waiting) resume();
      }
    },
    failCall: (method, fault) => {
      faults.push({ method, at: (calls.get(method) ?? 0) + (fault.nth ?? 1), fault });
    },
    responseUrl: (id = randomUUID(), requester) => {
      if (requester) requesters.set(id, requester);
      return `${baseUrl}/response/${id}`;
    },
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
        view.close();
        for (const ws of sockets.clients) ws.terminate();
        sockets.close();
        server.closeAllConnections();
        server.close(() => {
          if (ownUploadDir) rmSync(ownUploadDir, { recursive: true, force: true });
          resolve();
        });
      }),
  };
}
