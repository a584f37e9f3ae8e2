import { randomUUID } from 'node:crypto';
import { parseLmpiErrorBody } from '@licensewatch/schema';
import ky, { isNetworkError } from 'ky';
import { type LmpiError, LmpiHttpError, LmpiNetworkError, type LmpiRequestInfo, LmpiTimeoutError } from './errors.js';
import { isRetryableStatus, nextRetryDelay, parseRetryAfter, type RetryPolicy, sleep } from './retry.js';
import { lmpiHeaders } from './signer.js';

/** One attempt of one request, reported for logging and metrics. Never carries credentials. */
export interface LmpiAttemptEvent {
  method: string;
  path: string;
  traceId: string;
  /** 1 for the first attempt. */
  attempt: number;
  durationMs: number;
  outcome: 'ok' | 'http-error' | 'network-error' | 'timeout';
  status?: number;
  subject?: string;
  /** Set when another attempt follows, after this delay. */
  retryInMs?: number;
}

export interface TransportSettings {
  baseUrl: string;
  accessToken: string;
  secretKey: string;
  timeoutMs: number;
  retry: RetryPolicy;
  fetch: typeof globalThis.fetch | undefined;
  now: () => number;
  newTraceId: () => string;
  onAttempt: ((event: LmpiAttemptEvent) => void) | undefined;
}

/** A successful (2xx) answer, body read as text. */
export interface LmpiRawResponse {
  status: number;
  text: string;
  traceId: string;
  request: LmpiRequestInfo;
}

type Attempt =
  | { kind: 'response'; response: Response; text: string; traceId: string }
  | { kind: 'failure'; error: LmpiError; traceId: string };

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS']);
const EXCERPT_LENGTH = 200;

/**
 * Sends signed LMPI requests: stamps time, trace id and signature on every attempt (right before
 * it leaves), retries idempotent requests on transient failures, and corrects the clock once
 * when LMPI rejects the posix time.
 */
export class LmpiTransport {
  private skewMs = 0;

  constructor(private readonly settings: TransportSettings) {}

  /** Measured offset of the LMPI clock from ours (ms), applied to `x-posix-time`. 0 until measured. */
  get clockSkewMs(): number {
    return this.skewMs;
  }

  /**
   * Sends one request, retrying transient failures when it is safe: GET/HEAD/OPTIONS always, a POST
   * only when the caller marks it `readOnly` (LMPI's reports are POSTs that change nothing).
   */
  async send(
    method: string,
    path: string,
    options: { body?: string; signal?: AbortSignal; readOnly?: boolean } = {},
  ): Promise<LmpiRawResponse> {
    let retries = 0;
    let skewCorrected = false;
    for (let attemptNo = 1; ; attemptNo += 1) {
      const started = performance.now();
      const result = await this.attempt(method, path, options);
      const request = { method, path, traceId: result.traceId };
      const base = { method, path, traceId: result.traceId, attempt: attemptNo };
      if (result.kind === 'response' && result.response.ok) {
        this.emit({ ...base, durationMs: performance.now() - started, outcome: 'ok', status: result.response.status });
        return { status: result.response.status, text: result.text, traceId: result.traceId, request };
      }
      const error = result.kind === 'failure' ? result.error : this.httpError(request, result.response, result.text);
      let retryInMs: number | undefined;
      if (!skewCorrected && error instanceof LmpiHttpError && error.subject === 'AuthenticationFailurePosixTime') {
        skewCorrected = this.correctSkew(result.kind === 'response' ? result.response : undefined);
        if (skewCorrected) retryInMs = 0;
      } else {
        retryInMs = this.retryDelay(method, options.readOnly === true, error, retries);
        if (retryInMs !== undefined) retries += 1;
      }
      this.emit({
        ...base,
        durationMs: performance.now() - started,
        outcome: outcomeOf(error),
        ...(error instanceof LmpiHttpError ? { status: error.status, subject: error.subject } : {}),
        ...(retryInMs !== undefined ? { retryInMs } : {}),
      });
      if (retryInMs === undefined) throw error;
      if (retryInMs > 0) await sleep(retryInMs, options.signal);
    }
  }

