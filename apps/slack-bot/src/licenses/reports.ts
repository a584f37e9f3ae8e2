// LMPI's reports for `/licenses <code>` and `/licenses usage`, shared by concurrent commands and
// kept for the cache TTL, so paging through a report does not ask LMPI again for every page.
import type { CustomerSummaryQuery, LmpiClient, TransactionReportQuery } from '@licensewatch/client';
import type { CustomerTransaction, CustomerUsageSummary } from '@licensewatch/schema';

/** The two reports, as `/licenses` reads them. */
export interface LicenseReports {
  transactions(query: TransactionReportQuery): Promise<readonly CustomerTransaction[]>;
  summary(query: CustomerSummaryQuery): Promise<readonly CustomerUsageSummary[]>;
}

interface Entry<T> {
  at: number;
  value: Promise<T>;
}

function cached<Q, T>(load: (query: Q) => Promise<T>, ttlMs: number, now: () => number): (query: Q) => Promise<T> {
  const entries = new Map<string, Entry<T>>();
  return (query) => {
    const key = JSON.stringify(query);
    const hit = entries.get(key);
    if (hit && now() - hit.at < ttlMs) return hit.value;
    for (const [k, entry] of entries) if (now() - entry.at >= ttlMs) entries.delete(k);
    const value = load(query);
    entries.set(key, { at: now(), value });
    // A failure is not kept: the next command asks LMPI again.
    value.catch(() => entries.delete(key));
    return value;
  };
}

/**
 * The LMPI client's reports, cached in memory for `ttlMs` per query (failures are not cached).
 *
 * @example
 * ```ts
 * const reports = lmpiReports(client, { ttlMs: 60_000 })
 * const rows = await reports.summary({ year: 2025, month: 6 })
 * ```
 */
export function lmpiReports(
  client: Pick<LmpiClient, 'reportTransactions' | 'reportCustomerSummary'>,
  options: { ttlMs: number; now?: () => number },
): LicenseReports {
  const now = options.now ?? Date.now;
  return {
    transactions: cached(
      async (query: TransactionReportQuery) => (await client.reportTransactions(query)).transactions,
      options.ttlMs,
      now,
    ),
    summary: cached(
      async (query: CustomerSummaryQuery) => (await client.reportCustomerSummary(query)).summary,
      options.ttlMs,
      now,
    ),
  };
}
