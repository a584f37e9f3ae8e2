import type { ProductProfile } from '@licensewatch/schema';
import { describe, expect, it } from 'vitest';
import {
  type AlertEvent,
  type EngineState,
  type EvaluateOptions,
  evaluate,
  initialEngineState,
  type ProductAlertState,
} from './engine.js';
import type { Forecast } from './forecast.js';
import { ruleResolver, type ThresholdLevels } from './rules.js';

const ID = '1b6c4e7a-93d2-4f0b-8c55-0a7e2d9f4b13';
const MIN = 60_000;

const product = (available: number): ProductProfile => ({
  productId: ID,
  productCode: 'NNZBXXE1X',
  productName: 'Worry-Free Business Security Services',
  type: 'SaaS',
  version: 'Full',
  available,
  servicePlans: [],
});

/** One product over successive polls one minute apart; returns each poll's events and state. */
class Pool {
  state: EngineState = initialEngineState();
  at = 0;
  private readonly options: EvaluateOptions;

  constructor(levels: ThresholdLevels, extra: Omit<EvaluateOptions, 'ruleFor'> = {}) {
    this.options = { ruleFor: ruleResolver({ default: levels, products: [] }), ...extra };
  }

  poll(available: number, forecast?: Forecast): AlertEvent[] {
    this.at += MIN;
    const options = forecast ? { ...this.options, forecastFor: () => forecast } : this.options;
    const result = evaluate(this.state, { ok: true, products: [product(available)] }, this.at, options);
    this.state = result.state;
    return result.events;
  }

  get product(): ProductAlertState {
    return this.state.products.get(ID) as ProductAlertState;
  }

  /** What `/licenses mute` (or Snooze) records: no alert before `until`. */
  muteUntil(until: number): void {
    this.state = { ...this.state, products: new Map([[ID, { ...this.product, mutedUntil: until }]]) };
  }
}

const kinds = (events: AlertEvent[]) => events.map((e) => ('level' in e ? `${e.kind}:${e.level}` : e.kind));

describe('a product recovering part of the way', () => {
  it('steps down from critical to low without a message, and alerts again when it falls back', () => {
    const pool = new Pool({ low: 100, critical: 20 });
    expect(kinds(pool.poll(10))).toEqual(['alert:critical']);
    expect(pool.poll(50)).toEqual([]);
    expect(pool.product.level).toBe('low');
    expect(pool.product.since).toBe(pool.at);
    expect(pool.product.alertOpen).toBe(true);
    expect(kinds(pool.poll(10))).toEqual(['alert:critical']);
  });

  it('stays critical until the count clears the critical level by the recovery margin', () => {
    const pool = new Pool({ low: 100, critical: 20, recovery: 25 });
    pool.poll(10);
    pool.poll(45); // 20 + 25: not past the margin
    expect(pool.product.level).toBe('critical');
    pool.poll(46);
    expect(pool.product.level).toBe('low');
  });

  it('renotifies at the lower level after stepping down', () => {
    const pool = new Pool({ low: 100, critical: 20 }, { renotifyMs: 2 * MIN });
    pool.poll(10);
    pool.poll(50);
    const renotify = pool.poll(50).find((e) => e.kind === 'renotify');
    expect(renotify).toMatchObject({ level: 'low', threshold: 100, trigger: { kind: 'count', threshold: 100 } });
  });
});

describe('what an alert says', () => {
  it('names the low level and its count threshold on a low alert', () => {
    const pool = new Pool({ low: 100, critical: 20, channel: '#licenses-low' });
    const [alert] = pool.poll(90);
    expect(alert).toMatchObject({
      kind: 'alert',
      level: 'low',
      available: 90,
      threshold: 100,
      channel: '#licenses-low',
      trigger: { kind: 'count', threshold: 100 },
    });
  });

  it('says the runway fired when the count is still above the low level', () => {
    const pool = new Pool({ low: 100, critical: 20, lowRunwayMs: 14 * 86_400_000 });
    const [alert] = pool.poll(400, { days: 10, perDay: 40, daysToZero: 10 });
    expect(alert).toMatchObject({
      kind: 'alert',
      level: 'low',
      threshold: 100,
      trigger: { kind: 'runway', thresholdMs: 14 * 86_400_000, daysToZero: 10, perDay: 40 },
    });
  });
});

describe('mutes', () => {
  it('alerts again once the mute has expired', () => {
    const pool = new Pool({ low: 100, critical: 20 });
    pool.poll(500);
    pool.muteUntil(pool.at + 2 * MIN);
    expect(pool.poll(90)).toEqual([]); // muted: level tracked, nothing sent
    pool.poll(500); // back to ok, still muted
    pool.poll(500); // the mute ends at this poll
    expect(kinds(pool.poll(90))).toEqual(['alert:low']);
  });

  it('holds renotifications while muted and resumes them after', () => {
    const pool = new Pool({ low: 100, critical: 20 }, { renotifyMs: MIN });
    expect(kinds(pool.poll(90))).toEqual(['alert:low']);
    pool.muteUntil(pool.at + 2 * MIN + 1);
    expect(pool.poll(90)).toEqual([]);
    expect(pool.poll(90)).toEqual([]);
    expect(kinds(pool.poll(90))).toEqual(['renotify:low']);
  });

  it('sends no "resolved" for a dip nobody was told about', () => {
    const pool = new Pool({ low: 100, critical: 20 });
    pool.poll(500);
    pool.muteUntil(pool.at + 10 * MIN);
    expect(pool.poll(10)).toEqual([]);
    expect(pool.poll(500)).toEqual([]);
    expect(pool.product).toMatchObject({ level: 'ok', alertOpen: false, episode: undefined });
  });
});

describe('forecast alerts', () => {
  const horizon = { low: 100, critical: 20, horizonMs: 7 * 86_400_000, lowRunwayMs: 0, criticalRunwayMs: 0 };
  const soon: Forecast = { days: 3, perDay: 100 };

  it('fires once for a whole run of polls inside the horizon', () => {
    const pool = new Pool(horizon);
    const events = [400, 380, 360, 340, 320].flatMap((available) => pool.poll(available, soon));
    expect(kinds(events)).toEqual(['forecast:ok']);
  });

  it('does not fire while muted, and fires once the mute is over', () => {
    const pool = new Pool(horizon);
    pool.poll(500);
    pool.muteUntil(pool.at + MIN + 1);
    expect(pool.poll(400, soon)).toEqual([]);
    expect(kinds(pool.poll(380, soon))).toEqual(['forecast:ok']);
  });

  it('fires again for a product that was low and recovered', () => {
    const pool = new Pool(horizon);
    expect(kinds(pool.poll(400, soon))).toEqual(['forecast:ok']);
    expect(kinds(pool.poll(10, soon))).toEqual(['alert:critical']);
    expect(kinds(pool.poll(400, soon))).toEqual(['resolved:ok']);
    expect(kinds(pool.poll(390, soon))).toEqual(['forecast:ok']);
  });
});
