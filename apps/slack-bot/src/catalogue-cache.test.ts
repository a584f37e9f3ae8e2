import type { ProductListResult } from '@licensewatch/client';
import { describe, expect, it } from 'vitest';
import { CatalogueCache } from './catalogue-cache.js';

const result = (available: number): ProductListResult => ({
  partnerId: 'p',
  products: [
    {
      productId: 'id',
      productCode: 'NNZBXXE1X',
      productName: 'X',
      type: 'SaaS',
      version: 'Full',
      available,
      servicePlans: [],
    },
  ],
  warnings: [],
  traceId: 't',
});

describe('CatalogueCache', () => {
  it('keeps the last good list while a much smaller one is unconfirmed, and believes it after N answers', () => {
    const cache = new CatalogueCache({
      ttlMs: 60_000,
      now: () => 0,
      fetch: async () => result(1),
      sanity: { confirmPolls: 3 },
    });
    const empty: ProductListResult = { ...result(1), products: [] };
    cache.store(result(500));
    cache.store(empty);
    cache.store(empty);
    expect(cache.peek().snapshot?.catalogue.products).toHaveLength(1);
    expect(cache.peek().suspect?.catalogue.products).toHaveLength(0);
    expect(cache.fresh()).toBeUndefined(); // answered through read(), which carries the note
    cache.store(empty);
    expect(cache.peek().snapshot?.catalogue.products).toHaveLength(0);
    expect(cache.peek().suspect).toBeUndefined();
  });

  it('serves from cache within the TTL and refreshes after it', async () => {
    let now = 0;
    let calls = 0;
    const cache = new CatalogueCache({ ttlMs: 60_000, now: () => now, fetch: async () => result(++calls) });
    expect((await cache.read()).snapshot?.catalogue.products[0]?.available).toBe(1);
    now = 59_000;
    expect((await cache.read()).snapshot?.catalogue.products[0]?.available).toBe(1);
    now = 60_000;
    expect((await cache.read()).snapshot?.catalogue.products[0]?.available).toBe(2);
    expect(cache.lmpiRequests).toBe(2);
  });

  it('shares one in-flight request among concurrent readers', async () => {
    let release: (value: ProductListResult) => void = () => undefined;
    let calls = 0;
    const cache = new CatalogueCache({
      ttlMs: 60_000,
      fetch: () => {
        calls += 1;
        return new Promise((resolve) => {
          release = resolve;
        });
      },
    });
    const readers = Array.from({ length: 20 }, () => cache.read());
    release(result(5));
    const views = await Promise.all(readers);
    expect(calls).toBe(1);
    expect(views.every((v) => v.snapshot?.catalogue.products[0]?.available === 5)).toBe(true);
  });

  it('keeps the last good data on failure, backs off, then recovers', async () => {
    let now = 0;
    let failing = false;
    let calls = 0;
    const cache = new CatalogueCache({
      ttlMs: 1_000,
      failureBackoffMs: 5_000,
      now: () => now,
      fetch: async () => {
        calls += 1;
        if (failing) throw new Error('down');
        return result(7);
      },
    });
    await cache.read();
    failing = true;
    now = 2_000;
    const stale = await cache.read();
    expect(stale.error).toBeInstanceOf(Error);
    expect(stale.snapshot?.fetchedAt).toBe(0);
    now = 3_000;
    await cache.read();
    expect(calls).toBe(2); // within the backoff: no new request
    failing = false;
    now = 7_001;
    const recovered = await cache.read();
    expect(recovered.error).toBeUndefined();
    expect(recovered.snapshot?.fetchedAt).toBe(7_001);
  });

  it('never throws and never invents data when the first fetch fails', async () => {
    const cache = new CatalogueCache({ ttlMs: 1_000, fetch: async () => Promise.reject(new Error('nope')) });
    const view = await cache.read();
    expect(view.snapshot).toBeUndefined();
    expect(view.error).toHaveProperty('message', 'nope');
  });
});