  private async attempt(
    method: string,
    path: string,
    options: { body?: string; signal?: AbortSignal },
  ): Promise<Attempt> {
    const { settings } = this;
    const traceId = settings.newTraceId();
    // A timer cleared as soon as the attempt ends: AbortSignal.timeout() would keep the signal, its
    // listeners and the request they reference alive for the whole timeout after every call.
    const timeout = new AbortController();
    const timer = setTimeout(
      () => timeout.abort(new DOMException('LMPI request timed out', 'TimeoutError')),
      settings.timeoutMs,
    );
    const signal = options.signal ? AbortSignal.any([options.signal, timeout.signal]) : timeout.signal;
    const fetchImpl = settings.fetch ?? globalThis.fetch;
    try {
      // ky builds the Request; it is signed in the fetch ky calls, right before it leaves. ky's retry
      // (ours is the shared `@licensewatch/client/retry` policy), timeout and HTTP errors are off:
      // README "Why ky".
      const response = await ky(settings.baseUrl + path, {
        method,
        body: options.body,
        retry: 0,
        timeout: false,
        throwHttpErrors: false,
        // The signal goes to fetch itself, not to ky: given one, ky would combine it with its own
        // (AbortSignal.any) into a Request that fetch then copies again, signal listeners and all.
        // That costs ~0.1 ms per call on a 300 KiB answer (mostly garbage collection, Node 24).
        // Signing here rather than in a beforeRequest hook spares ky an async hook call per request.
        fetch: (input) => {
          const request = input as Request; // ky always passes the Request it built
          const url = new URL(request.url);
          const headers = lmpiHeaders({
            accessToken: settings.accessToken,
            secretKey: settings.secretKey,
            traceId,
            posixTime: Math.floor((settings.now() + this.skewMs) / 1000),
            method: request.method,
            uri: url.pathname + url.search,
            ...(options.body !== undefined ? { body: options.body } : {}),
          });
          for (const [name, value] of Object.entries(headers)) request.headers.set(name, value);
          const init = { method: request.method, headers: request.headers, body: options.body, signal };
          return fetchImpl(request.url, init);
        },
      });
      const text = await response.text();
      return { kind: 'response', response, text, traceId };
    } catch (cause) {
      if (options.signal?.aborted) throw options.signal.reason;
      const request = { method, path, traceId };
      // ky 2 wraps fetch failures in a NetworkError that holds the signed Request (credentials in its
      // headers): keep only what fetch threw, whose cause is the socket error.
      const fetchFailure = isNetworkError(cause) ? cause.cause : cause;
      const error = timeout.signal.aborted
        ? new LmpiTimeoutError(request, settings.timeoutMs)
        : new LmpiNetworkError(request, fetchFailure);
      return { kind: 'failure', error, traceId };
    } finally {
      clearTimeout(timer);
    }
  }

  private httpError(request: LmpiRequestInfo, response: Response, text: string): LmpiHttpError {
    const body = parseLmpiErrorBody(text);
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), this.settings.now());
    return new LmpiHttpError(request, {
      status: response.status,
      ...(body
        ? { subject: body.error_subject, lmpiMessage: this.redact(body.error_message) }
        : text.trim()
          ? { bodyExcerpt: this.redact(text.trim().slice(0, EXCERPT_LENGTH)) }
          : {}),
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    });
  }

  private correctSkew(response: Response | undefined): boolean {
    const serverTime = Date.parse(response?.headers.get('date') ?? '');
    if (Number.isNaN(serverTime)) return false;
    this.skewMs = serverTime - this.settings.now();
    return true;
  }

  private retryDelay(method: string, readOnly: boolean, error: LmpiError, retries: number): number | undefined {
    if (!(readOnly || IDEMPOTENT.has(method.toUpperCase()))) return undefined;
    const http = error instanceof LmpiHttpError ? error : undefined;
    if (http && !isRetryableStatus(http.status)) return undefined;
    return nextRetryDelay(this.settings.retry, { retries, retryAfterMs: http?.retryAfterMs });
  }

  private redact(text: string): string {
    let out = text;
    for (const secret of [this.settings.secretKey, this.settings.accessToken]) {
      if (secret) out = out.split(secret).join('[redacted]');
    }
    return out;
  }

  private emit(event: LmpiAttemptEvent): void {
    try {
      this.settings.onAttempt?.(event);
    } catch {
      // A failing listener must not turn a good response into an error.
    }
  }
}

function outcomeOf(error: LmpiError): LmpiAttemptEvent['outcome'] {
  if (error.code === 'ERR_LMPI_TIMEOUT') return 'timeout';
  if (error.code === 'ERR_LMPI_NETWORK') return 'network-error';
  return 'http-error';
}

/** Default trace id: a fresh UUID4 per attempt, as the vendor sample sends. */
export const defaultTraceId = (): string => randomUUID();
