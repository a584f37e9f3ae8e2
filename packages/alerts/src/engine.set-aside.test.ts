import type { ProductProfile } from '@licensewatch/schema';
import { describe, expect, it } from 'vitest';
import { type EngineState, evaluate, initialEngineState } from './engine.js';
import { ruleResolver } from './rules.js';

// A product LMPI listed but sent unreadable (e.g. available -5) is set aside by the parser: the
// engine keeps what it knew about it (no alert, no "vanished"), and judges it again once readable.

const ruleFor = ruleResolver({ default: { low: 100, critical: 20 }, products: [] });
const product = (i: number, available: number): ProductProfile => ({
  productId: `0000000${i}-aaaa-4bbb-8ccc-000000000000`,
  productCode: `CODE${i}XXXX`,
  productName: `Product ${i}`,
  type: 'SaaS',
  version: 'Full',
  available,
  servicePlans: [],
});

describe('evaluate: products set aside', () => {
  it('keeps a set-aside product’s state and episode, and neither alerts nor reports it vanished', () => {
    let state: EngineState = initialEngineState();
    ({ state } = evaluate(state, { ok: true, products: [product(1, 50), product(2, 500)] }, 1, { ruleFor }));
    const before = state.products.get(product(1, 0).productId);
    expect(before?.level).toBe('low');

    const { state: next, events } = evaluate(
      state,
      { ok: true, products: [product(2, 500)], setAside: [{ productId: product(1, 0).productId }] },
      2,
      { ruleFor },
    );
    expect(events).toEqual([]);
    expect(next.products.get(product(1, 0).productId)).toBe(before);

    // Readable again: judged as usual, in the same episode (no second "alert" for the same level).
    const back = evaluate(next, { ok: true, products: [product(1, 10), product(2, 500)] }, 3, { ruleFor });
    expect(back.events.map((e) => e.kind)).toEqual(['alert']);
    expect(back.state.products.get(product(1, 0).productId)?.episode?.id).toBe(before?.episode?.id);
  });

  it('matches a product set aside without a readable id by its code; any other missing product vanishes', () => {
    let state: EngineState = initialEngineState();
    ({ state } = evaluate(state, { ok: true, products: [product(1, 500), product(2, 500), product(3, 500)] }, 1, {
      ruleFor,
    }));
    const { events, state: next } = evaluate(
      state,
      { ok: true, products: [product(2, 500)], setAside: [{ productCode: 'CODE1XXXX' }] },
      2,
      { ruleFor },
    );
    expect(events.map((e) => [e.kind, 'product' in e ? e.product.productCode : ''])).toEqual([
      ['vanished', 'CODE3XXXX'],
    ]);
    expect(next.products.has(product(1, 0).productId)).toBe(true);
  });

  it('counts set-aside products as listed: one unreadable product does not make the catalogue look shrunk', () => {
    let state: EngineState = initialEngineState();
    ({ state } = evaluate(state, { ok: true, products: [product(1, 500), product(2, 500)] }, 1, { ruleFor }));
    const { events } = evaluate(
      state,
      { ok: true, products: [product(2, 500)], setAside: [{ productId: product(1, 0).productId }] },
      2,
      { ruleFor, catalogueSanity: { maxLossFraction: 0.4 } },
    );
    expect(events.map((e) => e.kind)).toEqual([]);
  });
});
