import type { ProductListResult } from '@licensewatch/client';

/** Product data as last fetched successfully. */
export interface CatalogueSnapshot {
  catalogue: ProductListResult;
  /** Epoch ms when LMPI answered. */
  fetchedAt: number;
}

/** What a reader gets: the freshest good data there is, and the error if the latest refresh failed. */
export interface CatalogueView {
  snapshot: CatalogueSnapshot | undefined;
  /** Set when the latest refresh failed; `snapshot` is then older data (or none). */
  error: unknown;
}

export interface CatalogueCacheOptions {
  fetch: () => Promise<ProductListResult>;
  /** How long a snapshot is served without asking LMPI again. */
  ttlMs: number;
  /** How long a failure is remembered before LMPI is asked again. Default min(ttl, 10 s). */
  failureBackoffMs?: number;
  now?: () => number;
}

/**
 * Caches the product catalogue: a snapshot is served for `ttlMs`; concurrent readers share one
 * in-flight LMPI request; a failed refresh keeps the last good snapshot (marked with the error)
 * and is not retried for a short backoff, so an outage is not hammered by every command.
 */
export class CatalogueCache {
  private snapshot: CatalogueSnapshot | undefined;
  private failure: { error: unknown; at: number } | undefined;
  private inFlight: Promise<CatalogueView> | undefined;
  private requests = 0;
  private readonly now: () => number;
  private readonly failureBackoffMs: number;

  constructor(private readonly options: CatalogueCacheOptions) {
    this.now = options.now ?? Date.now;
    this.failureBackoffMs = options.failureBackoffMs ?? Math.min(options.ttlMs, 10_000);
  }

  /** Fresh data from cache, or one shared refresh. Never throws: errors come back in the view. */
  read(): Promise<CatalogueView> {
    const now = this.now();
    if (this.snapshot && now - this.snapshot.fetchedAt < this.options.ttlMs && !this.failure) {
      return Promise.resolve({ snapshot: this.snapshot, error: undefined });
    }
    if (this.failure && now - this.failure.at < this.failureBackoffMs) {
      return Promise.resolve({ snapshot: this.snapshot, error: this.failure.error });
    }
    return this.refresh();
  }

  /** Asks LMPI now (joining a refresh already under way). */
  refresh(): Promise<CatalogueView> {
    this.inFlight ??= this.load().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  /** Stores a catalogue fetched elsewhere (the alert poller), so readers see it at once. */
  store(catalogue: ProductListResult, fetchedAt = this.now()): void {
    this.snapshot = { catalogue, fetchedAt };
    this.failure = undefined;
  }

  /** Records a failed fetch made elsewhere (the alert poller). */
  storeFailure(error: unknown): void {
    this.failure = { error, at: this.now() };
  }

  /** The snapshot if it is within its TTL and the latest refresh did not fail; never asks LMPI. */
  fresh(): CatalogueSnapshot | undefined {
    const { snapshot } = this;
    if (!snapshot || this.failure || this.now() - snapshot.fetchedAt >= this.options.ttlMs) return undefined;
    return snapshot;
  }

  /** The current state without asking LMPI. */
  peek(): CatalogueView {
    return { snapshot: this.snapshot, error: this.failure?.error };
  }

  /** LMPI requests this cache has made (not counting client retries). */
  get lmpiRequests(): number {
    return this.requests;
  }

  private async load(): Promise<CatalogueView> {
    this.requests += 1;
    try {
      const catalogue = await this.options.fetch();
      this.store(catalogue);
      return { snapshot: this.snapshot, error: undefined };
    } catch (error) {
      this.storeFailure(error);
      return { snapshot: this.snapshot, error };
    }
  }
}
