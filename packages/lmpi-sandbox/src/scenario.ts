import { type StoredProduct, storedCopy } from './catalogue.js';
import { type ActiveFault, FaultQueue, type FaultSpec } from './faults.js';

interface Drain {
  perMinute: number;
  since: number;
  from: number;
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
  }

  /** The catalogue as it stands now, drains applied. Copies: safe to serialise or modify. */
  catalogue(): StoredProduct[] {
    return this.products.map((product) => {
      const drain = this.drains.get(product.product_id);
      return drain ? { ...product, available: this.drained(drain) } : { ...product };
    });
  }

  /** Sets a product's available count (and stops any drain on it). */
  setAvailable(match: ProductMatch, available: number): StoredProduct {
    assertCount(available, 'available');
    const product = this.find(match);
    this.drains.delete(product.product_id);
    product.available = available;
    return { ...product };
  }

  /** Starts taking `perMinute` licenses a minute from a product's pool, down to 0. */
  drain(match: ProductMatch, perMinute: number): void {
    if (!(perMinute > 0) || !Number.isFinite(perMinute)) throw new ScenarioError('perMinute must be a positive number');
    const product = this.find(match);
    const from = this.currentAvailable(product);
    this.drains.set(product.product_id, { perMinute, since: this.now(), from });
  }

  /** Stops a drain, freezing the count where it is. */
  stopDrain(match: ProductMatch): void {
    const product = this.find(match);
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
    this.products = this.products.filter((p) => p !== product);
    this.drains.delete(product.product_id);
  }

  /** Replaces the whole catalogue (e.g. `[]` for a partner with nothing to provision). */
  replaceCatalogue(products: StoredProduct[]): void {
    this.products = products.map(storedCopy);
    this.drains.clear();
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

  private drained(drain: Drain): number {
    const minutes = (this.now() - drain.since) / 60_000;
    return Math.max(0, drain.from - Math.floor(drain.perMinute * minutes));
  }
}

/** A scenario control was given something it cannot do (unknown product, bad count). */
export class ScenarioError extends Error {
  override name = 'ScenarioError';
}

function assertCount(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new ScenarioError(`${name} must be a whole number >= 0`);
}
