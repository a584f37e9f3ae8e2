import type { ProductProfile } from '@licensewatch/schema';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AlertEvent,
  type EngineState,
  evaluate,
  initialEngineState,
  type PollOutcome,
  type ProductAlertState,
} from './engine.js';
import { ruleResolver, type ThresholdLevels } from './rules.js';

const product = (
  available: number,
  code = 'NNZBXXE1X',
  id = '1b6c4e7a-93d2-4f0b-8c55-0a7e2d9f4b13',
): ProductProfile => ({
  productId: id,
  productCode: code,
  productName: `Product ${code}`,
  type: 'SaaS',
  version: 'Full',
  available,
  servicePlans: [],
});

function run(
  levels: ThresholdLevels,
  polls: (number | 'fail' | 'gone')[],
  extra: { renotifyMs?: number; step?: number; confirmPolls?: number } = {},
) {
  const ruleFor = ruleResolver({ default: levels, products: [] });
  let state: EngineState = initialEngineState();
  const all: AlertEvent[][] = [];
  const states: EngineState[] = [];
  polls.forEach((value, i) => {
    const outcome: PollOutcome =
      value === 'fail'
        ? { ok: false, reason: 'unreachable' }
        : { ok: true, products: value === 'gone' ? [] : [product(value)] };
    const result = evaluate(state, outcome, 1_000_000 + i * (extra.step ?? 60_000), {
      ruleFor,
      ...(extra.renotifyMs ? { renotifyMs: extra.renotifyMs } : {}),
      ...(extra.confirmPolls ? { catalogueSanity: { confirmPolls: extra.confirmPolls } } : {}),
    });
    state = result.state;
    all.push(result.events);
    states.push(state);
  });
  return { events: all, flat: all.flat(), states, last: state };
}

const kinds = (events: AlertEvent[]) => events.map((e) => ('level' in e ? `${e.kind}:${e.level}` : e.kind));

