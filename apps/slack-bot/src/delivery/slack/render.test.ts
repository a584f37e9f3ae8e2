import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../block-kit/limits.js';
import type { ProductAlertView } from '../views.js';
import { ALERTS_PER_DIGEST, digestMessage } from './render.js';

const view = (overrides: Partial<ProductAlertView>): ProductAlertView => ({
  product: { productId: 'p1', productCode: 'NNZBXXE1X', productName: 'Apex One' },
  reason: 'alert',
  level: 'low',
  available: 184,
  previousAvailable: 230,
  threshold: 100,
  forecast: undefined,
  episode: undefined,
  at: 0,
  note: undefined,
  ...overrides,
});

const lines = (alerts: ProductAlertView[]) =>
  digestMessage(alerts)
    .blocks.filter((b) => b.type === 'section')
    .map((b) => (b.type === 'section' ? (b.text?.text ?? '') : ''));

describe('digestMessage: which threshold fired', () => {
  it('says when a runway alert runs out and how fast, not "N left"', () => {
    const [line] = lines([
      view({
        level: 'critical',
        threshold: 20,
        forecast: { days: 4.1, perDay: 40, daysToZero: 4.6 },
        trigger: { kind: 'runway', thresholdMs: 5 * 86_400_000, daysToZero: 4.6, perDay: 40 },
      }),
    ]);
    expect(line).toContain(':red_circle: *Critical*: *runs out in ~5 days at ~40/day* · 184 available');
    expect(line).not.toContain('at ≤');
  });

  it('says which count was crossed for a count alert', () => {
    const [line] = lines([view({ available: 20, threshold: 20, trigger: { kind: 'count', threshold: 20 } })]);
    expect(line).toContain('*20* available (low at ≤ 20)');
  });

  it('puts the shorter runway first within a level', () => {
    const slow = view({
      product: { productId: 'a', productCode: 'AAAAAAAAA', productName: 'A' },
      available: 10,
      forecast: { days: 9, perDay: 1, daysToZero: 10 },
    });
    const fast = view({
      product: { productId: 'b', productCode: 'BBBBBBBBB', productName: 'B' },
      available: 90,
      forecast: { days: 1, perDay: 45, daysToZero: 2 },
    });
    expect(lines([slow, fast]).map((l) => l.includes('BBBBBBBBB'))).toEqual([true, false]);
  });
});

describe('digestMessage: one consistent story for a count alert with a forecast', () => {
  const forecast = { days: 3.2, perDay: 12, daysToZero: 9 };

  it('says when a low pool turns critical', () => {
    const [line] = lines([view({ level: 'low', forecast, trigger: { kind: 'count', threshold: 100 } })]);
    expect(line).toContain('critical in ~3 days');
  });

  it('never says "critical in" of a pool that is already critical', () => {
    const [line] = lines([
      view({ level: 'critical', available: 15, threshold: 20, forecast, trigger: { kind: 'count', threshold: 20 } }),
    ]);
    expect(line).toContain(':red_circle: *Critical*: *15* available (critical at ≤ 20)');
    expect(line).not.toContain('critical in');
    expect(line).not.toContain('critical within');
  });
});

describe('the Slack notifier’s batch size', () => {
  it(`fits a full digest of ${ALERTS_PER_DIGEST} products, each with buttons and a mention line, in one message`, () => {
    const full = Array.from({ length: ALERTS_PER_DIGEST }, (_, i) =>
      view({
        product: { productId: `p${i}`, productCode: `CODE${i}`, productName: `Product ${i}` },
        level: 'critical',
      }),
    );
    const message = digestMessage(full, ['U0ONCALL', 'here']);
    expect(message.blocks.filter((b) => b.type === 'actions')).toHaveLength(ALERTS_PER_DIGEST);
    expect(message.blocks.length).toBeLessThanOrEqual(LIMITS.blocksPerMessage);
    expect(ALERTS_PER_DIGEST).toBe(20);
  });
});
