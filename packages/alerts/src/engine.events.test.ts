import type { ProductProfile } from '@licensewatch/schema';
import { describe, expect, it } from 'vitest';
import {
  type AlertEvent,
  type EngineState,
  type EvaluateOptions,
  evaluate,
  initialEngineState,
  type PollOutcome,
  type ProductAlertState,
} from './engine.js';
import type { Forecast } from './forecast.js';
import { ruleResolver, type ThresholdLevels } from './rules.js';

const DAY = 86_400_000;
const MIN = 60_000;
const ID = '1b6c4e7a-93d2-4f0b-8c55-0a7e2d9f4b13';

const product = (available: number, name = 'Apex One', code = 'NNZBXXE1X', id = ID): ProductProfile => ({
  productId: id,
  productCode: code,
  productName: name,
  type: 'SaaS',
  version: 'Full',
  available,
  servicePlans: [],
});

/** Runs polls one minute apart: a list of products, `fail`, or a forecast-carrying poll. */
function run(
  levels: ThresholdLevels,
  polls: (ProductProfile[] | 'fail' | { products: ProductProfile[]; forecast?: Forecast })[],
  extra: Omit<EvaluateOptions, 'ruleFor'> = {},
) {
  let state: EngineState = initialEngineState();
  const events: AlertEvent[][] = [];
  const states: EngineState[] = [];
  polls.forEach((poll, i) => {
    const outcome: PollOutcome =
      poll === 'fail'
        ? { ok: false, reason: 'timeout' }
        : { ok: true, products: Array.isArray(poll) ? poll : poll.products };
    const forecast = poll !== 'fail' && !Array.isArray(poll) ? poll.forecast : undefined;
    const result = evaluate(state, outcome, (i + 1) * MIN, {
      ruleFor: ruleResolver({ default: levels, products: [] }),
      ...extra,
      ...(forecast ? { forecastFor: () => forecast } : {}),
    });
    state = result.state;
    events.push(result.events);
    states.push(state);
  });
  return { events, flat: events.flat(), states };
}

const LEVELS = { low: 100, critical: 20 };
const kinds = (events: AlertEvent[]) => events.map((e) => ('level' in e ? `${e.kind}:${e.level}` : e.kind));

describe('LMPI outages', () => {
  it('dates an outage from its first failed poll, and gives each outage its own keys', () => {
    const { flat } = run(LEVELS, [
      [product(500)],
      'fail',
      'fail',
      'fail',
      [product(500)],
      'fail',
      'fail',
      'fail',
      [product(500)],
    ]);
    expect(kinds(flat)).toEqual(['lmpi-unreachable', 'lmpi-recovered', 'lmpi-unreachable', 'lmpi-recovered']);
    expect(flat[0]).toMatchObject({ since: 2 * MIN, failures: 3, reason: 'timeout' });
    expect(flat[1]).toMatchObject({ since: 2 * MIN, failures: 3 });
    expect(flat[2]).toMatchObject({ since: 6 * MIN });
    expect(new Set(flat.map((e) => e.key)).size).toBe(4);
  });

  it('gives each catalogue-shrank notice its own key', () => {
    const many = ['a', 'b', 'c', 'd'].map((id) => product(500, `P ${id}`, `${id.toUpperCase()}AAAXXE1X`, id));
    const { flat } = run(LEVELS, [many, [many[0] as ProductProfile], many, [many[0] as ProductProfile]]);
    const notices = flat.filter((e) => e.kind === 'lmpi-catalogue-shrank');
    expect(notices).toHaveLength(2);
    expect(notices[0]?.key).not.toBe(notices[1]?.key);
  });
});

