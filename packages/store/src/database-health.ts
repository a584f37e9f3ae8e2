/** Whether the database answers, as last seen by the store. */
export interface DatabaseHealth {
  /** `up`: the last operation (or ping) worked; `down`: the database is unreachable, read-only or full. */
  status: 'up' | 'down';
  dialect: 'sqlite' | 'postgres';
  /** Epoch ms of the last change of `status`. */
  since: number;
  /** Why it is down: the driver's code (`ECONNREFUSED`, `57P01`, `SQLITE_READONLY`, …) and message. */
  error: { code: string; message: string } | undefined;
}

// PostgreSQL SQLSTATE classes and socket errors that mean "the database is not there", as opposed
// to a bad query: 08 connection exceptions, 53 insufficient resources (disk full), 57P admin
// shutdown / crash / cannot connect now.
const PG_OUTAGE = /^(08|53|57P)/;
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH']);
const SQLITE_OUTAGE = /^SQLITE_(READONLY|FULL|IOERR|CANTOPEN|CORRUPT|NOTADB|PERM)/;
const OUTAGE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/;

/**
 * The outage code of an error the database driver raised, or undefined when the error is not an
 * outage (a constraint, a bad query: the database is fine).
 *
 * @example
 * ```ts
 * outageCode(Object.assign(new Error('disk full'), { code: 'SQLITE_FULL' })) // 'SQLITE_FULL'
 * ```
 */
export function outageCode(error: unknown): string | undefined {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (PG_OUTAGE.test(code) || SOCKET_CODES.has(code) || SQLITE_OUTAGE.test(code)))
    return code;
  if (typeof message === 'string' && OUTAGE_MESSAGES.test(message)) return 'ECONNLOST';
  return undefined;
}

/**
 * Tracks database health from what operations report; tells `onChange` once per transition
 * (so an outage is logged once, not once per query).
 */
export class HealthTracker {
  private state: DatabaseHealth;
  private lastFailureAt = 0;

  /**
   * @param settleMs How long writes must have worked since the last failure before a full
   * database counts as up again (default 0). On a full disk small writes that rewrite a
   * row in place still work between the ones that need room: without this, every poll would end
   * the outage and start a new one.
   */
  constructor(
    dialect: DatabaseHealth['dialect'],
    private readonly onChange: (health: DatabaseHealth) => void = () => {},
    private readonly now: () => number = Date.now,
    private readonly settleMs = 0,
  ) {
    this.state = { status: 'up', dialect, since: now(), error: undefined };
  }

  get current(): DatabaseHealth {
    return this.state;
  }

  /** An operation failed: an outage error marks the database down. Returns whether it was an outage. */
  failed(error: unknown): boolean {
    const code = outageCode(error);
    if (!code) return false;
    const message = String((error as { message?: unknown }).message ?? error).slice(0, 300);
    const wasUp = this.state.status === 'up';
    this.lastFailureAt = this.now();
    this.state = {
      ...this.state,
      status: 'down',
      since: wasUp ? this.now() : this.state.since,
      error: { code, message },
    };
    if (wasUp) this.onChange(this.state);
    return true;
  }

  /**
   * An operation worked. A read does not prove a read-only or full disk can be written again, so
   * only a write (or any operation, for connection outages) marks the database up.
   */
  succeeded(kind: 'read' | 'write'): void {
    if (this.state.status === 'up') return;
    const code = this.state.error?.code ?? '';
    if (kind === 'read' && /^SQLITE_(READONLY|FULL|IOERR)|^53/.test(code)) return;
    // A full disk still takes writes that fit (a row rewritten in place): only writes that kept
    // working for a while say there is room again.
    if (/^SQLITE_FULL|^53/.test(code) && this.now() - this.lastFailureAt < this.settleMs) return;
    this.state = { status: 'up', dialect: this.state.dialect, since: this.now(), error: undefined };
    this.onChange(this.state);
  }
}
