import type { ProductProfile } from '@licensewatch/schema';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AlertEvent, type EngineState, evaluate, initialEngineState, type ProductEvent } from './engine.js';
import type { Forecast } from './forecast.js';
import { compareUrgency, rateProducts } from './rating.js';
import { DEFAULT_THRESHOLDS, ruleResolver } from './rules.js';
import { describeTrigger, RUNWAY_RECOVERY_FACTOR } from './runway.js';

const DAY = 86_400_000;
const product = (available: number, code = 'NNZBXXE1X'): ProductProfile => ({
  productId: `id-${code}`,
  productCode: code,
  productName: `Product ${code}`,
  type: 'SaaS',
  version: 'Full',
  available,
  servicePlans: [],
});
const runway = (daysToZero: number, perDay = 40): Forecast => ({ days: daysToZero, perDay, daysToZero });

/** Polls one product with a count and a runway (undefined: no forecast) per poll. */
function run(polls: [number, number | undefined][]) {
  const ruleFor = ruleResolver(DEFAULT_THRESHOLDS); // 100/20 licenses, 14/3 days
  let state: EngineState = initialEngineState();
  const events: AlertEvent[] = [];
  polls.forEach(([available, days], i) => {
    const result = evaluate(state, { ok: true, products: [product(available)] }, i * 60_000, {
      ruleFor,
      forecastFor: () => (days === undefined ? undefined : runway(days)),
    });
    state = result.state;
    events.push(...result.events);
  });
  return events as ProductEvent[];
}

describe('runway thresholds (on by default: low within 14 days of empty, critical within 3)', () => {
  it('fires on the runway with plenty of licenses left, and says so', () => {
    const events = run([
      [5_000, 30],
      [400, 10],
      [200, 2.5],
    ]);
    expect(events.map((e) => `${e.kind}:${e.level}`)).toEqual(['alert:low', 'alert:critical']);
    expect(events[1]?.trigger).toEqual({ kind: 'runway', thresholdMs: 3 * DAY, daysToZero: 2.5, perDay: 40 });
    expect(describeTrigger(events[1]?.trigger ?? { kind: 'count', threshold: 0 }, 200)).toBe(
      'runs out in ~3 days at ~40/day',
    );
  });

  it('says the count fired when the count alone is enough', () => {
    const [event] = run([[20, 30]]);
    expect(event?.trigger).toEqual({ kind: 'count', threshold: 20 });
    expect(describeTrigger({ kind: 'count', threshold: 20 }, 20)).toBe('20 left (≤ 20)');
  });

  it('recovers when a refill pushes the runway out, or the forecast goes away', () => {
    const events = run([
      [400, 10],
      [5_000, 125],
    ]);
    expect(events.map((e) => e.kind)).toEqual(['alert', 'resolved']);
    expect(
      run([
        [400, 10],
        [400, undefined],
      ]).map((e) => e.kind),
    ).toEqual(['alert', 'resolved']);
  });

  it('does not flap while the runway hovers inside the recovery band (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 50 }), (steps) => {
        const polls: [number, number][] = [
          [5_000, 13],
          ...steps.map((s): [number, number] => [5_000, 14 * (1 + s * (RUNWAY_RECOVERY_FACTOR - 1))]),
        ];
        expect(run(polls).map((e) => e.kind)).toEqual(['alert']);
      }),
    );
  });

  it('rates and orders like the engine: level, then shortest runway, then fewest available', () => {
    const forecasts = new Map([
      ['id-A', runway(2)],
      ['id-B', runway(10)],
      ['id-C', runway(6)],
    ]);
    const rated = rateProducts(
      [product(9_000, 'A'), product(9_000, 'B'), product(9_000, 'C'), product(10, 'D'), product(50, 'E')],
      ruleResolver(DEFAULT_THRESHOLDS),
      forecasts,
    );
    expect(rated.map((r) => [r.product.productCode, r.level, r.trigger?.kind])).toEqual([
      ['A', 'critical', 'runway'],
      ['D', 'critical', 'count'],
      ['C', 'low', 'runway'],
      ['B', 'low', 'runway'],
      ['E', 'low', 'count'],
    ]);
    const key = { level: 'ok' as const, available: 5, productName: 'x', productCode: 'X' };
    expect(compareUrgency({ ...key, runwayDays: 3 }, { ...key, runwayDays: undefined })).toBeLessThan(0);
  });

  it('can be switched off per rule', () => {
    const ruleFor = ruleResolver({
      default: { low: 100, critical: 20, lowRunwayMs: 0, criticalRunwayMs: 0 },
      products: [],
    });
    const [rated] = rateProducts([product(9_000)], ruleFor, new Map([['id-NNZBXXE1X', runway(1)]]));
    expect(rated?.level).toBe('ok');
  });
});