describe('evaluate', () => {
  it('fires low, then critical, then one resolution, in order', () => {
    const { flat } = run({ low: 100, critical: 20 }, [500, 90, 80, 10, 15, 150]);
    expect(kinds(flat)).toEqual(['alert:low', 'alert:critical', 'resolved:ok']);
    expect(flat[1]).toMatchObject({ available: 10, previousAvailable: 80, threshold: 20 });
  });

  it('fires for a product that is already low at first sight, with no previous count', () => {
    const { flat } = run({ low: 100, critical: 20 }, [50]);
    expect(kinds(flat)).toEqual(['alert:low']);
    expect(flat[0]).toMatchObject({ available: 50, previousAvailable: undefined });
  });

  it('recovers only past the margin (hysteresis)', () => {
    const { flat } = run({ low: 100, critical: 20, recovery: 25 }, [90, 110, 95, 124, 99, 126]);
    expect(kinds(flat)).toEqual(['alert:low', 'resolved:ok']);
    expect(flat[1]?.at).toBe(1_000_000 + 5 * 60_000);
  });

  it('waits `for` consecutive polls before firing, and forgets an interrupted run', () => {
    expect(kinds(run({ low: 100, critical: 20, for: 3 }, [90, 90, 500, 90, 90]).flat)).toEqual([]);
    expect(kinds(run({ low: 100, critical: 20, for: 3 }, [90, 90, 90]).flat)).toEqual(['alert:low']);
  });

  it('renotifies while still low and unacknowledged, not after acknowledgement', () => {
    const { flat } = run({ low: 100, critical: 20 }, [90, 90, 90, 90, 90], { renotifyMs: 120_000 });
    expect(kinds(flat)).toEqual(['alert:low', 'renotify:low', 'renotify:low']);
    const ruleFor = ruleResolver({ default: { low: 100, critical: 20 }, products: [] });
    let { state } = evaluate(initialEngineState(), { ok: true, products: [product(90)] }, 0, {
      ruleFor,
      renotifyMs: 1,
    });
    const id = product(90).productId;
    state = {
      ...state,
      products: new Map([[id, { ...(state.products.get(id) as ProductAlertState), acknowledged: true }]]),
    };
    expect(evaluate(state, { ok: true, products: [product(90)] }, 10_000, { ruleFor, renotifyMs: 1 }).events).toEqual(
      [],
    );
  });

  it('stays silent while muted, and still tracks the level', () => {
    const ruleFor = ruleResolver({ default: { low: 100, critical: 20 }, products: [] });
    const id = product(500).productId;
    const first = evaluate(initialEngineState(), { ok: true, products: [product(500)] }, 0, { ruleFor });
    const muted: EngineState = {
      ...first.state,
      products: new Map([[id, { ...(first.state.products.get(id) as ProductAlertState), mutedUntil: 50_000 }]]),
    };
    const during = evaluate(muted, { ok: true, products: [product(10)] }, 10_000, { ruleFor });
    expect(during.events).toEqual([]);
    expect(during.state.products.get(id)?.level).toBe('critical');
  });

  it('reads failed polls as nothing: three give one unreachable alert, the next good poll resolves it', () => {
    const { events, states } = run({ low: 100, critical: 20 }, [500, 'fail', 'fail', 'fail', 'fail', 500]);
    expect(events.map(kinds)).toEqual([[], [], [], ['lmpi-unreachable'], [], ['lmpi-recovered']]);
    expect(states[4]?.products).toEqual(states[0]?.products);
  });

  it('reports a product that vanished from the catalogue', () => {
    // One product, gone: an empty list, believed at once here (confirmPolls 1); held by default (below).
    expect(kinds(run({ low: 100, critical: 20 }, [500, 'gone'], { confirmPolls: 1 }).flat)).toEqual(['vanished:ok']);
  });

  it('reports a vanished product at its last level, in its key too, with the episode it ends', () => {
    const { flat } = run({ low: 100, critical: 20 }, [500, 10, 'gone'], { confirmPolls: 1 });
    const vanished = flat.find((e) => e.kind === 'vanished');
    expect(vanished).toMatchObject({ level: 'critical', key: expect.stringMatching(/^vanished:[^:]+:critical:/) });
    expect(vanished && 'episode' in vanished ? vanished.episode : undefined).toEqual(
      flat[0] && 'episode' in flat[0] ? flat[0].episode : 'missing',
    );
  });

  it('keeps one episode from first crossing to resolution, with its peak, and starts a new one after', () => {
    const { flat, states } = run({ low: 100, critical: 20 }, [500, 80, 10, 50, 500, 80]);
    const episodes = flat.map((e) => ('episode' in e ? e.episode : undefined));
    expect(kinds(flat)).toEqual(['alert:low', 'alert:critical', 'resolved:ok', 'alert:low']);
    expect(episodes[0]).toEqual({ id: `${product(0).productId}:1060000`, startedAt: 1_060_000, peak: 'low' });
    expect(episodes[1]).toEqual({ ...episodes[0], peak: 'critical' });
    expect(episodes[2]).toEqual(episodes[1]);
    expect(states[4]?.products.get(product(0).productId)?.episode).toBeUndefined();
    expect(episodes[3]?.id).not.toBe(episodes[0]?.id);
  });

  it('reports a vanished product even when another one appears in the same poll', () => {
    const ruleFor = ruleResolver({ default: { low: 100, critical: 20 }, products: [] });
    const first = evaluate(initialEngineState(), { ok: true, products: [product(500, 'AAAAXXE1X', 'a')] }, 0, {
      ruleFor,
    });
    const second = evaluate(first.state, { ok: true, products: [product(500, 'BBBBXXE1X', 'b')] }, 1, {
      ruleFor,
      catalogueSanity: { confirmPolls: 1 }, // 1 of 1 gone would otherwise be held as suspect
    });
    expect(second.events.map((e) => ('product' in e ? `${e.kind}:${e.product.productCode}` : e.kind))).toEqual([
      'vanished:AAAAXXE1X',
    ]);
  });

  it('alerts once when the forecast reaches critical within the rule horizon, while still ok', () => {
    const ruleFor = ruleResolver({ default: { low: 100, critical: 20, horizonMs: 7 * 86_400_000 }, products: [] });
    const soon = { days: 3, perDay: 100 };
    const first = evaluate(initialEngineState(), { ok: true, products: [product(400)] }, 0, {
      ruleFor,
      forecastFor: () => soon,
    });
    expect(first.events.map((e) => e.kind)).toEqual(['forecast']);
    expect(first.events[0]).toMatchObject({ forecast: soon, threshold: 20 });
    const again = evaluate(first.state, { ok: true, products: [product(300)] }, 1, {
      ruleFor,
      forecastFor: () => soon,
    });
    expect(again.events).toEqual([]);
    const far = evaluate(again.state, { ok: true, products: [product(300)] }, 2, {
      ruleFor,
      forecastFor: () => ({ days: 30, perDay: 10 }),
    });
    expect(far.events).toEqual([]);
    const back = evaluate(far.state, { ok: true, products: [product(290)] }, 3, { ruleFor, forecastFor: () => soon });
    expect(back.events.map((e) => e.kind)).toEqual(['forecast']);
  });

  it('gives every transition its own key', () => {
    const { flat } = run({ low: 100, critical: 20 }, [90, 10, 500, 90]);
    expect(new Set(flat.map((e) => e.key)).size).toBe(flat.length);
  });
});

