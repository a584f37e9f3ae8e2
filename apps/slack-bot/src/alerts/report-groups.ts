// One transaction report for all products, split by product here. LMPI's rows name a product by
// name (and version), never by id: a product is found by its name when no other product in the
// catalogue has that name, by name and version when that tells them apart, and otherwise it cannot
// be read from the shared report and needs its own report filtered by product id.
import type { ProductRef } from '@licensewatch/alerts';
import type { CustomerTransaction, ProductProfile, SetAsideRecord } from '@licensewatch/schema';

/** How a product's rows are picked out of a report of all products. */
export type RowMatch =
  | { kind: 'name'; name: string }
  | { kind: 'name-and-version'; name: string; version: string }
  /** Several products share its name and version: only a report filtered by its id can tell. */
  | { kind: 'own-report' };

/** Product names compared as LMPI may spell them in two endpoints: trimmed, case ignored. */
const nameKey = (name: string) => name.trim().toLocaleLowerCase('en');
const versionKey = (version: string | null) => (version ?? '').trim().toLocaleLowerCase('en');

/**
 * How to find each product's rows in a report of all products, from the catalogue the alerts were
 * judged on.
 *
 * @example
 * ```ts
 * const match = rowMatcher(catalogue)
 * match({ productId, productCode, productName }) // { kind: 'name', name: 'apex one' }
 * ```
 */
export function rowMatcher(catalogue: readonly ProductProfile[]): (product: ProductRef) => RowMatch {
  const byName = new Map<string, ProductProfile[]>();
  for (const profile of catalogue) {
    const key = nameKey(profile.productName);
    const same = byName.get(key);
    if (same) same.push(profile);
    else byName.set(key, [profile]);
  }
  return (product) => {
    const name = nameKey(product.productName);
    const namesakes = byName.get(name) ?? [];
    if (namesakes.length <= 1) return { kind: 'name', name };
    const self = namesakes.find((p) => p.productId === product.productId);
    if (!self) return { kind: 'own-report' };
    const version = versionKey(self.version);
    const twins = namesakes.filter((p) => versionKey(p.version) === version);
    return twins.length === 1 ? { kind: 'name-and-version', name, version } : { kind: 'own-report' };
  };
}

/**
 * The rows of one product in a report of all products.
 *
 * @example
 * ```ts
 * rowsOf(rows, { kind: 'name', name: 'apex one' })
 * ```
 */
export function rowsOf(
  rows: readonly CustomerTransaction[],
  match: Exclude<RowMatch, { kind: 'own-report' }>,
): CustomerTransaction[] {
  return rows.filter(
    (row) =>
      nameKey(row.productName) === match.name && (match.kind === 'name' || versionKey(row.version) === match.version),
  );
}

/**
 * Whether a row LMPI sent unreadable (set aside) may belong to the product `match` finds: then that
 * product's sums are incomplete. A row without a readable product name may belong to any product;
 * in a product's own report, every row is the product's. (Set-aside rows carry no version: a name
 * is enough to suspect it.)
 *
 * @example
 * ```ts
 * mayBelongTo({ productName: 'Apex One', … }, { kind: 'name', name: 'apex one' }) // true
 * ```
 */
export function mayBelongTo(row: Pick<SetAsideRecord, 'productName'>, match: RowMatch): boolean {
  if (match.kind === 'own-report' || row.productName === undefined) return true;
  return nameKey(row.productName) === match.name;
}

/**
 * Runs at most `limit` tasks at once; the rest wait in order.
 *
 * @example
 * ```ts
 * const limited = concurrencyLimit(2)
 * await Promise.all(ids.map((id) => limited(() => fetchReport(id))))
 * ```
 */
export function concurrencyLimit(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    // A finished task hands its slot straight to the next waiter, so no newcomer can slip in between.
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    else running += 1;
    try {
      return await task();
    } finally {
      const wake = waiting.shift();
      if (wake) wake();
      else running -= 1;
    }
  };
}
