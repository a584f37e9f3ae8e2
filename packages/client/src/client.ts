import {
  type DriftWarning,
  isSchemaViolationError,
  type LenientResult,
  type ProductCatalogue,
  parseProductCatalogue,
  parseServicePlans,
  type ServicePlan,
} from '@licensewatch/schema';
import { LmpiConfigError, LmpiResponseShapeError } from './errors.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry.js';
import { defaultTraceId, type LmpiAttemptEvent, type LmpiRawResponse, LmpiTransport } from './transport.js';

/** How to reach and authenticate with LMPI. */
export interface LmpiClientOptions {
  /** LMPI host, e.g. `https://cspi.trendmicro.com` (a trailing `/` or `/LMPI` is tolerated). */
  baseUrl: string;
  /** Partner access token (GUID), sent as `x-access-token`. */
  accessToken: string;
  /** Partner secret key, used only to sign; never sent, logged or put in errors. */
  secretKey: string;
  /** Time allowed for one attempt, response body included. Default 10,000 ms. */
  timeoutMs?: number;
  /** Retry policy for GET requests, or `false` for a single attempt. */
  retry?: Partial<RetryPolicy> | false;
  /** A fetch implementation (tests, proxies). Default: the global fetch. */
  fetch?: typeof globalThis.fetch;
  /** Clock in epoch ms. Default `Date.now`. */
  now?: () => number;
  /** Trace id generator. Default: a UUID4 per attempt. */
  traceId?: () => string;
  /** Called after every attempt, for logs and metrics. */
  onAttempt?: (event: LmpiAttemptEvent) => void;
}

/** Per-call options. */
export interface LmpiCallOptions {
  signal?: AbortSignal;
}

/** The product catalogue, plus what the parser tolerated and the trace id of the request. */
export interface ProductListResult extends ProductCatalogue {
  warnings: DriftWarning[];
  traceId: string;
}

/** The service plans, plus drift warnings and the trace id of the request. */
export interface ServicePlanListResult {
  servicePlans: ServicePlan[];
  warnings: DriftWarning[];
  traceId: string;
}

/** A typed LMPI v2 client. */
export interface LmpiClient {
  /** `GET /LMPI/v2/partners/product`: what the partner may provision and how much is available. */
  listProducts(options?: LmpiCallOptions): Promise<ProductListResult>;
  /** `GET /LMPI/v2/me/serviceplans`: the service plans available to the partner. */
  listServicePlans(options?: LmpiCallOptions): Promise<ServicePlanListResult>;
  /** Offset of the LMPI clock from ours, measured after a posix-time rejection. 0 until then. */
  readonly clockSkewMs: number;
  /** The normalised base URL requests go to. */
  readonly baseUrl: string;
}

/** Product list path. */
export const PRODUCT_LIST_PATH = '/LMPI/v2/partners/product';
/** Service plan list path. */
export const SERVICE_PLAN_LIST_PATH = '/LMPI/v2/me/serviceplans';

/**
 * Normalises a base URL: must be http(s); trailing `/` and a trailing `/LMPI` segment are removed
 * so that `https://cspi.trendmicro.com/LMPI/` and `https://cspi.trendmicro.com` behave the same.
 *
 * @throws {LmpiConfigError}
 * @example
 * ```ts
 * normaliseBaseUrl('https://cspi-stg.trendmicro.com/LMPI/') // 'https://cspi-stg.trendmicro.com'
 * ```
 */
export function normaliseBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new LmpiConfigError(
      `LMPI base URL ${JSON.stringify(baseUrl)} is not a URL (expected e.g. https://cspi.trendmicro.com)`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new LmpiConfigError(`LMPI base URL must use http or https, got ${url.protocol}`);
  }
  if (url.search || url.hash) throw new LmpiConfigError('LMPI base URL must not have a query or fragment');
  const path = url.pathname.replace(/\/+$/, '').replace(/\/LMPI$/, '');
  return `${url.origin}${path}`;
}

function resolveRetry(retry: LmpiClientOptions['retry']): RetryPolicy {
  if (retry === false) return { ...DEFAULT_RETRY_POLICY, limit: 0 };
  return { ...DEFAULT_RETRY_POLICY, ...retry };
}

/**
 * Creates a signed LMPI v2 client.
 *
 * @throws {LmpiConfigError} for an unusable base URL or empty credentials.
 * @example
 * ```ts
 * const lmpi = createLmpiClient({
 *   baseUrl: 'https://cspi.trendmicro.com',
 *   accessToken: process.env.LMPI_ACCESS_TOKEN!,
 *   secretKey: process.env.LMPI_SECRET_KEY!,
 * })
 * const { products, warnings } = await lmpi.listProducts()
 * ```
 */
export function createLmpiClient(options: LmpiClientOptions): LmpiClient {
  const baseUrl = normaliseBaseUrl(options.baseUrl);
  if (!options.accessToken) throw new LmpiConfigError('LMPI access token is empty');
  if (!options.secretKey) throw new LmpiConfigError('LMPI secret key is empty');
  const timeoutMs = options.timeoutMs ?? 10_000;
  if (!(timeoutMs > 0)) throw new LmpiConfigError('timeoutMs must be a positive number of milliseconds');
  const transport = new LmpiTransport({
    baseUrl,
    accessToken: options.accessToken,
    secretKey: options.secretKey,
    timeoutMs,
    retry: resolveRetry(options.retry),
    fetch: options.fetch,
    now: options.now ?? Date.now,
    newTraceId: options.traceId ?? defaultTraceId,
    onAttempt: options.onAttempt,
  });

  return {
    baseUrl,
    get clockSkewMs() {
      return transport.clockSkewMs;
    },
    async listProducts(call = {}) {
      const raw = await transport.send('GET', PRODUCT_LIST_PATH, call);
      const { data, warnings } = parseBody(raw, parseProductCatalogue);
      return { ...data, warnings, traceId: raw.traceId };
    },
    async listServicePlans(call = {}) {
      const raw = await transport.send('GET', SERVICE_PLAN_LIST_PATH, call);
      const { data, warnings } = parseBody(raw, parseServicePlans);
      return { servicePlans: data, warnings, traceId: raw.traceId };
    },
  };
}

function parseBody<T>(raw: LmpiRawResponse, parse: (json: unknown) => LenientResult<T>): LenientResult<T> {
  let json: unknown;
  try {
    json = JSON.parse(raw.text);
  } catch (cause) {
    const start = raw.text.trim().slice(0, 40);
    throw new LmpiResponseShapeError(raw.request, `body is not JSON (starts with ${JSON.stringify(start)})`, [], cause);
  }
  try {
    return parse(json);
  } catch (cause) {
    if (!isSchemaViolationError(cause)) throw cause;
    throw new LmpiResponseShapeError(raw.request, cause.message, cause.issues, cause);
  }
}
