import {
  type CustomerTransaction,
  type CustomerUsageSummary,
  type DriftWarning,
  isSchemaViolationError,
  type LenientResult,
  type MalformedRecords,
  type ProductCatalogue,
  parseCustomerSummary,
  parseProductCatalogue,
  parseServicePlans,
  parseTransactionReport,
  type ServicePlan,
  type SetAsideRecord,
} from '@licensewatch/schema';
import { DEFAULT_LMPI_API_VERSION, type LmpiApiVersion, lmpiPaths } from './api-version.js';
import { LmpiConfigError, LmpiResponseShapeError } from './errors.js';
import {
  type CustomerSummaryQuery,
  customerSummaryBody,
  type TransactionReportQuery,
  transactionReportBody,
} from './report-query.js';
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
  /**
   * LMPI API version: `v2` (default) or `v3` (lists Trend Vision One service plans). Every request
   * goes to, and is signed over, that version's path (`/LMPI/v3/…`).
   */
  apiVersion?: LmpiApiVersion;
  /** Time allowed for one attempt, response body included. Default 10,000 ms. */
  timeoutMs?: number;
  /** Retry policy for GET requests and the read-only report POSTs, or `false` for a single attempt. */
  retry?: Partial<RetryPolicy> | false;
  /** A fetch implementation (tests, proxies). Default: the global fetch. */
  fetch?: typeof globalThis.fetch;
  /** Clock in epoch ms, for `x-posix-time` and for checking report months. Default `Date.now`. */
  now?: () => number;
  /** Trace id generator. Default: a UUID4 per attempt. */
  traceId?: () => string;
  /** Called after every attempt, for logs and metrics. */
  onAttempt?: (event: LmpiAttemptEvent) => void;
}

/** Per-call options. */
export interface LmpiCallOptions {
  signal?: AbortSignal;
  /**
   * `listProducts` and `reportTransactions`: a product (or row) whose field we depend on is unusable,
   * e.g. `available: -5`. `reject` (default) fails the whole call with {@link LmpiResponseShapeError};
   * `set-aside` leaves it out and names it in the result's `setAside`, so the rest can be used
   * (still rejected when more than half of the records are unusable).
   */
  malformed?: MalformedRecords;
}

/** The product catalogue, plus what the parser tolerated and the trace id of the request. */
export interface ProductListResult extends ProductCatalogue {
  warnings: DriftWarning[];
  /** Products left out because a field we depend on was unusable (only with `malformed: 'set-aside'`). */
  setAside?: SetAsideRecord[];
  traceId: string;
}

/** The service plans, plus drift warnings and the trace id of the request. */
export interface ServicePlanListResult {
  servicePlans: ServicePlan[];
  warnings: DriftWarning[];
  traceId: string;
}

/** One month's customer transactions, plus drift warnings and the trace id of the request. */
export interface TransactionReportResult {
  transactions: CustomerTransaction[];
  warnings: DriftWarning[];
  /** Rows left out because `change_units` or `product_name` was unusable (only with `malformed: 'set-aside'`). */
  setAside?: SetAsideRecord[];
  traceId: string;
}

/** One month's provisioned and used units per customer and product, plus warnings and trace id. */
export interface CustomerSummaryResult {
  summary: CustomerUsageSummary[];
  warnings: DriftWarning[];
  traceId: string;
}

/** A typed LMPI client (v2 or v3 paths; the same types either way). */
export interface LmpiClient {
  /** `GET /LMPI/{v2|v3}/partners/product`: what the partner may provision and how much is available. */
  listProducts(options?: LmpiCallOptions): Promise<ProductListResult>;
  /**
   * `GET /LMPI/{v2|v3}/me/serviceplans`: the service plans available to the partner. Only v3
   * includes Trend Vision One plans.
   */
  listServicePlans(options?: LmpiCallOptions): Promise<ServicePlanListResult>;
  /**
   * `POST /LMPI/{v2|v3}/reports/transactions`: who was allocated what in a month. Read-only, so
   * retried like a GET. The query is checked before sending ({@link LmpiConfigError} naming the field).
   */
  reportTransactions(query: TransactionReportQuery, options?: LmpiCallOptions): Promise<TransactionReportResult>;
  /** `POST /LMPI/{v2|v3}/reports/summary`: provisioned and used units per customer and product in a month. */
  reportCustomerSummary(query: CustomerSummaryQuery, options?: LmpiCallOptions): Promise<CustomerSummaryResult>;
  /** Offset of the LMPI clock from ours, measured after a posix-time rejection. 0 until then. */
  readonly clockSkewMs: number;
  /** The normalised base URL requests go to. */
  readonly baseUrl: string;
  /** The LMPI API version every request uses. */
  readonly apiVersion: LmpiApiVersion;
}

