import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ADMIN_PREFIX, handleAdmin } from './admin.js';
import { answerApi, endpointMethod, isServedPath } from './api.js';
import { DEFAULT_PARTNER_ID, defaultCatalogue, type StoredProduct } from './catalogue.js';
import { type DemoSeries, demoHistory } from './demo-history.js';
import type { FaultSpec } from './faults.js';
import type { PoolHistory } from './history-allocations.js';
import { isLoopback, readBody, sendJson, sendLmpiError } from './http.js';
import type { RecordedTransaction, TransactionFilter } from './ledger.js';
import { Scenario, type TransactionSeed } from './scenario.js';
import { type PartnerCredentials, type PartnerRole, verifyLmpiRequest } from './verify.js';

/** A pino-compatible logger; the sandbox logs one line per request, never a secret. */
export interface SandboxLogger {
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
}

/** Development credentials, one per role. Printed by `start` when no LMPI_* variables are set. */
export const DEV_CREDENTIALS: Record<PartnerRole, PartnerCredentials> = {
  distributor: {
    role: 'distributor',
    accessToken: '00000000-5a4d-4b0c-8e1f-000000000001',
    secretKey: 'sandbox-distributor-secret',
    partnerId: DEFAULT_PARTNER_ID,
  },
  isp: {
    role: 'isp',
    accessToken: '00000000-5a4d-4b0c-8e1f-000000000002',
    secretKey: 'sandbox-isp-secret',
    partnerId: DEFAULT_PARTNER_ID,
  },
  msp: {
    role: 'msp',
    accessToken: '00000000-5a4d-4b0c-8e1f-000000000003',
    secretKey: 'sandbox-msp-secret',
    partnerId: DEFAULT_PARTNER_ID,
  },
  reseller: {
    role: 'reseller',
    accessToken: '00000000-5a4d-4b0c-8e1f-000000000004',
    secretKey: 'sandbox-reseller-secret',
    partnerId: DEFAULT_PARTNER_ID,
  },
};

export interface SandboxOptions {
  /** Default 0 (an ephemeral port). */
  port?: number;
  /** Default `127.0.0.1`. The admin API answers loopback clients only, whatever the host. */
  host?: string;
  /** Credentials per role; missing roles get {@link DEV_CREDENTIALS}. */
  credentials?: Partial<Record<PartnerRole, Omit<PartnerCredentials, 'role'>>>;
  /** Initial catalogue. Default {@link defaultCatalogue}. */
  catalogue?: StoredProduct[];
  /** Clock in epoch ms, for posix-time checks and drains. Default `Date.now`. */
  now?: () => number;
  logger?: SandboxLogger;
}

/** One answered (or hung) request. */
export interface RequestLogEntry {
  at: string;
  method: string;
  path: string;
  traceId: string | undefined;
  role: PartnerRole | undefined;
  status: number;
  subject?: string;
  fault?: string;
  durationMs: number;
  /**
   * When the request arrived and when it was answered, in fractional milliseconds on the process's
   * monotonic timeline (`performance.timeOrigin + performance.now()`), not the sandbox's clock: exact
   * enough to tell which requests were in flight together.
   */
  startedMs: number;
  endedMs: number;
}

/** In-process controls, the same operations as the admin API. */
export interface SandboxControls {
  reset(): void;
  catalogue(): StoredProduct[];
  setAvailable(match: string, available: number): StoredProduct;
  drain(match: string, perMinute: number): void;
  stopDrain(match: string): void;
  addProduct(product: StoredProduct): void;
  removeProduct(match: string): void;
  replaceCatalogue(products: StoredProduct[]): void;
  injectFault(spec: FaultSpec): void;
  clearFaults(): void;
  /**
   * Customer transactions the sandbox recorded (pool drops split across `SANDBOX_CUSTOMERS`, and
   * seeds), oldest first, optionally for one UTC month and/or product (code or id).
   */
  transactions(filter?: TransactionFilter): RecordedTransaction[];
  /** Puts transactions into the history (e.g. last month) without changing any pool. */
  seedTransactions(seeds: TransactionSeed[]): RecordedTransaction[];
}

export interface Sandbox {
  /** Base URL, e.g. `http://127.0.0.1:4010`. */
  url: string;
  port: number;
  credentials: Record<PartnerRole, PartnerCredentials>;
  controls: SandboxControls;
  /** Requests answered so far (last 1,000), newest last. */
  requests: RequestLogEntry[];
  /** Counts API requests to one path (or all), e.g. to assert caching. */
  countRequests(path?: string): number;
  /**
   * Deterministic synthetic 30-day history of the current catalogue (see `demoHistory`): for local
   * demos, so trends, refills and pools about to run dry show from the first minute.
   */
  demoHistory(now?: number): DemoSeries[];
  /**
   * Records the drops of past readings (e.g. the demo history a bot seeded, or its stored history)
   * as customer transactions, so the reports and "who drained it" explain that history; see
   * `Scenario.recordHistory`. Returns how many transactions it recorded.
   */
  recordHistory(series: readonly PoolHistory[]): number;
  close(): Promise<void>;
}

const LOG_LIMIT = 1_000;

