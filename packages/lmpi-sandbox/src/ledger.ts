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
 * Allocations split a pool's drop across the fixed customer list, round robin. Recording "now" is
 * O(1) per transaction (the e2e tests move pools many times a second); seeded history in the past is
 * inserted by binary search.
 */
export class TransactionLedger {
  private entries: RecordedTransaction[] = [];
  /** The latest transaction per customer and product (their current holding), found without a scan. */
  private readonly newest = new Map<string, RecordedTransaction>();
  private turn = 0;

  clear(): void {
    this.entries = [];
    this.newest.clear();
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
    const key = holdingKey(customer.name, product.productId);
    // Transactions per customer and product are recorded in time order, so the newest is the previous one.
    const previous = this.newest.get(key);
    if (previous && previous.at > at) {
      throw new RangeError(
        `${customer.name} already has a later transaction for ${product.productCode}: record in time order`,
      );
    }
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
    this.insertInTimeOrder(entry);
    this.newest.set(key, entry);
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
      if (entry.at >= end) break;
      latest.set(holdingKey(entry.customer.name, entry.productId), entry);
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
      const newest = this.newest.get(holdingKey(customer.name, productId));
      if (!newest || newest.at <= at) {
        this.turn += step;
        return customer;
      }
    }
    throw new RangeError(
      `every sandbox customer has a transaction for ${productId} after ${at}: seed history, not the future`,
    );
  }

  /** Appends when in time order (drops happen "now"); inserts seeded history by binary search. */
  private insertInTimeOrder(entry: RecordedTransaction): void {
    const last = this.entries[this.entries.length - 1];
    if (!last || last.at <= entry.at) {
      this.entries.push(entry);
      return;
    }
    let low = 0;
    let high = this.entries.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.entries[middle] as RecordedTransaction).at <= entry.at) low = middle + 1;
      else high = middle;
    }
    this.entries.splice(low, 0, entry);
  }
}

function holdingKey(customer: string, productId: string): string {
  return `${customer}\u0000${productId}`;
}
