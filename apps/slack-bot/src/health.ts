import type { Store } from '@licensewatch/store';
import type { CatalogueCache } from './catalogue-cache.js';
import { failureReason } from './licenses/reasons.js';
import type { OpsState } from './ops/ops-state.js';

/**
 * Outbox statuses of alerts that will never be delivered: `failed` (refused by the destination) and
 * `dead` (out of attempts, where the store has that status). Either makes the replica not ready.
 */
export const DEAD_OUTBOX_STATUSES = ['failed', 'dead'] as const;

/** What the probes and `/healthz` read; nothing here asks LMPI. */
export interface HealthSources {
  cache: CatalogueCache;
  store: Pick<Store, 'outbox'>;
  ops: OpsState;
  modes: { slack: 'local' | 'http' | 'socket'; lmpi: 'sandbox' | 'remote' };
  pollIntervalMs: number;
  /** How long the database may take to answer a probe. Default 2 s. */
  databaseTimeoutMs?: number;
}

/** One readiness check: passed or not, and why, in words an operator can act on. */
export interface CheckResult {
  ok: boolean;
  detail: string;
}

/** What `GET /readyz` answers (200 when `ready`, else 503). */
export interface Readiness {
  ready: boolean;
  /** Names of the failing checks, e.g. `["database", "poll"]`. */
  failing: string[];
  checks: Record<string, CheckResult>;
}

/** What `GET /healthz` answers: the detailed view (always 200; `/readyz` is the gate). */
export interface HealthReport {
  /** LMPI data: `ok` fresh; `degraded` LMPI failing, older data served; `down` failing, no data; `starting` not asked yet. */
  status: 'ok' | 'degraded' | 'down' | 'starting';
  ready: boolean;
  checks: Record<string, CheckResult>;
  slackMode: HealthSources['modes']['slack'];
  lmpi: {
    mode: HealthSources['modes']['lmpi'];
    /** Null until the first answer or failure. */
    reachable: boolean | null;
    dataAgeSeconds: number | null;
    lastFetchAt: string | null;
    error: { kind: string; reason: string } | null;
  };
  poll: {
    last: { at: string; outcome: string; durationMs: number } | null;
    lastSuccessAt: string | null;
    intervalSeconds: number;
  };
  outbox: { counts: Record<string, number>; oldestWaitingAgeSeconds: number | null } | null;
  /** The latest error of each kind since start. */
  errors: Record<string, { at: string; message: string }>;
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

async function readOutbox(sources: HealthSources): Promise<OutboxSnapshot | Error> {
  try {
    const read = Promise.all([sources.store.outbox.counts(), sources.store.outbox.oldestWaitingAt()]);
    const [counts, oldestWaitingAt] = await withTimeout(read, sources.databaseTimeoutMs ?? 2_000);
    return { counts: counts as Record<string, number>, oldestWaitingAt };
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
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

function checksFrom(sources: HealthSources, outbox: OutboxSnapshot | Error): Record<string, CheckResult> {
  const checks: Record<string, CheckResult> = {
    database:
      outbox instanceof Error
        ? { ok: false, detail: `database did not answer: ${outbox.message}` }
        : { ok: true, detail: 'answers' },
    poll: pollCheck(sources),
  };
  if (sources.modes.slack === 'socket') {
    checks.slack = sources.ops.socketConnected
      ? { ok: true, detail: 'Socket Mode connected' }
      : { ok: false, detail: 'Socket Mode not connected' };
  }
  if (!(outbox instanceof Error)) {
    const dead = DEAD_OUTBOX_STATUSES.reduce((sum, status) => sum + (outbox.counts[status] ?? 0), 0);
    checks.alerts =
      dead === 0
        ? { ok: true, detail: 'no undeliverable alerts' }
        : { ok: false, detail: `${dead} alert(s) will not be delivered (outbox ${DEAD_OUTBOX_STATUSES.join('/')})` };
  }
  return checks;
}

function readinessOf(checks: Record<string, CheckResult>): Readiness {
  const failing = Object.entries(checks)
    .filter(([, check]) => !check.ok)
    .map(([name]) => name);
  return { ready: failing.length === 0, failing, checks };
}

/**
 * Readiness: the database answers, the last successful poll is younger than 3 poll intervals (or
 * the first poll is within that grace), Socket Mode is connected when used, and no alert is dead.
 * Never asks LMPI.
 *
 * @example
 * ```ts
 * const { ready, failing } = await readiness(sources) // e.g. false, ["poll"]
 * ```
 */
export async function readiness(sources: HealthSources): Promise<Readiness> {
  return readinessOf(checksFrom(sources, await readOutbox(sources)));
}

/**
 * The detailed `/healthz` view: LMPI data age and last error, the poller's last tick, outbox
 * counts and the oldest waiting alert, the last error by kind, and the readiness checks. Reads the
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
  const reason = error === undefined ? null : failureReason(error);
  const outbox = await readOutbox(sources);
  const { ready, checks } = readinessOf(checksFrom(sources, outbox));
  const last = sources.ops.lastPoll;
  return {
    status: error !== undefined ? (snapshot ? 'degraded' : 'down') : snapshot ? 'ok' : 'starting',
    ready,
    checks,
    slackMode: sources.modes.slack,
    lmpi: {
      mode: sources.modes.lmpi,
      reachable: error !== undefined ? false : snapshot ? true : null,
      dataAgeSeconds: snapshot ? Math.round((now - snapshot.fetchedAt) / 1000) : null,
      lastFetchAt: iso(snapshot?.fetchedAt),
      error: reason ? { kind: reason.kind, reason: reason.reason } : null,
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
    errors: Object.fromEntries(
      [...sources.ops.lastErrors()].map(([kind, record]) => [
        kind,
        { at: new Date(record.at).toISOString(), message: record.message },
      ]),
    ),
  };
}