const levelsArb = fc
  .record({
    low: fc.integer({ min: 1, max: 1000 }),
    critical: fc.integer({ min: 0, max: 1000 }),
    recovery: fc.integer({ min: 0, max: 100 }),
    for: fc.integer({ min: 1, max: 3 }),
  })
  .map((l) => ({ ...l, critical: Math.min(l.critical, l.low) }));

describe('evaluate (properties)', () => {
  it('emits no event without a level transition', () => {
    fc.assert(
      fc.property(
        levelsArb,
        fc.array(fc.integer({ min: 0, max: 2000 }), { minLength: 1, maxLength: 40 }),
        (levels, counts) => {
          const { events, states } = run(levels, counts);
          events.forEach((pollEvents, i) => {
            const before = i === 0 ? 'ok' : ([...(states[i - 1]?.products.values() ?? [])][0]?.level ?? 'ok');
            const after = [...(states[i]?.products.values() ?? [])][0]?.level ?? 'ok';
            for (const event of pollEvents) {
              if (event.kind === 'alert')
                expect(after === 'critical' || (after === 'low' && before === 'ok')).toBe(true);
              if (event.kind === 'resolved') {
                expect(before).not.toBe('ok');
                expect(after).toBe('ok');
              }
            }
            if (before === after)
              expect(pollEvents.filter((e) => e.kind === 'alert' || e.kind === 'resolved')).toEqual([]);
          });
        },
      ),
      { numRuns: 500 },
    );
  });

  it('does not flap while counts oscillate inside the recovery margin', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 30, max: 1000 }),
        fc.integer({ min: 1, max: 200 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 50 }),
        (low, recovery, wiggles) => {
          const critical = Math.floor(low / 3);
          // Low first, then anywhere above critical and up to low + recovery: inside the margin.
          const counts = [low, ...wiggles.map((w) => critical + 1 + Math.floor(w * (low + recovery - critical - 1)))];
          const { flat } = run({ low, critical, recovery }, counts);
          expect(kinds(flat)).toEqual(['alert:low']);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('resolves every alert once counts recover, whatever happened before', () => {
    fc.assert(
      fc.property(
        levelsArb,
        fc.array(fc.oneof(fc.integer({ min: 0, max: 2000 }), fc.constant('fail' as const)), { maxLength: 40 }),
        (levels, polls) => {
          const recovered = levels.low + (levels.recovery ?? 0) + 1;
          const { flat, last } = run(levels, [...polls, recovered]);
          const alerts = flat.filter((e) => e.kind === 'alert').length;
          const resolutions = flat.filter((e) => e.kind === 'resolved').length;
          expect([...last.products.values()][0]?.alertOpen).toBe(false);
          expect([...last.products.values()][0]?.level).toBe('ok');
          expect(resolutions).toBeGreaterThanOrEqual(alerts > 0 ? 1 : 0);
          expect(last.unreachableOpen).toBe(false);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('never changes a product on a failed poll', () => {
    fc.assert(
      fc.property(
        levelsArb,
        fc.array(fc.integer({ min: 0, max: 2000 }), { minLength: 1, maxLength: 10 }),
        fc.integer({ min: 1, max: 10 }),
        (levels, counts, failures) => {
          const { states } = run(levels, [...counts, ...Array.from({ length: failures }, () => 'fail' as const)]);
          expect(states.at(-1)?.products).toEqual(states[counts.length - 1]?.products);
        },
      ),
      { numRuns: 200 },
    );
  });
});
