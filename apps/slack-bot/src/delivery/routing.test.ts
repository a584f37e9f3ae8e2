import { type AlertEvent, type ProductEvent, ruleResolver } from '@licensewatch/alerts';
import { describe, expect, it } from 'vitest';
import { routeEvents, routeHandling } from './routing.js';

const product = { productId: 'p1', productCode: 'TESTP0XXX', productName: 'Test Product A' };

function event(kind: ProductEvent['kind'], level: ProductEvent['level'], peak: 'low' | 'critical'): ProductEvent {
  return {
    kind,
    key: `${kind}:p1:${level}:5`,
    at: 5,
    product,
    level,
    episode: { id: 'p1:1', startedAt: 1, peak },
    available: 10,
    previousAvailable: 80,
    threshold: 20,
    channel: undefined,
    forecast: undefined,
  };
}

const policy = (pagerduty: 'low' | 'critical' = 'critical', alertChannel: string | undefined = 'CALERTS') => ({
  ruleFor: ruleResolver({ default: { low: 100, critical: 20, pagerduty }, products: [] }),
  alertChannel,
  pagerduty: true,
});

const where = (events: AlertEvent[], p = policy()) =>
  routeEvents(events, 5, p, () => undefined).map((row) => `${row.kind}@${row.destination.notifier}:${row.group}`);

describe('routeEvents', () => {
  it('gives Slack every event (one digest group per poll) and PagerDuty only paging crossings and their ends', () => {
    expect(
      where([
        event('alert', 'low', 'low'),
        event('alert', 'critical', 'critical'),
        event('renotify', 'critical', 'critical'),
        event('resolved', 'ok', 'critical'),
      ]),
    ).toEqual([
      'product-alerts@slack:poll:5',
      'product-alerts@slack:poll:5',
      'product-alerts@pagerduty:alert:p1:critical:5@pagerduty',
      'product-alerts@slack:poll:5',
      'resolution@slack:resolved:p1:ok:5@slack',
      'resolution@pagerduty:resolved:p1:ok:5@pagerduty',
    ]);
  });

  it('does not resolve in PagerDuty an episode that never paged, and pages low levels when the rule says so', () => {
    expect(where([event('resolved', 'ok', 'low')])).toEqual(['resolution@slack:resolved:p1:ok:5@slack']);
    expect(where([event('alert', 'low', 'low')], policy('low'))).toContain(
      'product-alerts@pagerduty:alert:p1:low:5@pagerduty',
    );
    expect(where([event('vanished', 'critical', 'critical')])).toContain(
      'resolution@pagerduty:vanished:p1:critical:5@pagerduty',
    );
  });

  it('reports events it cannot route to Slack, and still pages them', () => {
    const missed: string[] = [];
    const rows = routeEvents(
      [event('alert', 'critical', 'critical')],
      5,
      { ...policy(), alertChannel: undefined },
      (key) => missed.push(key),
    );
    expect(missed).toEqual(['alert:p1:critical:5']);
    expect(rows.map((row) => row.destination.notifier)).toEqual(['pagerduty']);
  });
});

describe('routeHandling', () => {
  const handling = (action: 'acknowledged' | 'snoozed', peak: 'low' | 'critical') => ({
    action,
    product,
    actor: 'U1',
    at: 9,
    episode: { id: 'p1:1', startedAt: 1, peak },
    snoozeMs: action === 'snoozed' ? 3_600_000 : undefined,
  });

  it('edits Slack on every action and acknowledges in PagerDuty only an episode that paged', () => {
    const notifiers = (rows: ReturnType<typeof routeHandling>) => rows.map((row) => row.destination.notifier);
    expect(notifiers(routeHandling(handling('acknowledged', 'critical'), policy()))).toEqual(['slack', 'pagerduty']);
    expect(notifiers(routeHandling(handling('acknowledged', 'low'), policy()))).toEqual(['slack']);
    expect(notifiers(routeHandling(handling('snoozed', 'critical'), policy()))).toEqual(['slack']);
  });
});
