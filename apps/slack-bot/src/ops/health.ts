import { explainLmpiFailure } from '@licensewatch/client';
import type { DatabaseHealth, OutboxStatus, Store } from '@licensewatch/store';
import type { Logger } from 'pino';
import type { CatalogueCache } from '../catalogue-cache.js';
import type { OpsState } from './ops-state.js';

/**
 * What the probes and `/healthz` read; nothing here asks LMPI. Readiness reads only `ops` and
 * `modes` (this process's own state); the rest are shared dependencies, for `/healthz`.
 */
export interface HealthSources {
  cache: CatalogueCache;
  store: Pick<Store, 'outbox' | 'ping' | 'health'>;
  ops: OpsState;
  modes: { slack: 'local' | 'http' | 'socket'; lmpi: 'sandbox' | 'remote' };
  pollIntervalMs: number;
  /** How long the database may take to answer a probe. Default 2 s. */
  databaseTimeoutMs?: number;
  /** Alert channels the start-up check found unusable, each with the fix (issue 11). */
  alertChannelProblems?: () => AlertChannelProblem[];
}

/** An alert channel alerts cannot reach, and how to fix it. */
export interface AlertChannelProblem {
  channel: string;
  problem: string;
}

/** One check: passed or not, and why, in words an operator can act on. */
export interface CheckResult {
  ok: boolean;
  detail: string;
}

/** What `GET /readyz` answers (200 when `ready`, else 503): whether *this* process can take Slack traffic. */
export interface Readiness {
  ready: boolean;
  /** Names of the failing checks, e.g. `["startup"]` or `["slack"]`. */
  failing: string[];
  checks: Record<string, CheckResult>;
}

/** What `GET /healthz` answers: the detailed view (always 200; `/readyz` is the gate). */
export interface HealthReport {
  /**
   * `ok`: fresh data and a working database; `degraded`: LMPI failing (older data served) or the
   * database unavailable (`/licenses` still answers from the cache; alert state is not recorded);
   * `down`: LMPI failing, no data; `starting`: LMPI not asked yet.
   */
  status: 'ok' | 'degraded' | 'down' | 'starting';
  /** What `/readyz` says: this process can take Slack traffic (whatever its dependencies do). */
  ready: boolean;
  /**
   * Readiness checks (`startup`, `slack` in Socket Mode) and the shared dependencies' checks
   * (`database`, `poll`, `alerts`), which never make a replica unready.
   */
  checks: Record<string, CheckResult>;
  /** Names of the failing dependency checks (`database`, `poll`, `alerts`): what to look at. */
  failing: string[];
  slackMode: HealthSources['modes']['slack'];
  lmpi: {
    mode: HealthSources['modes']['lmpi'];
    /** Null until the first answer or failure. */
    reachable: boolean | null;
    dataAgeSeconds: number | null;
    lastFetchAt: string | null;
    error: { kind: string; reason: string } | null;
  };
  /** The alert database (engine state, outbox, audit), as just pinged (`store.ping()`). */
  database: {
    status: DatabaseHealth['status'];
    dialect: DatabaseHealth['dialect'];
    since: string;
    /** Why it is down: the driver's code (`ECONNREFUSED`, `57P01`, `SQLITE_READONLY`, …; `ETIMEDOUT` when the ping took too long). */
    error: { code: string; message: string } | null;
  };
  poll: {
    last: { at: string; outcome: string; durationMs: number } | null;
    lastSuccessAt: string | null;
    intervalSeconds: number;
  };
  outbox: { counts: Record<string, number>; oldestWaitingAgeSeconds: number | null } | null;
  /** The latest error of each kind since start. */
  errors: Record<string, { at: string; message: string }>;
  /** Alert channels that cannot take alerts (their alerts become dead letters), with the fix. */
  alertChannels: AlertChannelProblem[];
}

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

interface OutboxSnapshot {
  counts: Record<string, number>;
  oldestWaitingAt: number | undefined;
}

/** One database round: ping (a ping past the time limit counts as down), then, when up, the outbox figures. */
interface DatabaseSnapshot {
  health: DatabaseHealth;
  outbox: OutboxSnapshot | Error;
}

const asError = (error: unknown) => (error instanceof Error ? error : new Error(String(error)));

