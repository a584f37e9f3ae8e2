import type { CatalogueSanity } from '@licensewatch/alerts';
import {
  createLmpiClient,
  importEmbeddedSandbox,
  isLmpiError,
  type LmpiAttemptEvent,
  type LmpiClient,
  lmpiFailureKind,
} from '@licensewatch/client';
import type { Sandbox } from '@licensewatch/lmpi-sandbox';
import type { ServicePlan } from '@licensewatch/schema';
import type { Logger } from 'pino';
import { CatalogueCache } from '../catalogue-cache.js';
import type { LmpiSettings } from '../env.js';
import { type LicenseReports, lmpiReports } from '../licenses/reports.js';
import { cachedServicePlanList } from '../licenses/service-plans.js';
import { LmpiResponseLog } from '../lmpi/response-log.js';

/** The LMPI side's slice of the configuration. */
export interface LmpiSlice {
  lmpi: LmpiSettings;
  /** Per request attempt (`LMPI_TIMEOUT`). */
  timeoutMs: number;
  /** How long answers serve `/licenses` (`CACHE_TTL`). */
  cacheTtlMs: number;
  /** The threshold file's `catalogue_drop` settings, if any. */
  catalogueSanity?: Partial<CatalogueSanity> | undefined;
}

/** What the LMPI side tells operations about: every attempt, and each failed product list. */
export interface LmpiObserver {
  attempt(event: LmpiAttemptEvent): void;
  failed(kind: string, message: string): void;
}

/** The one place the bot talks to LMPI: the client, the product cache and the report lookups. */
export interface LmpiAccess {
  client: LmpiClient;
  cache: CatalogueCache;
  reports: LicenseReports;
  /** The service plan list, cached like the reports. */
  servicePlans: () => Promise<ServicePlan[]>;
  /** Logs set-aside records and drift once per change, for every LMPI answer the bot reads. */
  responses: LmpiResponseLog;
  /** LMPI's base URL (the embedded sandbox's when it serves). */
  baseUrl: string;
  /** The embedded sandbox, when no LMPI_* settings were given. */
  sandbox: Sandbox | undefined;
  close(): Promise<void>;
}

async function lmpiTarget(lmpi: LmpiSettings, logger: Logger) {
  if (lmpi.mode === 'remote') return { ...lmpi, sandbox: undefined };
  // Loaded only here: the sandbox is a devDependency, which production installs leave out.
  const { createSandbox } = await importEmbeddedSandbox(() => import('@licensewatch/lmpi-sandbox'));
  const sandbox = await createSandbox({ logger: logger.child({ component: 'lmpi-sandbox' }) });
  const { accessToken, secretKey } = sandbox.credentials.distributor;
  logger.info(
    { url: sandbox.url, apiVersion: lmpi.apiVersion ?? 'v2' },
    'no LMPI_* settings: using the embedded LMPI sandbox',
  );
  return { baseUrl: sandbox.url, accessToken, secretKey, sandbox };
}

/**
 * Starts the LMPI side: the client (or the embedded sandbox first, with no LMPI_* settings), the
 * catalogue cache `/licenses` and the poller read, and the cached report lookups.
 *
 * @example
 * ```ts
 * const lmpi = await startLmpiAccess({ lmpi: config.lmpi, timeoutMs, cacheTtlMs }, { logger, now, observer })
 * await lmpi.cache.refresh()
 * ```
 */
export async function startLmpiAccess(
  slice: LmpiSlice,
  deps: { logger: Logger; now: () => number; observer: () => LmpiObserver | undefined },
): Promise<LmpiAccess> {
  const { logger, now } = deps;
  const target = await lmpiTarget(slice.lmpi, logger);
  const client = createLmpiClient({
    baseUrl: target.baseUrl,
    accessToken: target.accessToken,
    secretKey: target.secretKey,
    apiVersion: slice.lmpi.apiVersion ?? 'v2',
    timeoutMs: slice.timeoutMs,
    now,
    onAttempt: (event) => {
      logger.debug({ lmpi: event }, 'lmpi attempt');
      deps.observer()?.attempt(event);
    },
  });
  const responses = new LmpiResponseLog(logger);
  const cache = new CatalogueCache({
    ttlMs: slice.cacheTtlMs,
    ...(slice.catalogueSanity ? { sanity: slice.catalogueSanity } : {}),
    now,
    fetch: async () => {
      try {
        // A malformed product is set aside (the rest of the poll is used); drift is logged once per change.
        const result = await client.listProducts({ malformed: 'set-aside' });
        responses.observe('product list', result);
        return result;
      } catch (error) {
        const kind = lmpiFailureKind(error);
        logger.warn({ lmpiError: { kind }, err: error }, 'LMPI product list failed');
        deps.observer()?.failed(kind, isLmpiError(error) ? error.message : String(error));
        throw error;
      }
    },
  });
  return {
    client,
    cache,
    reports: lmpiReports(client, { ttlMs: slice.cacheTtlMs, now }),
    responses,
    servicePlans: cachedServicePlanList(client, { ttlMs: slice.cacheTtlMs, now }),
    baseUrl: target.baseUrl,
    sandbox: target.sandbox,
    close: async () => {
      await target.sandbox?.close();
    },
  };
}
