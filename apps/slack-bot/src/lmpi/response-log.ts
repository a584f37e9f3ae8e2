// What LMPI's answers deviated in, logged once per change rather than once per poll: the bot asks
// every minute and a drifted field stays drifted for weeks (11,000 identical lines in 4 minutes on
// a 1,000-product catalogue). Drift is grouped by kind and field across records; a record set aside
// (a product with `available: -5`) is reported once per product until what is wrong with it changes.
import { createHash } from 'node:crypto';
import type { DriftWarning, SetAsideRecord } from '@licensewatch/schema';
import type { Logger } from 'pino';

/** The parts of an LMPI result this log reads (`listProducts`, `reportTransactions`). */
export interface ObservedResponse {
  warnings: readonly DriftWarning[];
  setAside?: readonly SetAsideRecord[];
  traceId?: string;
}

/** How many example messages a drift line carries. */
const EXAMPLES = 3;

const fingerprint = (parts: readonly string[]) => createHash('sha1').update(parts.join('\n')).digest('base64url');

/** `$.products[12].version` → `$.products[*].version`: one group for the same field of every record. */
const genericPath = (path: string) => path.replace(/\[\d+\]/g, '[*]');

/**
 * Logs drift warnings and set-aside records of each kind of LMPI response when they first appear,
 * when they change, and once when they are gone; never again while they stay the same.
 *
 * @example
 * ```ts
 * const responses = new LmpiResponseLog(logger)
 * responses.observe('product list', await client.listProducts({ malformed: 'set-aside' }))
 * ```
 */
export class LmpiResponseLog {
  /** By response kind: drift group key → fingerprint. */
  private readonly drift = new Map<string, Map<string, string>>();
  /** By response kind: set-aside record key → fingerprint. */
  private readonly setAside = new Map<string, Map<string, string>>();

  constructor(private readonly logger: Logger) {}

  /** Compares one response with the previous one of the same kind and logs what changed. */
  observe(response: string, result: ObservedResponse): void {
    this.observeDrift(response, result);
    this.observeSetAside(response, result);
  }

  private observeDrift(response: string, result: ObservedResponse): void {
    const groups = new Map<string, DriftWarning[]>();
    for (const warning of result.warnings) {
      const key = `${warning.kind} ${genericPath(warning.path)}`;
      const group = groups.get(key);
      if (group) group.push(warning);
      else groups.set(key, [warning]);
    }
    const seen = this.drift.get(response) ?? new Map<string, string>();
    const next = new Map<string, string>();
    for (const [key, warnings] of groups) {
      const print = fingerprint(warnings.map((w) => w.message).sort());
      next.set(key, print);
      if (seen.get(key) === print) continue;
      const [first] = warnings as [DriftWarning];
      this.logger.warn(
        {
          response,
          drift: {
            kind: first.kind,
            field: first.field,
            path: genericPath(first.path),
            records: warnings.length,
            examples: warnings.slice(0, EXAMPLES).map((w) => w.message),
          },
          traceId: result.traceId,
        },
        seen.has(key) ? 'LMPI response drift changed' : 'LMPI response drift',
      );
    }
    for (const key of seen.keys()) {
      if (!next.has(key)) this.logger.info({ response, drift: { group: key } }, 'LMPI response drift gone');
    }
    this.drift.set(response, next);
  }

  private observeSetAside(response: string, result: ObservedResponse): void {
    const seen = this.setAside.get(response) ?? new Map<string, string>();
    const next = new Map<string, string>();
    for (const record of result.setAside ?? []) {
      const key = record.productId ?? record.productCode ?? record.record;
      const problems = record.issues.map((issue) => issue.message);
      const print = fingerprint(problems);
      next.set(key, print);
      if (seen.get(key) === print) continue;
      this.logger.warn(
        {
          response,
          setAside: {
            record: record.record,
            productId: record.productId,
            productCode: record.productCode,
            problems,
          },
          traceId: result.traceId,
        },
        `LMPI sent an unreadable ${response === 'product list' ? 'product' : 'record'}: set aside, the rest is used`,
      );
    }
    for (const key of seen.keys()) {
      if (!next.has(key))
        this.logger.info({ response, setAside: { key } }, 'LMPI record readable again (or no longer sent)');
    }
    this.setAside.set(response, next);
  }
}
