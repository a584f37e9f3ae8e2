// The local Slack you can click, served by the stand-in under /local: channels as Slack shows them,
// the Home tab, a message box for slash commands, and buttons that reach the app as Slack's signed
// block_actions. Requests to the app go through outbound.ts; replies come back through the
// stand-in's Web API and response URLs like any other, so what the page shows is what Slack got.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FileStore } from '../files.js';
import { type AppAnswer, type AppEndpoint, sendToApp } from '../outbound.js';
import type { StandInChannel } from '../web-api-rules.js';
import { type Notice, type Received, type ResponseOrigin, type ShownMessage, workspaceOf } from './conversations.js';
import { localPage } from './page.js';
import { renderView } from './render-view.js';
import { blockActions, eventCallback, pressedButton, slashCommandForm } from './requests-to-app.js';

type Json = Record<string, unknown>;

/** The person using the page. */
export interface LocalUser {
  id: string;
  name: string;
}

/** What the view reads from and writes to the stand-in. */
export interface LocalViewDeps {
  messages: readonly Received[];
  channels: ReadonlyMap<string, StandInChannel>;
  files: FileStore;
  botUserId: string;
  teamId: string;
  user: LocalUser;
  /** The app's name, shown as the sender of its messages. */
  appName: string;
  /** A response URL that answers `requester` (the stand-in records what is posted to it). */
  responseUrl(id: string, requester: string): string;
  /** Records a reply the app put in its acknowledgement, as if posted to that response URL. */
  recordReply(id: string, payload: Json): void;
}

/** Slack allows a response URL 5 uses within 30 minutes. */
export const RESPONSE_URL_LIMIT = { uses: 5, withinMs: 30 * 60_000 } as const;

/** The local web view: its HTTP handler, and the hooks the stand-in calls. */
export interface LocalView {
  /** Answers a request under `/local`; false when the path is not the view's. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer): Promise<boolean>;
  /** Tells open pages to refresh. */
  changed(): void;
  /** Where the app receives Slack's requests; until set, commands and presses say so. */
  connect(app: AppEndpoint): void;
  /** Whether a response URL this view handed out may be used again (counts the use). */
  allowResponse(id: string, now: number): boolean;
  close(): void;
}

const sendJson = (res: ServerResponse, body: unknown, status = 200) => {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
};

/**
 * Creates the view over the stand-in's state.
 *
 * @example
 * ```ts
 * const view = createLocalView({ messages, channels, files, … })
 * if (await view.handle(req, res, url, body)) return
 * ```
 */
export function createLocalView(deps: LocalViewDeps): LocalView {
  const origins = new Map<string, ResponseOrigin & { uses: number[] }>();
  const notices: Notice[] = [];
  const pages = new Set<ServerResponse>();
  let app: AppEndpoint | undefined;
  let counter = 0;

  const workspace = () => workspaceOf(deps.messages, origins, deps.user.id, notices);
  const notice = (channel: string, text: string, from: ShownMessage['from'] = 'slackbot') => {
    counter += 1;
    notices.push({
      after: deps.messages.length,
      message: { key: `n:${counter}`, channel, ts: `notice-${counter}`, payload: { text }, ephemeral: true, from },
    });
  };
  const changed = () => {
    for (const page of pages) page.write(`data: ${deps.messages.length}.${notices.length}\n\n`);
  };
  const issueResponseUrl = (origin: ResponseOrigin) => {
    const id = randomUUID();
    origins.set(id, { ...origin, uses: [] });
    return { id, url: deps.responseUrl(id, origin.user) };
  };
  const actions = personActions({
    deps,
    app: () => app,
    notice,
    issueResponseUrl,
    workspace,
  });

  return {
    changed,
    connect: (endpoint) => {
      app = endpoint;
    },
    allowResponse: (id, now) => {
      const origin = origins.get(id);
      if (!origin) return true; // not one of the view's: the stand-in's own rules apply
      origin.uses = origin.uses.filter((at) => now - at < RESPONSE_URL_LIMIT.withinMs);
      if (origin.uses.length >= RESPONSE_URL_LIMIT.uses) return false;
      origin.uses.push(now);
      return true;
    },
    close: () => {
      for (const page of pages) page.end();
      pages.clear();
    },
    handle: async (req, res, url, body) => {
      if (url.pathname === '/local' || url.pathname === '/local/') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        res.end(localPage(deps.appName));
        return true;
      }
      if (!url.pathname.startsWith('/local/')) return false;
      const route = url.pathname.slice('/local/'.length);
      if (req.method === 'GET' && route === 'view') {
        sendJson(res, renderView(deps, workspace(), url.searchParams.get('channel') ?? ''));
      } else if (req.method === 'GET' && route === 'events') {
        res.writeHead(200, {
          'content-type': 'text/event-stream',
          'cache-control': 'no-store',
          connection: 'keep-alive',
        });
        res.write(': local Slack\n\n');
        pages.add(res);
        req.on('close', () => pages.delete(res));
      } else if (req.method === 'GET' && route.startsWith('files/')) {
        serveFile(deps.files, decodeURIComponent(route.slice('files/'.length)), res);
      } else if (req.method === 'POST' && route in actions) {
        // JSON only: a page elsewhere cannot send it here without a CORS preflight, which is refused.
        if (!req.headers['content-type']?.startsWith('application/json')) {
          sendJson(res, { ok: false, error: 'expected application/json' }, 415);
          return true;
        }
        await (actions[route] as (b: Json) => Promise<unknown>)(parseJson(body));
        changed();
        sendJson(res, { ok: true });
      } else {
        sendJson(res, { ok: false, error: 'not_found' }, 404);
      }
      return true;
    },
  };
}