describe('what product events carry', () => {
  it('reports a vanished product with its last count', () => {
    const { flat } = run(LEVELS, [[product(60)], []], { catalogueSanity: { confirmPolls: 1 } });
    expect(flat[1]).toMatchObject({ kind: 'vanished', level: 'low', available: 60, previousAvailable: 60 });
  });

  it('tells the resolution what the count was before, and where the alert went', () => {
    const levels = { ...LEVELS, channel: 'C0LICENSES' };
    const { flat } = run(levels, [[product(60)], [product(500)]]);
    expect(flat[1]).toMatchObject({
      kind: 'resolved',
      available: 500,
      previousAvailable: 60,
      channel: 'C0LICENSES',
      forecast: undefined,
    });
  });

  it('uses the name a product has now, even when nothing else changed', () => {
    const { flat, states } = run(LEVELS, [
      [product(500)],
      [product(500, 'Apex One SaaS')],
      [product(50, 'Apex One SaaS')],
    ]);
    expect(states[1]?.products.get(ID)?.productName).toBe('Apex One SaaS');
    expect(flat[0]).toMatchObject({ product: { productName: 'Apex One SaaS' } });
  });

  it('uses the code a product has now, even when nothing else changed', () => {
    const { states } = run(LEVELS, [[product(500)], [product(500, 'Apex One', 'NNZBXXE2X')]]);
    expect(states[1]?.products.get(ID)?.productCode).toBe('NNZBXXE2X');
  });

  it('reads a product listed twice in one poll once, by its first entry', () => {
    const { flat, states } = run(LEVELS, [[product(50), product(10)]]);
    expect(kinds(flat)).toEqual(['alert:low']);
    expect(states[0]?.products.size).toBe(1);
  });
});

describe('levels by runway', () => {
  const runwayOnly = { ...LEVELS, lowRunwayMs: 0, criticalRunwayMs: 3 * DAY };
  const soon: Forecast = { days: 2, perDay: 2_500, daysToZero: 2 };

  it('keeps a critical runway level while the runway stays short, with the low runway off', () => {
    const { flat, states } = run(runwayOnly, [
      { products: [product(5_000)], forecast: soon },
      { products: [product(5_000)], forecast: soon },
    ]);
    expect(kinds(flat)).toEqual(['alert:critical']);
    expect(states[1]?.products.get(ID)?.level).toBe('critical');
  });

  it('forgets a low runway that went away before `for` polls confirmed it', () => {
    const levels = { ...LEVELS, for: 2 };
    const tenDays: Forecast = { days: 10, perDay: 50, daysToZero: 10 };
    const { flat } = run(levels, [
      { products: [product(500)], forecast: tenDays },
      { products: [product(500)] },
      { products: [product(500)], forecast: tenDays },
    ]);
    expect(flat).toEqual([]);
  });
});

describe('forecast alerts', () => {
  const horizon = { ...LEVELS, horizonMs: 7 * DAY, lowRunwayMs: 0, criticalRunwayMs: 0 };

  it('fire when the forecast reaches critical exactly at the horizon', () => {
    const { flat } = run(horizon, [{ products: [product(400)], forecast: { days: 7, perDay: 50 } }]);
    expect(kinds(flat)).toEqual(['forecast:ok']);
  });

  it('are not sent for a product that is already low: its alert says more', () => {
    const { flat } = run(horizon, [
      { products: [product(60)], forecast: { days: 2, perDay: 20 } },
      { products: [product(60)], forecast: { days: 2, perDay: 20 } },
    ]);
    expect(kinds(flat)).toEqual(['alert:low']);
  });
});

describe('mutes', () => {
  it('end at their end time', () => {
    const ruleFor = ruleResolver({ default: LEVELS, products: [] });
    const first = evaluate(initialEngineState(), { ok: true, products: [product(500)] }, 0, { ruleFor });
    const known = first.state.products.get(ID) as ProductAlertState;
    const muted: EngineState = { ...first.state, products: new Map([[ID, { ...known, mutedUntil: MIN }]]) };
    expect(kinds(evaluate(muted, { ok: true, products: [product(50)] }, MIN, { ruleFor }).events)).toEqual([
      'alert:low',
    ]);
  });
});
