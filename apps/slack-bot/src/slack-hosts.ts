import type { Logger } from 'pino';

/** Refused: a URL Bolt was asked to fetch that is not Slack's (e.g. a forged `response_url`). */
export class ForeignUrlError extends Error {
  override name = 'ForeignUrlError';
  readonly code = 'ERR_FOREIGN_URL';
}

/**
 * Whether the bot may send to `url`: Slack itself (`https://hooks.slack.com`, `https://*.slack.com`)
 * or the configured Web API host (`SLACK_API_URL`, the local stand-in); in local mode also
 * `http://127.0.0.1` (the `pnpm slash` script's reply sink).
 *
 * @example
 * ```ts
 * isSlackUrl('https://hooks.slack.com/commands/T1/2/abc', undefined) // true
 * isSlackUrl('http://169.254.169.254/latest', undefined) // false
 * ```
 */
export function isSlackUrl(url: string, apiUrl: string | undefined, localMode = false): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  // Local mode only (no Slack at all, everything on this machine): `pnpm slash` receives the
  // respond() reply on a loopback port of its own.
  if (localMode && parsed.protocol === 'http:' && parsed.hostname === '127.0.0.1') return true;
  if (parsed.protocol === 'https:' && (parsed.hostname === 'slack.com' || parsed.hostname.endsWith('.slack.com')))
    return true;
  if (!apiUrl) return false;
  const api = new URL(apiUrl);
  return parsed.protocol === api.protocol && parsed.host === api.host;
}

/**
 * A fetch for Bolt (Web API calls and `respond()`, which posts to the request's `response_url`)
 * that only reaches Slack: anything else is refused with a warning naming the host, never fetched.
 *
 * @example
 * ```ts
 * new App({ clientOptions: { fetch: slackOnlyFetch(fetch, apiUrl, logger) } })
 * ```
 */
export function slackOnlyFetch(
  inner: (input: string | URL | Request, init?: RequestInit) => Promise<Response>,
  apiUrl: string | undefined,
  logger: Logger,
  localMode = false,
): (input: string | URL | Request, init?: RequestInit) => Promise<Response> {
  return (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (!isSlackUrl(url, apiUrl, localMode)) {
      let host = 'an unparseable URL';
      try {
        host = new URL(url).host;
      } catch {}
      logger.warn({ host }, 'refused to send to a URL that is not Slack (forged response_url?)');
      return Promise.reject(new ForeignUrlError(`refused to send to ${host}: not a Slack URL`));
    }
    return inner(input, init);
  };
}
