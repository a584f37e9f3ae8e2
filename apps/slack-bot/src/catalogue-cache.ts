import { type CatalogueSanity, DEFAULT_CATALOGUE_SANITY, isSuspectCatalogue } from '@licensewatch/alerts';
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
  /**
   * LMPI's latest answer lists far fewer products than `snapshot` (the last good list, still
   * shown) and is not believed yet: what it listed, and since when.
   */
  suspect?: SuspectList | undefined;
}

/** A much smaller catalogue held back until consecutive fetches confirm it. */
export interface SuspectList {
  catalogue: ProductListResult;
  /** Epoch ms of the first suspect answer, and of the latest. */
  since: number;
  at: number;
  fetches: number;
}

export interface CatalogueCacheOptions {
  fetch: () => Promise<ProductListResult>;
  /** How long a snapshot is served without asking LMPI again. */
  ttlMs: number;
  /** How long a failure is remembered before LMPI is asked again. Default min(ttl, 10 s). */
  failureBackoffMs?: number;
  /** When a much smaller list is held back (as the alert engine holds it). */
  sanity?: Partial<CatalogueSanity>;
  now?: () => number;
}

/**
 * Caches the product catalogue: a snapshot is served for `ttlMs`; concurrent readers share one
 * in-flight LMPI request; a failed refresh keeps the last good snapshot (marked with the error)
 * and is not retried for a short backoff, so an outage is not hammered by every command.
 */
export class CatalogueCache {
  private snapshot: CatalogueSnapshot | undefined;
  private suspect: SuspectList | undefined;
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
    if (this.snapshot && now - this.answeredAt() < this.options.ttlMs && !this.failure) {
      return Promise.resolve({ snapshot: this.snapshot, error: undefined, suspect: this.suspect });
    }
    if (this.failure && now - this.failure.at < this.failureBackoffMs) {
      return Promise.resolve({ snapshot: this.snapshot, error: this.failure.error, suspect: this.suspect });
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

  /**
   * Stores a catalogue fetched elsewhere (the alert poller), so readers see it at once. A much
   * smaller one than the current snapshot is held as suspect (the snapshot stays) until it has come
   * `confirmPolls` times in a row.
   */
  store(catalogue: ProductListResult, fetchedAt = this.now()): void {
    this.failure = undefined;
    const sanity = { ...DEFAULT_CATALOGUE_SANITY, ...this.options.sanity };
    const previous = new Set(this.snapshot?.catalogue.products.map((p) => p.productId));
    // Products LMPI listed but sent unreadable (set aside) still count as listed.
    const setAside = (catalogue.setAside ?? []).flatMap((record) => (record.productId ? [record.productId] : []));
    const ids = [...catalogue.products.map((p) => p.productId), ...setAside];
    if (this.snapshot && isSuspectCatalogue(previous, ids, sanity)) {
      const fetches = (this.suspect?.fetches ?? 0) + 1;
      if (fetches < sanity.confirmPolls) {
        this.suspect = { catalogue, since: this.suspect?.since ?? fetchedAt, at: fetchedAt, fetches };
        return;
      }
    }
    this.suspect = undefined;
    this.snapshot = { catalogue, fetchedAt };
  }

  /** When LMPI last answered (a suspect answer counts: it is not asked again sooner for it). */
  private answeredAt(): number {
    return Math.max(this.snapshot?.fetchedAt ?? 0, this.suspect?.at ?? 0);
  }

  /** Records a failed fetch made elsewhere (the alert poller). */
  storeFailure(error: unknown): void {
    this.failure = { error, at: this.now() };
  }

  /** The snapshot if it is within its TTL and the latest refresh did not fail; never asks LMPI. */
  fresh(): CatalogueSnapshot | undefined {
    const { snapshot } = this;
    if (!snapshot || this.failure || this.suspect || this.now() - snapshot.fetchedAt >= this.options.ttlMs)
      return undefined;
    return snapshot;
  }

  /** The current state without asking LMPI. */
  peek(): CatalogueView {
    return { snapshot: this.snapshot, error: this.failure?.error, suspect: this.suspect };
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
      return { snapshot: this.snapshot, error: undefined, suspect: this.suspect };
    } catch (error) {
      this.storeFailure(error);
      return { snapshot: this.snapshot, error };
    }
  }
}