/**
 * Starts a local LMPI: verifies signatures with its own code, answers product and service plan
 * lists and the transaction and customer summary reports per caller role, fails like LMPI, and
 * takes scenario controls in-process or over `/__sandbox/…`. Pool drops are recorded as customer
 * transactions, so the reports say who drained a pool.
 *
 * @example
 * ```ts
 * const sandbox = await createSandbox()
 * const { accessToken, secretKey } = sandbox.credentials.distributor
 * const lmpi = createLmpiClient({ baseUrl: sandbox.url, accessToken, secretKey })
 * sandbox.controls.injectFault({ kind: 'internal-error', count: 1 })
 * await sandbox.close()
 * ```
 */
export async function createSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const now = options.now ?? Date.now;
  const credentials = resolveCredentials(options.credentials);
  const byToken = new Map(Object.values(credentials).map((c) => [c.accessToken, c]));
  const initial = options.catalogue ?? defaultCatalogue();
  const scenario = new Scenario(() => initial, now);
  const world = {
    catalogue: () => scenario.catalogue(),
    ledger: () => {
      scenario.recordDrains();
      return scenario.ledger;
    },
  };
  const requests: RequestLogEntry[] = [];
  const record = (entry: RequestLogEntry) => {
    requests.push(entry);
    if (requests.length > LOG_LIMIT) requests.shift();
    options.logger?.info({ ...entry }, 'lmpi request');
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.logger?.warn({ err: error }, 'sandbox request failed');
      if (!res.headersSent) sendJson(res, 500, { error_subject: 'ServerException', error_message: 'Sandbox error.' });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const method = req.method ?? 'GET';
    const target = req.url ?? '/';
    const path = target.split('?')[0] ?? '/';
    const body = await readBody(req);
    if (path === ADMIN_PREFIX || path.startsWith(`${ADMIN_PREFIX}/`)) {
      if (!isLoopback(req.socket.remoteAddress)) {
        sendJson(res, 403, { ok: false, error: 'the sandbox admin API answers loopback clients only' });
        return;
      }
      handleAdmin(res, method, path, body, { scenario, requestLog: () => [...requests] });
      return;
    }
    const traceId = typeof req.headers['x-traceid'] === 'string' ? req.headers['x-traceid'] : undefined;
    const log = (status: number, extra: Partial<RequestLogEntry> = {}) =>
      record({
        at: new Date(now()).toISOString(),
        method,
        path,
        traceId,
        role: undefined,
        status,
        durationMs: Math.round(performance.now() - started),
        startedMs: performance.timeOrigin + started,
        endedMs: performance.timeOrigin + performance.now(),
        ...extra,
      });

    const verified = verifyLmpiRequest(
      { method, target, headers: req.headers, body },
      (token) => byToken.get(token),
      now(),
    );
    if (!verified.ok) {
      sendLmpiError(res, verified.error);
      log(verified.error.status, { subject: verified.error.subject });
      return;
    }
    const role = verified.partner.role;
    if (!isServedPath(path)) {
      sendLmpiError(res, { status: 404, subject: 'ResourceNotFound', message: `No LMPI resource at ${path}.` });
      log(404, { role, subject: 'ResourceNotFound' });
      return;
    }
    if (method !== endpointMethod(path)) {
      sendLmpiError(res, { status: 405, subject: 'MethodNotAllowed', message: `${method} is not allowed on ${path}.` });
      log(405, { role, subject: 'MethodNotAllowed' });
      return;
    }
    const fault = scenario.faults.take();
    const outcome = await answerApi(res, { path, body }, verified.partner, world, fault);
    log(outcome.status, {
      role,
      ...(outcome.subject ? { subject: outcome.subject } : {}),
      ...(fault ? { fault: fault.kind } : {}),
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port, address } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;

  return {
    url: `http://${host}:${port}`,
    port,
    credentials,
    requests,
    demoHistory: (at = now()) => demoHistory(scenario.catalogue(), at),
    recordHistory: (series) => scenario.recordHistory(series).length,
    countRequests: (path) => requests.filter((r) => path === undefined || r.path === path).length,
    controls: {
      reset: () => scenario.reset(),
      catalogue: () => scenario.catalogue(),
      setAvailable: (match, available) => scenario.setAvailable(match, available),
      drain: (match, perMinute) => scenario.drain(match, perMinute),
      stopDrain: (match) => scenario.stopDrain(match),
      addProduct: (product) => scenario.addProduct(product),
      removeProduct: (match) => scenario.removeProduct(match),
      replaceCatalogue: (products) => scenario.replaceCatalogue(products),
      injectFault: (spec) => scenario.injectFault(spec),
      clearFaults: () => scenario.faults.clear(),
      transactions: (filter) => scenario.transactions(filter),
      seedTransactions: (seeds) => scenario.seedTransactions(seeds),
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function resolveCredentials(given: SandboxOptions['credentials']): Record<PartnerRole, PartnerCredentials> {
  const roles: PartnerRole[] = ['distributor', 'isp', 'msp', 'reseller'];
  return Object.fromEntries(
    roles.map((role) => [role, given?.[role] ? { ...given[role], role } : DEV_CREDENTIALS[role]]),
  ) as Record<PartnerRole, PartnerCredentials>;
}
