import { type StoredProduct, storedCopy } from './catalogue.js';
import { findCustomer, SANDBOX_CUSTOMERS } from './customers.js';
import { type ActiveFault, FaultQueue, type FaultSpec } from './faults.js';
import { dailyDrops, type PoolHistory } from './history-allocations.js';
import { type LedgerProduct, type RecordedTransaction, type TransactionFilter, TransactionLedger } from './ledger.js';

interface Drain {
  perMinute: number;
  since: number;
  from: number;
  /** Units of this drain already recorded as customer transactions, and up to when. */
  recorded: number;
  recordedUpTo: number;
}

/** A transaction to put into the sandbox's history (e.g. an earlier month), without touching any pool. */
export interface TransactionSeed {
  /** When (epoch ms, or an ISO 8601 string); its UTC month is the report month. */
  at: number | string;
  /** Exact name from the sandbox customer list (see `SANDBOX_CUSTOMERS`). */
  customer: string;
  /** Product code or id from the catalogue. */
  product: ProductMatch;
  /** Units allocated to the customer (negative: given back). */
  changeUnits: number;
  /** Default: `New Purchase` when the customer held none of it before, else `License Change`. */
  type?: string;
}

/** A product is addressed by its `product_code` or its `product_id`. */
export type ProductMatch = string;

/**
 * The sandbox's mutable world: the catalogue, products draining over time, and queued faults.
 * Drains are computed lazily from the clock, so they are exact and cost nothing while idle.
 */
export class Scenario {
  private products: StoredProduct[] = [];
  private readonly drains = new Map<string, Drain>();
  readonly faults: FaultQueue;
  /** Who was allocated what: filled whenever a pool drops (drain or setAvailable) and by seeds. */
  readonly ledger = new TransactionLedger();

  constructor(
    private readonly initial: () => StoredProduct[],
    private readonly now: () => number,
  ) {
    this.faults = new FaultQueue(now);
    this.reset();
  }

  /** Back to the initial catalogue, no drains, no faults. */
  reset(): void {
    this.products = this.initial().map(storedCopy);
    this.drains.clear();
    this.faults.clear();
    this.ledger.clear();
  }

  /** The catalogue as it stands now, drains applied. Copies: safe to serialise or modify. */
  catalogue(): StoredProduct[] {
    return this.products.map((product) => {
      const drain = this.drains.get(product.product_id);
      return drain ? { ...product, available: this.drained(drain) } : { ...product };
    });
  }

  /**
   * Sets a product's available count (and stops any drain on it). A lower count is licenses
   * allocated to customers now, recorded as transactions; a higher one is a refill (purchase,
   * auto-refill, returns), which is not a customer allocation and records nothing.
   */
  setAvailable(match: ProductMatch, available: number): StoredProduct {
    assertCount(available, 'available');
    const product = this.find(match);
    this.recordDrains();
    const current = this.currentAvailable(product);
    this.drains.delete(product.product_id);
    if (available < current) this.ledger.allocate(ledgerProduct(product), current - available, this.now());
    product.available = available;
    return { ...product };
  }

  /** Starts taking `perMinute` licenses a minute from a product's pool, down to 0. */
  drain(match: ProductMatch, perMinute: number): void {
    if (!(perMinute > 0) || !Number.isFinite(perMinute)) throw new ScenarioError('perMinute must be a positive number');
    const product = this.find(match);
    this.recordDrains();
    const from = this.currentAvailable(product);
    const since = this.now();
    this.drains.set(product.product_id, { perMinute, since, from, recorded: 0, recordedUpTo: since });
  }

  /** Stops a drain, freezing the count where it is. */
  stopDrain(match: ProductMatch): void {
    const product = this.find(match);
    this.recordDrains();
    product.available = this.currentAvailable(product);
    this.drains.delete(product.product_id);
  }

  addProduct(product: StoredProduct): void {
    if (this.products.some((p) => p.product_id === product.product_id || p.product_code === product.product_code)) {
      throw new ScenarioError(`a product with id ${product.product_id} or code ${product.product_code} already exists`);
    }
    this.products.push(storedCopy(product));
  }

  removeProduct(match: ProductMatch): void {
    const product = this.find(match);
    this.recordDrains();
    this.products = this.products.filter((p) => p !== product);
    this.drains.delete(product.product_id);
  }

  /** Replaces the whole catalogue (e.g. `[]` for a partner with nothing to provision). */
  replaceCatalogue(products: StoredProduct[]): void {
    this.recordDrains();
    this.products = products.map(storedCopy);
    this.drains.clear();
  }

  /** Recorded customer transactions (drains brought up to date first), oldest first. */
  transactions(filter: TransactionFilter = {}): RecordedTransaction[] {
    this.recordDrains();
    return this.ledger.list(filter);
  }

