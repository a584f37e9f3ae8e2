import { createHash, hash } from 'node:crypto';

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
  return hmacSha256Base64(input.secretKey, stringToSign(input));
}

/**
 * Base64 of HMAC-SHA256(key as UTF-8, message as UTF-8). Internal (not exported by the package);
 * exported for signer.test.ts, which holds it to RFC 4231's vectors.
 */
export function hmacSha256Base64(secretKey: string, message: string): string {
  const { inner, outer } = hmacPads(secretKey);
  const innerDigest = hash('sha256', Buffer.concat([inner, Buffer.from(message, 'utf8')]), 'buffer');
  return hash('sha256', Buffer.concat([outer, innerDigest]), 'base64');
}

// HMAC-SHA256 as RFC 2104 defines it, over two one-shot `crypto.hash` calls instead of a
// `createHmac` object per request: the Hmac object (a native handle behind a stream class) cost
// ~15 µs more per listProducts on Node 24 once garbage collection is counted (issue 25).
// signer.test.ts pins it to createHmac and to RFC 4231's test cases 1, 2 and 5 (the others use key
// or data bytes that are not UTF-8 text, which a Secret Key and a string to sign always are).
const SHA256_BLOCK_BYTES = 64;
let lastPads: { secretKey: string; inner: Buffer; outer: Buffer } | undefined;

/** The key XOR-ed into the inner (0x36) and outer (0x5c) pads, kept for the last secret used. */
function hmacPads(secretKey: string): { inner: Buffer; outer: Buffer } {
  if (lastPads?.secretKey === secretKey) return lastPads;
  let key = Buffer.from(secretKey, 'utf8');
  if (key.length > SHA256_BLOCK_BYTES) key = hash('sha256', key, 'buffer');
  const inner = Buffer.alloc(SHA256_BLOCK_BYTES, 0x36);
  const outer = Buffer.alloc(SHA256_BLOCK_BYTES, 0x5c);
  for (let index = 0; index < key.length; index += 1) {
    inner[index] = (inner[index] as number) ^ (key[index] as number);
    outer[index] = (outer[index] as number) ^ (key[index] as number);
  }
  lastPads = { secretKey, inner, outer };
  return lastPads;
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
