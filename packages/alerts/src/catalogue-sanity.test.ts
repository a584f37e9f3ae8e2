import type { ProductProfile } from '@licensewatch/schema';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSuspectCatalogue } from './catalogue-sanity.js';
import { type AlertEvent, type EngineState, evaluate, initialEngineState } from './engine.js';
import { ruleResolver } from './rules.js';

const ruleFor = ruleResolver({ default: { low: 100, critical: 20 }, products: [] });
const product = (i: number, available: number): ProductProfile => ({
  productId: `id-${i}`,
  productCode: `CODE${i}`,
  productName: `Product ${i}`,
  type: 'SaaS',
  version: 'Full',
  available,
  servicePlans: [],
});
const catalogue = (counts: readonly number[]) => counts.map((available, i) => product(i, available));

/** Runs polls (a list of products, or 'fail'); returns every event and the final state. */
function polls(lists: (ProductProfile[] | 'fail')[], sanity?: { maxLossFraction?: number; confirmPolls?: number }) {
  let state: EngineState = initialEngineState();
  const events: AlertEvent[] = [];
  lists.forEach((list, i) => {
    const outcome =
      list === 'fail' ? { ok: false as const, reason: 'unreachable' as const } : { ok: true as const, products: list };
    const result = evaluate(state, outcome, 1_000 + i * 60_000, {
      ruleFor,
      ...(sanity ? { catalogueSanity: sanity } : {}),
    });
    state = result.state;
    events.push(...result.events);
  });
  return { events, state };
}

const count = (events: AlertEvent[], kind: AlertEvent['kind']) => events.filter((e) => e.kind === kind).length;

describe('catalogue sanity', () => {
  it('holds an empty list: one notice, no vanished, and no first-seen alerts when products come back', () => {
    const full = catalogue([...Array.from({ length: 54 }, () => 500), ...Array.from({ length: 10 }, () => 10)]);
    const { events } = polls([full, [], full, full]);
    expect(count(events, 'alert')).toBe(10); // the first poll's, only
    expect(count(events, 'vanished')).toBe(0);
    expect(count(events, 'lmpi-catalogue-shrank')).toBe(1);
    expect(events.find((e) => e.kind === 'lmpi-catalogue-shrank')).toMatchObject({
      catalogue: { listed: 0, previous: 64 },
    });
  });

  it('believes a smaller list after N consecutive suspect polls, then reports the vanished products once', () => {
    const full = catalogue([500, 500, 500, 10]);
    const small = full.slice(0, 1);
    const { events } = polls([full, small, small, small, small], { confirmPolls: 3 });
    expect(count(events, 'vanished')).toBe(3);
    expect(count(events, 'lmpi-catalogue-shrank')).toBe(1);
    const { events: lessConfirming } = polls([full, small, small], { confirmPolls: 3 });
    expect(count(lessConfirming, 'vanished')).toBe(0);
  });

  it('treats losing at most the fraction as ordinary (each product vanishes at once)', () => {
    const full = catalogue([500, 500, 500, 500]);
    expect(count(polls([full, full.slice(0, 2)]).events, 'vanished')).toBe(2); // 50 %: not more than
    expect(count(polls([full, full.slice(0, 1)]).events, 'vanished')).toBe(0); // 75 %: suspect
    expect(count(polls([full, full.slice(0, 1)], { maxLossFraction: 0.8 }).events, 'vanished')).toBe(3);
  });

  it('never reports vanished or first-seen alerts for products back within N polls (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 2, maxLength: 30 }),
        fc.integer({ min: 1, max: 2 }),
        fc.integer({ min: 0, max: 100 }),
        (counts, gapPolls, keepPercent) => {
          const full = catalogue(counts);
          const keep = Math.floor((full.length * keepPercent) / 100);
          const shrunk = full.slice(0, keep);
          const suspect = isSuspectCatalogue(
            new Map(full.map((p) => [p.productId, p])),
            shrunk.map((p) => p.productId),
          );
          const before = polls([full]);
          const after = polls([full, ...Array.from({ length: gapPolls }, () => shrunk), full]);
          const later = after.events.slice(before.events.length);
          if (suspect) {
            expect(count(later, 'vanished')).toBe(0);
            expect(count(later, 'alert')).toBe(0); // counts did not change: nothing to alert about
            expect(count(later, 'lmpi-catalogue-shrank')).toBe(1);
            expect([...after.state.products.values()].map((p) => p.episode)).toEqual(
              [...before.state.products.values()].map((p) => p.episode),
            );
          } else {
            expect(count(later, 'lmpi-catalogue-shrank')).toBe(0);
          }
        },
      ),
    );
  });

  it('keeps a suspect run across failed polls', () => {
    const full = catalogue([500, 500, 500]);
    const { events } = polls([full, [], 'fail', [], full], { confirmPolls: 3 });
    expect(count(events, 'vanished')).toBe(0);
  });
});
