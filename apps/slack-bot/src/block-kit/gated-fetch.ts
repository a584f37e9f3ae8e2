// Seam 1 of the output gate: the `fetch` of the Bolt app. Every Web API call of every WebClient
// Bolt builds (`app.client`, the listeners' `client`) and every `respond()` (Bolt posts to the
// `response_url` with the same fetch) goes through it, so no renderer can send around the gate.
// Seam 2 (./gated-ack.ts) covers acknowledgements, which travel in the HTTP response instead.
import { gateMessage, gateWebApiArgs, SURFACES } from './gate.js';

type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** Form fields the WebClient sends as JSON strings (objects), parsed back to gate them. */
const JSON_FIELDS = new Set(['blocks', 'view', 'files', 'attachments', 'metadata']);

/** The Web API method of a URL (`…/api/chat.postMessage`), or undefined for a response_url. */
function apiMethod(url: string): string | undefined {
  const match = /\/api\/([a-zA-Z]+(?:\.[a-zA-Z]+)+)$/.exec(new URL(url).pathname);
  return match?.[1];
}

function gateForm(method: string, body: string): string {
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    if (!JSON_FIELDS.has(key)) {
      args[key] = value;
      continue;
    }
    try {
      args[key] = JSON.parse(value);
    } catch {
      args[key] = value;
    }
  }
  const gated = gateWebApiArgs(method, args);
  const out = new URLSearchParams();
  for (const [key, value] of Object.entries(gated)) {
    if (value === undefined || value === null) continue;
    out.append(key, typeof value === 'object' ? JSON.stringify(value) : String(value));
  }
  return out.toString();
}

function gateJson(method: string | undefined, body: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return body;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return body;
  const gated = method
    ? gateWebApiArgs(method, parsed as Record<string, unknown>)
    : gateMessage(parsed, SURFACES.reply);
  return JSON.stringify(gated);
}

/**
 * Wraps the fetch the Bolt app sends with: Web API arguments go through {@link gateWebApiArgs},
 * `respond()` bodies (JSON to a response_url) through {@link gateMessage} as replies. Binary
 * uploads (multipart) pass unchanged.
 *
 * @example
 * ```ts
 * new App({ clientOptions: { fetch: gatedSlackFetch(fetch) } })
 * ```
 */
export function gatedSlackFetch(inner: Fetch): Fetch {
  return (input, init) => {
    const body = init?.body;
    if (typeof body !== 'string') return inner(input, init);
    const url = input instanceof Request ? input.url : String(input);
    const method = apiMethod(url);
    const type = new Headers(init?.headers).get('content-type') ?? '';
    const gated =
      type.includes('application/x-www-form-urlencoded') && method ? gateForm(method, body) : gateJson(method, body);
    return inner(input, { ...init, body: gated });
  };
}