/** Product list path of v2 (v3: `lmpiPaths('v3').productList`). */
export const PRODUCT_LIST_PATH = '/LMPI/v2/partners/product';
/** Service plan list path of v2 (v3: `lmpiPaths('v3').servicePlanList`). */
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
 * Creates a signed LMPI client, v2 by default (`apiVersion: 'v3'` for Trend Vision One plans).
 *
 * @throws {LmpiConfigError} for an unusable base URL, empty credentials or an unknown API version.
 * @example
 * ```ts
 * const lmpi = createLmpiClient({
 *   baseUrl: 'https://cspi.trendmicro.com',
 *   accessToken: process.env.LMPI_ACCESS_TOKEN!,
 *   secretKey: process.env.LMPI_SECRET_KEY!,
 * })
 * const { products, warnings } = await lmpi.listProducts()
 * const { transactions } = await lmpi.reportTransactions({ year: 2025, month: 7, productId: products[0].productId })
 * ```
 */
export function createLmpiClient(options: LmpiClientOptions): LmpiClient {
  const baseUrl = normaliseBaseUrl(options.baseUrl);
  const apiVersion = options.apiVersion ?? DEFAULT_LMPI_API_VERSION;
  const paths = lmpiPaths(apiVersion);
  if (!options.accessToken) throw new LmpiConfigError('LMPI access token is empty');
  if (!options.secretKey) throw new LmpiConfigError('LMPI secret key is empty');
  const timeoutMs = options.timeoutMs ?? 10_000;
  const now = options.now ?? Date.now;
  if (!(timeoutMs > 0)) throw new LmpiConfigError('timeoutMs must be a positive number of milliseconds');
  const transport = new LmpiTransport({
    baseUrl,
    accessToken: options.accessToken,
    secretKey: options.secretKey,
    timeoutMs,
    retry: resolveRetry(options.retry),
    fetch: options.fetch,
    now,
    newTraceId: options.traceId ?? defaultTraceId,
    onAttempt: options.onAttempt,
  });

  return {
    baseUrl,
    apiVersion,
    get clockSkewMs() {
      return transport.clockSkewMs;
    },
    async listProducts(call = {}) {
      const raw = await transport.send('GET', paths.productList, call);
      const lenient = { malformed: call.malformed ?? 'reject' };
      const { data, warnings, setAside = [] } = parseBody(raw, (json) => parseProductCatalogue(json, lenient));
      return { ...data, warnings, setAside, traceId: raw.traceId };
    },
    async listServicePlans(call = {}) {
      const raw = await transport.send('GET', paths.servicePlanList, call);
      const { data, warnings } = parseBody(raw, (json) => parseServicePlans(json, { apiVersion }));
      return { servicePlans: data, warnings, traceId: raw.traceId };
    },
    async reportTransactions(query, call = {}) {
      const body = transactionReportBody(query, now());
      const raw = await transport.send('POST', paths.transactionReport, { ...call, body, readOnly: true });
      const lenient = { malformed: call.malformed ?? 'reject' };
      const { data, warnings, setAside = [] } = parseBody(raw, (json) => parseTransactionReport(json, lenient));
      return { transactions: data.transactions, warnings, setAside, traceId: raw.traceId };
    },
    async reportCustomerSummary(query, call = {}) {
      const body = customerSummaryBody(query, now());
      const raw = await transport.send('POST', paths.customerSummary, { ...call, body, readOnly: true });
      const { data, warnings } = parseBody(raw, parseCustomerSummary);
      return { summary: data.summary, warnings, traceId: raw.traceId };
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
