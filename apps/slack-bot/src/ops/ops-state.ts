/** One tick of the alert poller, as the probes and metrics see it. */
export interface PollRecord {
  /** Epoch ms when the tick ended. */
  at: number;
  durationMs: number;
  /**
   * `ok`: this replica polled and LMPI answered. `follower`: another replica holds the poller lease
   * (confirmed through the database), so this one had nothing to poll. `lmpi-error`: LMPI failed.
   * `failed`: the tick itself failed (database, bug).
   */
  outcome: 'ok' | 'follower' | 'lmpi-error' | 'failed';
  /** Why a `failed` tick failed. */
  error?: string;
}

/**
 * Where this process is in its life: `starting` (building its parts), `listening` (the port is
 * open, start-up checks still running), `serving` (start-up done: it can take Slack traffic),
 * `stopping` (shutting down: let the load balancer drain it).
 */
export type ProcessPhase = 'starting' | 'listening' | 'serving' | 'stopping';

/** The latest error of one kind. */
export interface ErrorRecord {
  at: number;
  message: string;
}

/**
 * What the process has seen that probes and `/healthz` report: when it started, its last poll
 * ticks, the last error by kind, and whether Socket Mode is connected. Written by the runtime's
 * parts, read by the health checks; no I/O.
 *
 * @example
 * ```ts
 * const ops = new OpsState(Date.now)
 * ops.recordPoll({ at: Date.now(), durationMs: 120, outcome: 'ok' })
 * ops.lastPollSuccessAt // the tick's time
 * ```
 */
export class OpsState {
  readonly startedAt: number;
  private lastTick: PollRecord | undefined;
  private lastSuccess: number | undefined;
  private follower = false;
  private readonly errors = new Map<string, ErrorRecord>();
  /** Undefined when Socket Mode is not used. */
  socketConnected: boolean | undefined;
  /** Readiness reads it; the runtime moves it along as it starts and stops. */
  phase: ProcessPhase = 'starting';

  constructor(readonly now: () => number) {
    this.startedAt = now();
  }

  /** Records a poller tick; `ok` and `follower` ticks count as successful polls. */
  recordPoll(record: PollRecord): void {
    this.lastTick = record;
    if (record.outcome === 'ok' || record.outcome === 'follower') this.lastSuccess = record.at;
    if (record.outcome !== 'failed') this.follower = record.outcome === 'follower';
    if (record.error !== undefined) this.recordError('poll', record.error);
  }

  /** Remembers the latest error of a kind (e.g. `lmpi:credentials`, `poll`, `delivery`). */
  recordError(kind: string, message: string): void {
    this.errors.set(kind, { at: this.now(), message });
  }

  get lastPoll(): PollRecord | undefined {
    return this.lastTick;
  }

  /**
   * Whether this replica polled last (or has not yet seen another one poll): the one that speaks
   * for all replicas in channel notices. A failed tick (database down) keeps the last role.
   */
  get polledLast(): boolean {
    return !this.follower;
  }

  get lastPollSuccessAt(): number | undefined {
    return this.lastSuccess;
  }

  /** The latest error of each kind seen since start. */
  lastErrors(): ReadonlyMap<string, ErrorRecord> {
    return this.errors;
  }
}
