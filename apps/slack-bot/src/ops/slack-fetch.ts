import { slackMethod } from './metrics.js';

/** Receives one outcome per Slack call (Web API method, or `respond` for a response_url). */
export type SlackCallObserver = (method: string, outcome: 'ok' | 'error' | 'http_error' | 'network_error') => void;

/**
 * The `fetch` the Bolt app's Web API client and `respond()` use. It reads every response body before
 * handing it back: Bolt's respond() never reads the body, so its connection could not be reused and
 * every reply would open a new TCP/TLS connection to Slack. Reading the (tiny) body also tells the
 * call's outcome (`ok: false` in a Web API answer is an `error`), which it reports to `observe`.
 *
 * @example
 * ```ts
 * new App({ ...options, clientOptions: { fetch: meteredSlackFetch(metrics.slackCall) } })
 * ```
 */
export function meteredSlackFetch(observe: SlackCallObserver = () => undefined) {
  return async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = slackMethod(url);
    let response: Response;
    try {
      response = await fetch(input, init);
    } catch (error) {
      observe(method, 'network_error');
      throw error;
    }
    const body = await response.arrayBuffer();
    observe(method, outcomeOf(method, response, body));
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

function outcomeOf(method: string, response: Response, body: ArrayBuffer): 'ok' | 'error' | 'http_error' {
  if (!response.ok) return 'http_error';
  if (method === 'respond' || !response.headers.get('content-type')?.includes('json')) return 'ok';
  try {
    const parsed = JSON.parse(new TextDecoder().decode(body)) as { ok?: unknown };
    return parsed.ok === false ? 'error' : 'ok';
  } catch {
    return 'error';
  }
}
