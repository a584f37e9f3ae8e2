import { describe, expect, it } from 'vitest';
import { alertGroupContent, parseAlertGroup } from './alert-group.js';
import type { ProductAlertView } from './views.js';

// A delivered group goes through the database as JSON and comes back to be updated (escalation,
// resolution, acknowledgement): it must read back as written, or not at all.

const view: ProductAlertView = {
  product: { productId: 'p1', productCode: 'NNZBXXE1X', productName: 'Apex One' },
  reason: 'alert',
  level: 'critical',
  available: 5,
  previousAvailable: 40,
  threshold: 20,
  forecast: undefined,
  episode: { id: 'p1:1000', startedAt: 1_000, peak: 'critical' },
  at: 2_000,
  note: { kind: 'acknowledged', actor: 'U0ONCALL' },
  consumers: { year: 2026, month: 12, total: 30, top: [{ customer: 'Acme', units: 30 }], others: undefined },
};

const throughJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe('parseAlertGroup', () => {
  it('reads back a delivered group as it was written', () => {
    const plain = { ...view, note: undefined, consumers: undefined };
    const read = parseAlertGroup(throughJson(alertGroupContent([view, plain])));
    expect(read).toEqual([view, plain]);
    expect(read?.[1]).toHaveProperty('note', undefined);
  });

  it('has no group for content from before the typed outbox, or an alert missing what an update needs', () => {
    expect(parseAlertGroup(undefined)).toBeUndefined();
    expect(parseAlertGroup({ text: 'posted before version 2' })).toBeUndefined();
    for (const broken of [
      { ...view, available: '5' },
      { ...view, product: { productCode: 'NNZBXXE1X' } },
      { ...view, level: undefined },
      { ...view, reason: 3 },
    ])
      expect(parseAlertGroup(throughJson({ alerts: [view, broken] })), JSON.stringify(broken)).toBeUndefined();
  });

  it('keeps an alert whose consumers are unreadable, without them', () => {
    const read = parseAlertGroup(throughJson({ alerts: [{ ...view, consumers: { top: 'Acme' } }] }));
    expect(read?.[0]).toMatchObject({ level: 'critical', available: 5, consumers: undefined });
  });
});
