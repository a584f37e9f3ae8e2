import type { CustomerTransaction } from '@licensewatch/schema';

// Who drained a pool: LMPI's transaction report, summed per customer. Shared by the bot's alerts
// and `/licenses <code>`, so both count the same way.

/** One customer's share of a month's allocations of a product. */
export interface ConsumerShare {
  /** The customer company as LMPI names it; `null` when LMPI names none (`---`). */
  customer: string | null;
  /** Net units allocated to the customer in the month (always > 0 here). */
  units: number;
}

/** The top consumers of one product in one month, and the rest summed up. */
export interface ConsumerAttribution {
  /** The report month (UTC, as LMPI's reports are by default). */
  year: number;
  month: number;
  /** The largest consumers, most units first (ties by name). */
  top: ConsumerShare[];
  /** Everyone else with a positive net: how many customers, how many units; absent when none. */
  others: { customers: number; units: number } | undefined;
  /** Units allocated to all customers with a positive net this month. */
  total: number;
}

/** How many consumers are named before "N others". */
export const TOP_CONSUMERS = 3;

const byName = new Intl.Collator('en', { sensitivity: 'base' });

/**
 * Sums `changeUnits` per customer (unnamed customers are one `null` bucket) and keeps those with a
 * positive net, i.e. who took licenses out of the pool this month: a customer who got 40 and gave
 * back 10 drained 30; one who only gave licenses back drained nothing and is left out. The largest
 * `limit` are named, the rest become `others`. Pass rows of one product (ask LMPI with `productId`).
 *
 * @example
 * ```ts
 * const { transactions } = await lmpi.reportTransactions({ year: 2025, month: 7, productId })
 * topConsumers(transactions, { year: 2025, month: 7 })
 * // { top: [{ customer: 'Acme Corp', units: 40 }, …], others: { customers: 3, units: 12 }, total: 77, … }
 * ```
 */
export function topConsumers(
  transactions: readonly Pick<CustomerTransaction, 'customerCompany' | 'changeUnits'>[],
  cycle: { year: number; month: number },
  limit = TOP_CONSUMERS,
): ConsumerAttribution {
  const net = new Map<string | null, number>();
  for (const row of transactions) net.set(row.customerCompany, (net.get(row.customerCompany) ?? 0) + row.changeUnits);
  const shares = [...net]
    .filter(([, units]) => units > 0)
    .map(([customer, units]) => ({ customer, units }))
    .sort((a, b) => b.units - a.units || byName.compare(a.customer ?? '', b.customer ?? ''));
  const top = shares.slice(0, Math.max(0, limit));
  const rest = shares.slice(top.length);
  const sum = (list: readonly ConsumerShare[]) => list.reduce((total, share) => total + share.units, 0);
  return {
    year: cycle.year,
    month: cycle.month,
    top,
    others: rest.length > 0 ? { customers: rest.length, units: sum(rest) } : undefined,
    total: sum(shares),
  };
}

/**
 * The UTC report month a moment falls in (LMPI reports default to `time_zone` UTC).
 *
 * @example
 * ```ts
 * reportMonthOf(Date.UTC(2025, 6, 31, 23)) // { year: 2025, month: 7 }
 * ```
 */
export function reportMonthOf(at: number): { year: number; month: number } {
  const date = new Date(at);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1 };
}

/**
 * The month before, e.g. for "last month" (what LMP's usage reports summarise).
 *
 * @example
 * ```ts
 * previousMonth({ year: 2025, month: 1 }) // { year: 2024, month: 12 }
 * ```
 */
export function previousMonth(cycle: { year: number; month: number }): { year: number; month: number } {
  return cycle.month === 1 ? { year: cycle.year - 1, month: 12 } : { year: cycle.year, month: cycle.month - 1 };
}