async function readDatabase(sources: HealthSources): Promise<DatabaseSnapshot> {
  const limit = sources.databaseTimeoutMs ?? 2_000;
  const health = await withTimeout(sources.store.ping(), limit).catch(
    (error: unknown): DatabaseHealth => ({
      ...sources.store.health(),
      status: 'down',
      error: { code: 'ETIMEDOUT', message: asError(error).message },
    }),
  );
  if (health.status === 'down') return { health, outbox: new Error('database unavailable') };
  try {
    const read = Promise.all([sources.store.outbox.counts(), sources.store.outbox.oldestWaitingAt()]);
    const [counts, oldestWaitingAt] = await withTimeout(read, limit);
    return { health, outbox: { counts: counts as Record<string, number>, oldestWaitingAt } };
  } catch (error) {
    return { health, outbox: asError(error) };
  }
}

function databaseCheck({ health, outbox }: DatabaseSnapshot): CheckResult {
  if (health.status === 'down')
    return {
      ok: false,
      detail: `database unavailable: ${health.error?.code ?? 'unknown'} ${health.error?.message ?? ''}`.trim(),
    };
  if (outbox instanceof Error) return { ok: false, detail: `database did not answer: ${outbox.message}` };
  return { ok: true, detail: `${health.dialect} answers` };
}

/** The poll check: the last successful poll is younger than 3 intervals (or the first is within that grace). */
function pollCheck(sources: HealthSources): CheckResult {
  const { ops, pollIntervalMs } = sources;
  const limit = 3 * pollIntervalMs;
  const last = ops.lastPollSuccessAt;
  const age = ops.now() - (last ?? ops.startedAt);
  if (age < limit)
    return {
      ok: true,
      detail:
        last === undefined ? 'first poll within its grace' : `last successful poll ${Math.round(age / 1000)} s ago`,
    };
  return {
    ok: false,
    detail:
      last === undefined
        ? `no successful poll in ${Math.round(age / 1000)} s since start (limit ${limit / 1000} s)`
        : `last successful poll ${Math.round(age / 1000)} s ago (limit ${limit / 1000} s)`,
  };
}

/** Shared dependencies: the database, the poll (LMPI through the poller lease) and undeliverable alerts. */
function dependencyChecks(sources: HealthSources, database: DatabaseSnapshot): Record<string, CheckResult> {
  const { outbox } = database;
  const checks: Record<string, CheckResult> = {
    database: databaseCheck(database),
    poll: pollCheck(sources),
  };
  if (!(outbox instanceof Error)) {
    const dead = deadLetters(outbox);
    checks.alerts =
      dead === 0
        ? { ok: true, detail: 'no undeliverable alerts' }
        : { ok: false, detail: `${dead} alert(s) will not be delivered (outbox dead letters)` };
  }
  return checks;
}

const deadLetters = (outbox: OutboxSnapshot) => deadLetterCount(outbox.counts);

/**
 * Alerts that will never be delivered, from the outbox counts by status: the `dead` rows (refused
 * for good or out of attempts; the store's migration 3 turned the old `failed` rows into `dead`).
 * Reported by `/healthz`, metrics and a channel notice; never by readiness (every replica shares
 * the outbox).
 *
 * @example
 * ```ts
 * deadLetterCount({ posted: 9, dead: 2 }) // 2
 * ```
 */
export function deadLetterCount(counts: Partial<Record<OutboxStatus, number>>): number {
  return counts.dead ?? 0;
}

/** This process only: start-up finished (listening, Slack set-up checked), Socket Mode connected when used. */
function processChecks(sources: Pick<HealthSources, 'ops' | 'modes'>): Record<string, CheckResult> {
  const { ops } = sources;
  const checks: Record<string, CheckResult> = { startup: startupCheck(ops) };
  if (sources.modes.slack === 'socket') {
    checks.slack = ops.socketConnected
      ? { ok: true, detail: 'Socket Mode connected' }
      : { ok: false, detail: 'Socket Mode not connected' };
  }
  return checks;
}

function startupCheck(ops: OpsState): CheckResult {
  switch (ops.phase) {
    case 'serving':
      return { ok: true, detail: 'listening, start-up done' };
    case 'stopping':
      return { ok: false, detail: 'shutting down' };
    case 'listening':
      return { ok: false, detail: 'listening, start-up not finished (Slack set-up check)' };
    default:
      return { ok: false, detail: 'starting' };
  }
}

function failingOf(checks: Record<string, CheckResult>): string[] {
  return Object.entries(checks)
    .filter(([, check]) => !check.ok)
    .map(([name]) => name);
}

