import { SANDBOX_CUSTOMERS, type SandboxCustomer } from './customers.js';

/** The product a transaction is about, as the ledger needs it. */
export interface LedgerProduct {
  productId: string;
  productCode: string;
  productName: string;
  version: string;
}

/** One allocation change the sandbox recorded: what the transaction report will show. */
export interface RecordedTransaction {
  /** When it happened, ISO 8601 UTC. Its month (UTC) is the report month it belongs to. */
  at: string;
  type: string;
  customer: SandboxCustomer;
  productId: string;
  productCode: string;
  productName: string;
  version: string;
  previousUnitsAllocated: number;
  unitsAllocated: number;
  /** Units moved from the partner's pool to the customer (negative: given back). */
  changeUnits: number;
  /** Start charge date of the customer's previous transaction for this product, if any. */
  previousAt: string | undefined;
}

/** Which transactions to read: one UTC month and/or one product (id or code). */
export interface TransactionFilter {
  year?: number;
  month?: number;
  product?: string;
}

// Chunk sizes a drop is split into, cycled: realistic, uneven allocations. The last chunk of a drop
// is whatever remains, so the transactions of one drop always add up to it exactly.
const CHUNKS = [12, 5, 30, 3, 8, 20, 1, 15];

/**
 * The sandbox's record of who was allocated what: customer transactions, kept in time order.
 * Allocations split a pool's drop across the fixed customer list, round robin.
 */
export class TransactionLedger {
  private entries: RecordedTransaction[] = [];
  private turn = 0;

  clear(): void {
    this.entries = [];
    this.turn = 0;
  }

  /** Splits `units` taken from a product's pool across customers at `atMs`; returns what was recorded. */
  allocate(product: LedgerProduct, units: number, atMs: number): RecordedTransaction[] {
    const recorded: RecordedTransaction[] = [];
    let left = units;
    while (left > 0) {
      const chunk = Math.min(left, CHUNKS[this.turn % CHUNKS.length] ?? 1);
      const customer = this.nextCustomer(product.productId, atMs);
      this.turn += 1;
      recorded.push(this.record(product, customer, chunk, atMs));
      left -= chunk;
    }
    return recorded;
  }

  /** Records one transaction; the type follows from the customer's holding unless given. */
  record(
    product: LedgerProduct,
    customer: SandboxCustomer,
    change: number,
    atMs: number,
    type?: string,
  ): RecordedTransaction {
    const at = new Date(atMs).toISOString();
    if (this.entries.some((e) => e.at > at && e.customer.name === customer.name && e.productId === product.productId)) {
      throw new RangeError(
        `${customer.name} already has a later transaction for ${product.productCode}: record in time order`,
      );
    }
    const previous = this.latest(customer.name, product.productId, atMs);
    const before = previous?.unitsAllocated ?? 0;
    if (before + change < 0)
      throw new RangeError(`${customer.name} holds ${before} units, cannot give back ${-change}`);
    const entry: RecordedTransaction = {
      at,
      type: type ?? (before === 0 ? 'New Purchase' : 'License Change'),
      customer,
      ...product,
      previousUnitsAllocated: before,
      unitsAllocated: before + change,
      changeUnits: change,
      previousAt: previous?.at,
    };
    const index = this.entries.findIndex((e) => e.at > entry.at);
    if (index < 0) this.entries.push(entry);
    else this.entries.splice(index, 0, entry);
    return entry;
  }

  /** Transactions in time order, filtered by UTC month and product id or code. Copies. */
  list(filter: TransactionFilter = {}): RecordedTransaction[] {
    return this.entries
      .filter((entry) => {
        const at = new Date(entry.at);
        if (filter.year !== undefined && at.getUTCFullYear() !== filter.year) return false;
        if (filter.month !== undefined && at.getUTCMonth() + 1 !== filter.month) return false;
        return (
          filter.product === undefined || entry.productId === filter.product || entry.productCode === filter.product
        );
      })
      .map((entry) => ({ ...entry }));
  }

  /** Units each customer holds of each product at the end of a UTC month (last transaction up to then). */
  holdingsAt(year: number, month: number): RecordedTransaction[] {
    const end = new Date(Date.UTC(year, month, 1)).toISOString();
    const latest = new Map<string, RecordedTransaction>();
    for (const entry of this.entries) {
      if (entry.at < end) latest.set(`${entry.customer.name}\u0000${entry.productId}`, entry);
    }
    return [...latest.values()].filter((entry) => entry.unitsAllocated > 0);
  }

  /**
   * The next customer in the rotation who has no later transaction for the product (seeded history
   * may reach past `atMs`; allocating to such a customer would rewrite their history).
   */
  private nextCustomer(productId: string, atMs: number): SandboxCustomer {
    const at = new Date(atMs).toISOString();
    for (let step = 0; step < SANDBOX_CUSTOMERS.length; step += 1) {
      const customer = SANDBOX_CUSTOMERS[(this.turn + step) % SANDBOX_CUSTOMERS.length] as SandboxCustomer;
      const later = this.entries.some(
        (e) => e.at > at && e.customer.name === customer.name && e.productId === productId,
      );
      if (!later) {
        this.turn += step;
        return customer;
      }
    }
    throw new RangeError(
      `every sandbox customer has a transaction for ${productId} after ${at}: seed history, not the future`,
    );
  }

  private latest(customer: string, productId: string, atMs: number): RecordedTransaction | undefined {
    const at = new Date(atMs).toISOString();
    let found: RecordedTransaction | undefined;
    for (const entry of this.entries) {
      if (entry.at > at) break;
      if (entry.customer.name === customer && entry.productId === productId) found = entry;
    }
    return found;
  }
}
