import type { LmpiFailureKind, SchemaIssue } from '@licensewatch/schema';

/** Stable codes of every error the client throws. */
export type LmpiErrorCode =
  | 'ERR_LMPI_HTTP'
  | 'ERR_LMPI_NETWORK'
  | 'ERR_LMPI_TIMEOUT'
  | 'ERR_LMPI_RESPONSE_SHAPE'
  | 'ERR_LMPI_CONFIG';

/** Where a failed request went. Never holds credentials. */
export interface LmpiRequestInfo {
  method: string;
  /** Path and query, without host. */
  path: string;
  /** The `x-traceid` of the last attempt, for LMPI support. */
  traceId?: string;
}

/**
 * Base class of every client error. Match on `code` (stable), not on the message.
 * Messages and fields never contain the access token or the secret key.
 *
 * @example
 * ```ts
 * try { await client.listProducts() } catch (error) {
 *   if (isLmpiError(error)) console.error(error.code, error.message)
 * }
 * ```
 */
export class LmpiError extends Error {
  override name = 'LmpiError';
  readonly code: LmpiErrorCode;
  readonly request: LmpiRequestInfo | undefined;

  constructor(code: LmpiErrorCode, message: string, request?: LmpiRequestInfo, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.request = request;
  }
}

/** LMPI answered with a non-2xx status. */
export class LmpiHttpError extends LmpiError {
  override name = 'LmpiHttpError';
  readonly status: number;
  /** `error_subject` from the body, when the body was an LMPI error (e.g. `AuthenticationFailureSignature`). */
  readonly subject: string | undefined;
  /** `error_message` from the body. Informational: its wording changes between LMPI versions. */
  readonly lmpiMessage: string | undefined;
  /** Start of the raw body when it was not an LMPI error body (HTML from a proxy, say). */
  readonly bodyExcerpt: string | undefined;
  /** Delay the server asked for with `Retry-After`, in ms. */
  readonly retryAfterMs: number | undefined;