/** What the view's request handlers share: the stand-in, the connected app and the view's state. */
interface ActionContext {
  deps: LocalViewDeps;
  app: () => AppEndpoint | undefined;
  notice: (channel: string, text: string, from?: ShownMessage['from']) => void;
  issueResponseUrl: (origin: ResponseOrigin) => { id: string; url: string };
  workspace: () => ReturnType<typeof workspaceOf>;
}

/** What the person can do on the page: type a command, press a button, open the Home tab. */
function personActions(ctx: ActionContext): Record<string, (body: Json) => Promise<unknown>> {
  const { deps, notice, issueResponseUrl, workspace } = ctx;
  const failed = (what: string, answer: AppAnswer) =>
    answer.late
      ? `${what} failed: ${deps.appName} did not answer within 3 seconds (Slack: operation_timeout)`
      : `${what} failed: ${deps.appName} answered HTTP ${answer.status || `nothing (${answer.body})`} (Slack: dispatch_failed)`;

  return {
    command: async (body) => {
      const channel = String(body.channel ?? '');
      const text = String(body.text ?? '').trim();
      const found = /^(\/\S+)\s*([\s\S]*)$/.exec(text);
      if (!found) {
        notice(channel, 'Only slash commands reach the app from here, e.g. /licenses low');
        return;
      }
      notice(channel, `You used ${text}`, 'you');
      const app = ctx.app();
      if (!app) return notice(channel, 'No app is connected to this local Slack yet.');
      const reply = issueResponseUrl({ channel, user: deps.user.id });
      const form = slashCommandForm(deps, channel, found[1] as string, found[2] ?? '', reply.url);
      const answer = await sendToApp(app, form, 'form');
      if (answer.status !== 200) return notice(channel, failed(found[1] as string, answer));
      const inAck = replyInAck(answer.body);
      if (inAck) deps.recordReply(reply.id, inAck);
    },
    press: async (body) => {
      const entry = String(body.entry ?? '');
      const place = { entry, block: Number(body.block), element: String(body.element ?? '') };
      const pressed = pressedButton(workspace(), place);
      if (!pressed) return;
      const app = ctx.app();
      if (!app) return notice(pressed.channel, 'No app is connected to this local Slack yet.');
      const reply = pressed.onHome
        ? undefined
        : issueResponseUrl({ channel: pressed.channel, user: deps.user.id, source: entry });
      const payload = blockActions(deps, pressed, reply?.url);
      const answer = await sendToApp(app, new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'form');
      if (answer.status !== 200) notice(pressed.channel, failed('The button', answer));
    },
    home: async () => {
      const app = ctx.app();
      if (!app) return;
      const event = {
        type: 'app_home_opened',
        user: deps.user.id,
        channel: `D${deps.user.id}`,
        tab: 'home',
        event_ts: `${Date.now() / 1000}`,
      };
      const answer = await sendToApp(app, JSON.stringify(eventCallback(deps, event)), 'json');
      if (answer.status !== 200) notice('home', failed('Opening the Home tab', answer));
    },
  };
}

function parseJson(body: Buffer): Json {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    return parsed && typeof parsed === 'object' ? (parsed as Json) : {};
  } catch {
    return {};
  }
}

/** A reply the app put in its acknowledgement body (Slack shows it as a response). */
function replyInAck(body: string): Json | undefined {
  if (!body.trim()) return undefined;
  try {
    const parsed = JSON.parse(body) as Json;
    return typeof parsed.text === 'string' || Array.isArray(parsed.blocks) ? parsed : undefined;
  } catch {
    return { text: body };
  }
}

function serveFile(files: FileStore, id: string, res: ServerResponse): void {
  const file = files.byId.get(id);
  const bytes = file?.bytes ?? (file?.path ? readFileSync(file.path) : undefined);
  if (!file || !bytes) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('file_not_found');
    return;
  }
  const type = /\.png$/i.test(file.filename)
    ? 'image/png'
    : /\.jpe?g$/i.test(file.filename)
      ? 'image/jpeg'
      : 'application/octet-stream';
  res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(bytes);
}
