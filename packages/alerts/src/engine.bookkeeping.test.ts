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

const ID = '5d0f2a9c-1e47-4b8a-9f36-7c2e8a1b04d5';
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

/** One product over successive polls one minute apart. */
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

  /** What `/licenses` records for Acknowledge, Mute or Snooze. */
  record(change: Partial<ProductAlertState>): void {
    this.state = { ...this.state, products: new Map([[ID, { ...this.product, ...change }]]) };
  }
}

const kinds = (events: AlertEvent[]) => events.map((e) => ('level' in e ? `${e.kind}:${e.level}` : e.kind));

describe('forecast alerts against level alerts', () => {
  const horizon = { low: 100, critical: 20, horizonMs: 7 * 86_400_000, lowRunwayMs: 0, criticalRunwayMs: 0 };
  const soon: Forecast = { days: 3, perDay: 100 };

  it('sends no forecast alert for a product already alerted as low: the low alert said it', () => {
    const pool = new Pool(horizon);
    expect(kinds(pool.poll(90, soon))).toEqual(['alert:low']);
    expect(pool.poll(80, soon)).toEqual([]);
    expect(pool.poll(70, soon)).toEqual([]);
  });
});

describe('acknowledgement', () => {
  it('ends with the episode: a later dip, even one muted, is not shown as acknowledged', () => {
    const pool = new Pool({ low: 100, critical: 20 }, { renotifyMs: MIN });
    expect(kinds(pool.poll(90))).toEqual(['alert:low']);
    pool.record({ acknowledged: true });
    expect(pool.poll(90)).toEqual([]); // acknowledged: no reminder
    expect(kinds(pool.poll(300))).toEqual(['resolved:ok']);
    expect(pool.product.acknowledged).toBe(false);
    // Muted before the next dip: no alert is sent, and nobody has acknowledged this one.
    pool.record({ mutedUntil: pool.at + 2 * MIN });
    expect(pool.poll(90)).toEqual([]);
    expect(pool.product).toMatchObject({ level: 'low', acknowledged: false, alertOpen: false });
  });

  it('reminds only of an alert that was sent: a dip a mute held back gets no reminder once the mute ends', () => {
    const pool = new Pool({ low: 100, critical: 20 }, { renotifyMs: MIN });
    expect(pool.poll(500)).toEqual([]);
    pool.record({ mutedUntil: pool.at + 2 * MIN });
    expect(pool.poll(90)).toEqual([]);
    expect(pool.product).toMatchObject({ level: 'low', alertOpen: false });
    for (let i = 0; i < 3; i += 1) expect(pool.poll(90)).toEqual([]); // mute over, renotify interval long past
    expect(kinds(pool.poll(10))).toEqual(['alert:critical']); // a worse level is announced as usual
    expect(kinds(pool.poll(10))).toEqual(['renotify:critical']);
  });

  it('starts unacknowledged for a product seen for the first time', () => {
    const pool = new Pool({ low: 100, critical: 20, for: 2 });
    expect(pool.poll(90)).toEqual([]); // first low poll of two: pending
    expect(pool.product).toMatchObject({ level: 'ok', pending: { level: 'low', count: 1 }, acknowledged: false });
  });
});
