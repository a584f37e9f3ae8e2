import { createHash, createHmac } from 'node:crypto';

/** What the LMPI signature covers (reference §1.2). */
export interface SignatureInput {
  /** The partner's Secret Key, used as UTF-8 text (never Base64-decoded). */
  secretKey: string;
  /** `x-posix-time`: whole seconds since the epoch, UTC. The same value goes in the header. */
  posixTime: number;
  /** HTTP method; upper-cased before signing. */
  method: string;
  /** Byte-exact path and query as sent on the wire, starting at `/LMPI/`: no scheme, host or port. */
  uri: string;
  /** The exact body bytes sent, if any. An empty body adds nothing to the string to sign. */
  body?: string | Uint8Array;
}

/**
 * Base64 of the MD5 digest of the body bytes (24 characters, not hex).
 *
 * @example
 * ```ts
 * bodyDigest('{"report_cycle_year":"2018","report_cycle_month":"07"}') // 'uw8UoFFTp7x264zj8cqBzA=='
 * ```
 */
export function bodyDigest(body: string | Uint8Array): string {
  return createHash('md5').update(body).digest('base64');
}

/**
 * The string LMPI signs: posix time + METHOD + URI (+ Base64(MD5(body)) when there is a body),
 * with no separators.
 *
 * @example
 * ```ts
 * stringToSign({ secretKey, posixTime: 1363797148, method: 'get', uri: '/LMPI/v2/partners/product' })
 * // '1363797148GET/LMPI/v2/partners/product'
 * ```
 */
export function stringToSign(input: SignatureInput): string {
  const head = `${input.posixTime}${input.method.toUpperCase()}${input.uri}`;
  const hasBody = input.body !== undefined && input.body.length > 0;
  return hasBody ? head + bodyDigest(input.body as string | Uint8Array) : head;
}

/**
 * Computes `x-signature`: Base64(HMAC-SHA256(secret as UTF-8, string to sign as UTF-8)).
 *
 * @example
 * ```ts
 * signLmpiRequest({ secretKey: 'example-secret', posixTime: 1363797148, method: 'GET', uri: '/LMPI/v2/partners/product' })
 * // 'L6rdaydcJ32rlPVdb0vtokEwGvp7/hk/llxsGeMGaoU='
 * ```
 */
export function signLmpiRequest(input: SignatureInput): string {
  if (!Number.isSafeInteger(input.posixTime) || input.posixTime < 0) {
    throw new RangeError('posixTime must be whole seconds since the epoch');
  }
  if (!input.uri.startsWith('/')) throw new RangeError('uri must be the absolute path (and query) sent on the wire');
  return createHmac('sha256', Buffer.from(input.secretKey, 'utf8'))
    .update(stringToSign(input), 'utf8')
    .digest('base64');
}

/** Everything needed to produce the five LMPI request headers. */
export interface HeaderInput extends SignatureInput {
  accessToken: string;
  traceId: string;
}

/** The content-type LMPI documents on its "Invoking LMPI" page. */
export const LMPI_CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * The five headers every LMPI request carries, signature included.
 *
 * @example
 * ```ts
 * const headers = lmpiHeaders({ accessToken, secretKey, traceId: randomUUID(),
 *   posixTime: Math.floor(Date.now() / 1000), method: 'GET', uri: '/LMPI/v2/partners/product' })
 * ```
 */
export function lmpiHeaders(input: HeaderInput): Record<string, string> {
  return {
    'x-access-token': input.accessToken,
    'x-posix-time': String(input.posixTime),
    'x-signature': signLmpiRequest(input),
    'x-traceid': input.traceId,
    'content-type': LMPI_CONTENT_TYPE,
  };
}