  /** Adds transactions to the history (in time order per customer and product); pools are not changed. */
  seedTransactions(seeds: TransactionSeed[]): RecordedTransaction[] {
    this.recordDrains();
    return seeds.map((seed) => {
      const customer = findCustomer(seed.customer);
      if (!customer) {
        throw new ScenarioError(
          `no sandbox customer ${JSON.stringify(seed.customer)} (one of: ${SANDBOX_CUSTOMERS.map((c) => c.name).join(' | ')})`,
        );
      }
      if (!Number.isSafeInteger(seed.changeUnits)) throw new ScenarioError('changeUnits must be a whole number');
      const at = typeof seed.at === 'string' ? Date.parse(seed.at) : seed.at;
      if (!Number.isFinite(at)) throw new ScenarioError(`at ${JSON.stringify(seed.at)} is not a time`);
      try {
        return this.ledger.record(ledgerProduct(this.find(seed.product)), customer, seed.changeUnits, at, seed.type);
      } catch (error) {
        if (error instanceof RangeError) throw new ScenarioError(error.message);
        throw error;
      }
    });
  }

  /**
   * Records the drops of pools' past readings (a bot's seeded or stored history) as customer
   * transactions: each product's daily drop goes to one customer, in rotation; rises are refills and
   * record nothing. Each series ends at the product's current count (a last drop recorded now), so
   * the reports explain the history up to this second. Call it before any live change: transactions
   * are recorded in time order.
   */
  recordHistory(series: readonly PoolHistory[]): RecordedTransaction[] {
    this.recordDrains();
    const now = this.now();
    const drops = series
      .flatMap((pool) => {
        const index = this.products.findIndex((p) => p.product_id === pool.productId);
        const product = this.products[index];
        if (!product) return [];
        const last = pool.points[pool.points.length - 1];
        const points =
          last && last.at < now
            ? [...pool.points, { at: now, available: this.currentAvailable(product) }]
            : pool.points;
        return dailyDrops({ productId: pool.productId, points }).map((drop, day) => ({
          drop,
          product,
          turn: index + day,
        }));
      })
      .sort((a, b) => a.drop.at - b.drop.at);
    try {
      return drops.map(({ drop, product, turn }) =>
        this.ledger.record(
          ledgerProduct(product),
          SANDBOX_CUSTOMERS[turn % SANDBOX_CUSTOMERS.length] as (typeof SANDBOX_CUSTOMERS)[number],
          drop.units,
          drop.at,
        ),
      );
    } catch (error) {
      if (error instanceof RangeError) throw new ScenarioError(error.message);
      throw error;
    }
  }

  /**
   * Records what running drains took since they were last recorded, as customer transactions in the
   * UTC month each part was taken in (a drain running across midnight at month end is split).
   */
  recordDrains(): void {
    const now = this.now();
    for (const [productId, drain] of this.drains) {
      const product = this.products.find((p) => p.product_id === productId);
      if (!product) continue;
      for (let boundary = nextMonthStart(drain.recordedUpTo); boundary <= now; boundary = nextMonthStart(boundary)) {
        this.recordDrainUpTo(product, drain, boundary - 1);
      }
      this.recordDrainUpTo(product, drain, now);
    }
  }

  injectFault(spec: FaultSpec): void {
    this.faults.add(spec);
  }

  activeFaults(): ActiveFault[] {
    return this.faults.list();
  }

  private find(match: ProductMatch): StoredProduct {
    const product = this.products.find((p) => p.product_code === match || p.product_id === match);
    if (!product) throw new ScenarioError(`no product with code or id ${JSON.stringify(match)}`);
    return product;
  }

  private currentAvailable(product: StoredProduct): number {
    const drain = this.drains.get(product.product_id);
    return drain ? this.drained(drain) : Number(product.available);
  }

  private drained(drain: Drain, at = this.now()): number {
    return drain.from - this.taken(drain, at);
  }

  /** Units a drain has taken by `at`: linear in time, never more than the pool had. */
  private taken(drain: Drain, at: number): number {
    const minutes = Math.max(0, at - drain.since) / 60_000;
    return Math.min(drain.from, Math.floor(drain.perMinute * minutes));
  }

  private recordDrainUpTo(product: StoredProduct, drain: Drain, at: number): void {
    const taken = this.taken(drain, at);
    if (taken > drain.recorded) this.ledger.allocate(ledgerProduct(product), taken - drain.recorded, at);
    drain.recorded = Math.max(drain.recorded, taken);
    drain.recordedUpTo = Math.max(drain.recordedUpTo, at);
  }
}

function nextMonthStart(ms: number): number {
  const date = new Date(ms);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
}

function ledgerProduct(product: StoredProduct): LedgerProduct {
  return {
    productId: product.product_id,
    productCode: product.product_code,
    productName: String(product.product_name ?? product.product_code),
    version: typeof product.version === 'string' ? product.version : 'Full',
  };
}

/** A scenario control was given something it cannot do (unknown product, bad count). */
export class ScenarioError extends Error {
  override name = 'ScenarioError';
}

function assertCount(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new ScenarioError(`${name} must be a whole number >= 0`);
}