/**
 * Readiness: whether *this* process can take Slack traffic: it listens and has finished starting
 * (not yet shutting down), and Socket Mode is connected when used. Never a shared dependency
 * (LMPI, the database, dead letters): those fail for every replica at once, and an orchestrator
 * would then route Slack's requests to none, even stale-data `/licenses` answers. No I/O.
 *
 * @example
 * ```ts
 * const { ready, failing } = readiness(sources) // e.g. false, ["slack"]
 * ```
 */
export function readiness(sources: Pick<HealthSources, 'ops' | 'modes'>): Readiness {
  const checks = processChecks(sources);
  const failing = failingOf(checks);
  return { ready: failing.length === 0, failing, checks };
}

/**
 * The detailed `/healthz` view: LMPI data age and last error, the poller's last tick, outbox
 * counts and the oldest waiting alert, the last error by kind, the readiness checks and the shared
 * dependencies' checks (`failing` names those that fail). Reads the
 * cache as it is (never refreshes it: a health check must not cause LMPI traffic).
 *
 * @example
 * ```ts
 * const report = await healthReport(sources)
 * report.lmpi.dataAgeSeconds // 42
 * ```
 */
export async function healthReport(sources: HealthSources): Promise<HealthReport> {
  const { snapshot, error } = sources.cache.peek();
  const now = sources.ops.now();
  const reason = error === undefined ? null : explainLmpiFailure(error);
  const database = await readDatabase(sources);
  const { outbox, health } = database;
  const { ready, checks: own } = readiness(sources);
  const shared = dependencyChecks(sources, database);
  const last = sources.ops.lastPoll;
  const lmpiStatus = error !== undefined ? (snapshot ? 'degraded' : 'down') : snapshot ? 'ok' : 'starting';
  const alertChannels = sources.alertChannelProblems?.() ?? [];
  const dead = outbox instanceof Error ? 0 : deadLetters(outbox);
  const deliveryTrouble = dead > 0 || alertChannels.length > 0;
  return {
    status: lmpiStatus === 'ok' && (health.status === 'down' || deliveryTrouble) ? 'degraded' : lmpiStatus,
    ready,
    checks: { ...own, ...shared },
    failing: failingOf(shared),
    slackMode: sources.modes.slack,
    lmpi: {
      mode: sources.modes.lmpi,
      reachable: error !== undefined ? false : snapshot ? true : null,
      dataAgeSeconds: snapshot ? Math.round((now - snapshot.fetchedAt) / 1000) : null,
      lastFetchAt: iso(snapshot?.fetchedAt),
      error: reason ? { kind: reason.kind, reason: reason.reason } : null,
    },
    database: {
      status: health.status,
      dialect: health.dialect,
      since: new Date(health.since).toISOString(),
      error: health.error ?? null,
    },
    poll: {
      last: last ? { at: new Date(last.at).toISOString(), outcome: last.outcome, durationMs: last.durationMs } : null,
      lastSuccessAt: iso(sources.ops.lastPollSuccessAt),
      intervalSeconds: sources.pollIntervalMs / 1000,
    },
    outbox:
      outbox instanceof Error
        ? null
        : {
            counts: outbox.counts,
            oldestWaitingAgeSeconds:
              outbox.oldestWaitingAt === undefined
                ? null
                : Math.max(0, Math.round((now - outbox.oldestWaitingAt) / 1000)),
          },
    alertChannels,
    errors: Object.fromEntries(
      [...sources.ops.lastErrors()].map(([kind, record]) => [
        kind,
        { at: new Date(record.at).toISOString(), message: record.message },
      ]),
    ),
  };
}

/**
 * Logs database health changes: one error when it becomes unavailable, one info line when it
 * is back (the store calls this once per transition, not per failed query).
 *
 * @example
 * ```ts
 * openStore(url, { onHealthChange: databaseHealthLogger(logger) })
 * ```
 */
export function databaseHealthLogger(logger: Logger): (health: DatabaseHealth) => void {
  return (health) => {
    if (health.status === 'down')
      logger.error(
        { database: { dialect: health.dialect, code: health.error?.code, error: health.error?.message } },
        'database unavailable: /licenses answers from its cache; alert state is not recorded until it is back',
      );
    else logger.info({ database: { dialect: health.dialect } }, 'database available again');
  };
}
