import type { CustomerUsageSummary } from '@licensewatch/schema';

/** One product's totals over rows of LMP's customer summary: what LMP's own report sums to. */
export interface ProductUsageTotals {
  productName: string;
  /** Rows (customer and service plan) of the product. */
  customers: number;
  provisioned: number;
  /** Sum of `used` over the rows that report usage only. */
  used: number;
  /** Rows that report usage; the others are not reported (LMP bills provisioned) or unreadable. */
  reporting: number;
}

/**
 * Totals per product name, in the order products first appear. `used` sums only rows that report
 * usage, and `reporting` says how many did: a row that reports none is never counted as 0 used.
 *
 * @example
 * ```ts
 * const { summary } = await lmpi.reportCustomerSummary({ year: 2025, month: 6 })
 * usageTotalsByProduct(summary) // [{ productName: 'Apex One', provisioned: 120, used: 80, reporting: 2, customers: 3 }]
 * ```
 */
export function usageTotalsByProduct(
  rows: readonly Pick<CustomerUsageSummary, 'productName' | 'provisioned' | 'used' | 'usage'>[],
): ProductUsageTotals[] {
  const totals = new Map<string, ProductUsageTotals>();
  for (const row of rows) {
    const total = totals.get(row.productName) ?? {
      productName: row.productName,
      customers: 0,
      provisioned: 0,
      used: 0,
      reporting: 0,
    };
    total.customers += 1;
    total.provisioned += row.provisioned;
    if (row.usage === 'reported' && row.used !== undefined) {
      total.used += row.used;
      total.reporting += 1;
    }
    totals.set(row.productName, total);
  }
  return [...totals.values()];
}
