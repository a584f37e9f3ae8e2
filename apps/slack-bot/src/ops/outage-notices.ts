import type { DatabaseHealth } from '@licensewatch/store';
import type { Logger } from 'pino';

/** What the notices need: where to post, and whether this replica speaks for all of them. */
export interface OutageNoticeDeps {
  /** Posts a plain-text notice to the alerts channel (straight to Slack: the outbox may be what is down). */
  post: (text: string) => Promise<void>;
  /**
   * Whether this replica posts for all: the one that polled last (followers stay quiet, so two
   * replicas seeing the same outage post one notice).
   */
  speaksForAll: () => boolean;
  logger: Logger;
}

/** The outages a notice is posted for, once each until it is over. */
type Outage = 'database' | 'dead-letters';

/**
 * Channel notices for outages of shared dependencies, like the LMPI-unreachable notice: one when
 * the database becomes unavailable (and one when it is back), one when alerts become dead letters
 * (again only after they were all re-queued or delivered). Readiness never reflects these: every
 * replica shares them, so the operator is told here, in `/healthz` and in metrics instead.
 *
 * @example
 * ```ts
 * const notices = new OutageNotices({ post, speaksForAll: () => ops.state.polledLast, logger })
 * notices.database(store.health())
 * notices.deadLetters(3)
 * ```
 */
export class OutageNotices {
  private readonly open = new Set<Outage>();

  constructor(private readonly deps: OutageNoticeDeps) {}

  /** A database health change (the store reports each transition once). */
  database(health: DatabaseHealth): void {
    if (health.status === 'down') {
      const code = health.error?.code ?? 'unknown error';
      this.begin(
        'database',
        `:warning: licensewatch cannot use its database (\`${code}\`${describe(code)}). \`/licenses\` still answers from its cache; alert state is not recorded and alerts wait until it is back. Details: \`/healthz\`.`,
      );
    } else this.end('database', ':white_check_mark: licensewatch can use its database again; alerts resume.');
  }

  /** The number of dead letters (failed or dead outbox rows) as just counted. */
  deadLetters(count: number): void {
    if (count === 0) {
      this.end('dead-letters');
      return;
    }
    this.begin(
      'dead-letters',
      `:warning: ${count} alert${count === 1 ? '' : 's'} could not be delivered and ${count === 1 ? 'was' : 'were'} given up on (dead letters). \`/licenses alerts\` lists them with the last error; an admin re-queues them with \`/licenses alerts retry\`.`,
    );
  }

  private begin(outage: Outage, text: string): void {
    if (this.open.has(outage) || !this.deps.speaksForAll()) return;
    this.open.add(outage);
    this.send(outage, text);
  }

  private end(outage: Outage, text?: string): void {
    if (!this.open.delete(outage)) return;
    if (text) this.send(outage, text);
  }

  private send(outage: Outage, text: string): void {
    this.deps
      .post(text)
      .catch((error: unknown) => this.deps.logger.warn({ outage, err: error }, 'outage notice not posted'));
  }
}

/** A few words on the codes an operator meets most. */
function describe(code: string): string {
  if (code.startsWith('SQLITE_FULL') || code.startsWith('53')) return ': the disk is full';
  if (code.startsWith('SQLITE_READONLY')) return ': the database file is read-only';
  if (code === 'ECONNREFUSED' || code === 'ECONNLOST' || code.startsWith('08')) return ': no connection';
  return '';
}
