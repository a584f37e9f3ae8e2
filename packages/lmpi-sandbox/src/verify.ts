import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { type LmpiErrorAnswer, lmpiError } from './lmpi-errors.js';

// The sandbox's own implementation of LMPI request authentication (reference §1). It deliberately
// shares no code with @licensewatch/client's signer, so one signing bug cannot pass on both sides.

/** Partner roles as LMPI defines them (T1: Distributor, ISP; T2: MSP, Reseller). */
export type PartnerRole = 'distributor' | 'isp' | 'msp' | 'reseller';

/** One set of partner credentials the sandbox accepts. */
export interface PartnerCredentials {
  accessToken: string;
  secretKey: string;
  role: PartnerRole;
  partnerId: string;
}

/** The parts of an incoming request that authentication looks at. */
export interface IncomingLmpiRequest {
  method: string;
  /** Raw request target as received: path and query, undecoded. */
  target: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** LMPI rejects a posix time more than 15 minutes from its own clock, either way. */
export const MAX_CLOCK_SKEW_SECONDS = 15 * 60;

function header(request: IncomingLmpiRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** `application/json` with optional parameters (`; charset=utf-8`), case-insensitive. */
export function isJsonContentType(value: string | undefined): boolean {
  if (!value) return false;
  const [mediaType, ...parameters] = value.split(';').map((part) => part.trim().toLowerCase());
  if (mediaType !== 'application/json') return false;
  return parameters.every((p) => p === '' || p === 'charset=utf-8' || p === 'charset="utf-8"');
}

/** Expected signature for a request, computed independently of the client. */
export function expectedSignature(secretKey: string, posixTime: string, request: IncomingLmpiRequest): string {
  const hmac = createHmac('sha256', Buffer.from(secretKey, 'utf8'));
  hmac.update(posixTime, 'utf8');
  hmac.update(request.method.toUpperCase(), 'utf8');
  hmac.update(request.target, 'utf8');
  if (request.body.length > 0) hmac.update(createHash('md5').update(request.body).digest('base64'), 'utf8');
  return hmac.digest('base64');
}

function sameSignature(received: string, expected: string): boolean {
  const a = Buffer.from(received, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The result of authenticating a request. */
export type Verification = { ok: true; partner: PartnerCredentials } | { ok: false; error: LmpiErrorAnswer };

/**
 * Authenticates a request the way LMPI documents it, in this order: every header present (400
 * MissingHeader*), content-type (415), known token (401 InvalidHeaderAccessToken), posix time within
 * 15 minutes (401 AuthenticationFailurePosixTime), signature (401 AuthenticationFailureSignature).
 *
 * @example
 * ```ts
 * const result = verifyLmpiRequest(request, (token) => partners.get(token), Date.now())
 * if (!result.ok) reply(result.error)
 * ```
 */
export function verifyLmpiRequest(
  request: IncomingLmpiRequest,
  findPartner: (accessToken: string) => PartnerCredentials | undefined,
  nowMs: number,
): Verification {
  const token = header(request, 'x-access-token');
  const time = header(request, 'x-posix-time');
  const signature = header(request, 'x-signature');
  const traceId = header(request, 'x-traceid');
  if (!token) return { ok: false, error: lmpiError('MissingHeaderAccessToken') };
  if (!time) return { ok: false, error: lmpiError('MissingHeaderPosixTime') };
  if (!signature) return { ok: false, error: lmpiError('MissingHeaderSignature') };
  if (!traceId) return { ok: false, error: lmpiError('MissingHeaderTraceID') };
  if (!isJsonContentType(header(request, 'content-type'))) {
    return { ok: false, error: lmpiError('InvalidHeaderContentType') };
  }
  const partner = findPartner(token);
  if (!partner) return { ok: false, error: lmpiError('InvalidHeaderAccessToken') };
  if (!/^\d{1,10}$/.test(time) || Math.abs(Number(time) - nowMs / 1000) > MAX_CLOCK_SKEW_SECONDS) {
    return { ok: false, error: lmpiError('AuthenticationFailurePosixTime') };
  }
  if (!sameSignature(signature, expectedSignature(partner.secretKey, time, request))) {
    return { ok: false, error: lmpiError('AuthenticationFailureSignature') };
  }
  return { ok: true, partner };
}