  constructor(
    request: LmpiRequestInfo,
    details: { status: number; subject?: string; lmpiMessage?: string; bodyExcerpt?: string; retryAfterMs?: number },
  ) {
    const what = details.subject
      ? [details.subject, details.lmpiMessage?.trim()].filter(Boolean).join(': ')
      : details.bodyExcerpt;
    super(
      'ERR_LMPI_HTTP',
      `LMPI ${request.method} ${request.path} failed with HTTP ${details.status}${what ? ` (${what})` : ''}${
        request.traceId ? ` [trace ${request.traceId}]` : ''
      }`,
      request,
    );
    this.status = details.status;
    this.subject = details.subject;
    this.lmpiMessage = details.lmpiMessage;
    this.bodyExcerpt = details.bodyExcerpt;
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** The request never got an HTTP answer: DNS, refused or reset connection, TLS. */
export class LmpiNetworkError extends LmpiError {
  override name = 'LmpiNetworkError';
  constructor(request: LmpiRequestInfo, cause: unknown) {
    const reason = networkReason(cause);
    super('ERR_LMPI_NETWORK', `LMPI ${request.method} ${request.path} could not be reached: ${reason}`, request, {
      cause,
    });
  }
}

/** No complete answer within the timeout (headers and body). */
export class LmpiTimeoutError extends LmpiError {
  override name = 'LmpiTimeoutError';
  readonly timeoutMs: number;
  constructor(request: LmpiRequestInfo, timeoutMs: number) {
    super('ERR_LMPI_TIMEOUT', `LMPI ${request.method} ${request.path} did not answer within ${timeoutMs} ms`, request);
    this.timeoutMs = timeoutMs;
  }
}

/** LMPI answered 2xx, but the body is not JSON or not the documented shape. */
export class LmpiResponseShapeError extends LmpiError {
  override name = 'LmpiResponseShapeError';
  readonly issues: readonly SchemaIssue[];
  constructor(request: LmpiRequestInfo, message: string, issues: readonly SchemaIssue[], cause?: unknown) {
    super(
      'ERR_LMPI_RESPONSE_SHAPE',
      `LMPI ${request.method} ${request.path} returned an unusable body: ${message}`,
      request,
      {
        cause,
      },
    );
    this.issues = issues;
  }
}

/**
 * The client was configured or called with something unusable (bad base URL, empty credentials, a
 * report month outside what LMPI keeps). Thrown before anything is sent.
 */
export class LmpiConfigError extends LmpiError {
  override name = 'LmpiConfigError';
  /** The option or query field at fault (e.g. `month`, `productId`), when there is one. */
  readonly field: string | undefined;
  constructor(message: string, field?: string) {
    super('ERR_LMPI_CONFIG', message);
    this.field = field;
  }
}

function networkReason(cause: unknown): string {
  const inner = (cause as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (inner && typeof inner.code === 'string') return inner.code;
  if (cause instanceof Error) return cause.message;
  return 'unknown network error';
}

const CODES = new Set<string>([
  'ERR_LMPI_HTTP',
  'ERR_LMPI_NETWORK',
  'ERR_LMPI_TIMEOUT',
  'ERR_LMPI_RESPONSE_SHAPE',
  'ERR_LMPI_CONFIG',
]);

/**
 * True for any error this client throws, also across duplicate package copies (matches on `code`).
 *
 * @example
 * ```ts
 * if (isLmpiError(error) && error.code === 'ERR_LMPI_TIMEOUT') retryLater()
 * ```
 */
export function isLmpiError(value: unknown): value is LmpiError {
  return value instanceof Error && CODES.has((value as { code?: unknown }).code as string);
}

/**
 * True for an HTTP error from LMPI, optionally with a given `error_subject`.
 * `InvalidParameters` matches every `InvalidParameters{Field}` subject.
 *
 * @example
 * ```ts
 * if (isLmpiHttpError(error, 'AuthenticationFailureSignature')) askForNewCredentials()
 * ```
 */
export function isLmpiHttpError(value: unknown, subject?: string): value is LmpiHttpError {
  if (!isLmpiError(value) || value.code !== 'ERR_LMPI_HTTP') return false;
  if (subject === undefined) return true;
  const actual = (value as LmpiHttpError).subject ?? '';
  return subject === 'InvalidParameters' ? actual.startsWith(subject) : actual === subject;
}

/** What went wrong, in the terms an operator acts on. Choose user-facing text from this. */
export type { LmpiFailureKind };

const SUBJECT_KINDS: Record<string, LmpiFailureKind> = {
  AuthenticationFailureSignature: 'credentials',
  AuthenticationFailureAccessToken: 'credentials',
  InvalidHeaderAccessToken: 'credentials',
  AuthenticationFailurePosixTime: 'clock-skew',
};

/**
 * Classifies any error from the client into what the operator should check.
 *
 * @example
 * ```ts
 * lmpiFailureKind(error) // 'credentials' → "LMPI rejected the credentials: check LMPI_ACCESS_TOKEN / LMPI_SECRET_KEY"
 * ```
 */
export function lmpiFailureKind(error: unknown): LmpiFailureKind {
  if (!isLmpiError(error)) return 'unknown';
  switch (error.code) {
    case 'ERR_LMPI_NETWORK':
      return 'unreachable';
    case 'ERR_LMPI_TIMEOUT':
      return 'timeout';
    case 'ERR_LMPI_RESPONSE_SHAPE':
      return 'bad-response';
    case 'ERR_LMPI_CONFIG':
      return 'config';
    case 'ERR_LMPI_HTTP':
      return httpFailureKind(error as LmpiHttpError);
  }
}

function httpFailureKind(error: LmpiHttpError): LmpiFailureKind {
  const bySubject = error.subject ? SUBJECT_KINDS[error.subject] : undefined;
  if (bySubject) return bySubject;
  if (error.status === 401) return 'credentials';
  if (error.status === 403) return 'forbidden';
  if (error.status === 404) return 'not-found';
  if (error.status === 429) return 'rate-limited';
  if (error.status >= 500 || error.status === 408) return 'server';
  return 'bad-request';
}
