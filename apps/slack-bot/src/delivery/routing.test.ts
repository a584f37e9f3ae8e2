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

describe('where rows go', () => {
  it('sends an LMPI notice to the alert channel as a row of its own, and never pages it', () => {
    const notice: AlertEvent = {
      kind: 'lmpi-unreachable',
      key: 'lmpi:5',
      at: 5,
      failures: 3,
      since: 1,
      reason: 'timeout',
    };
    const rows = routeEvents([notice], 5, policy(), () => undefined);
    expect(rows.map((row) => [row.kind, row.key, row.group, row.destination])).toEqual([
      ['lmpi-notice', 'lmpi:5@slack', 'lmpi:5@slack', { notifier: 'slack', target: 'CALERTS' }],
    ]);
  });

  it('keys handling rows per destination, in the rule’s channel or else the alert channel', () => {
    const ack = {
      action: 'acknowledged' as const,
      product,
      actor: 'U1',
      at: 9,
      episode: { id: 'p1:1', startedAt: 1, peak: 'critical' as const },
      snoozeMs: undefined,
    };
    const rows = routeHandling(ack, policy());
    expect(rows.map((row) => [row.key, row.group, row.destination])).toEqual([
      ['acknowledged:p1:9@slack', 'acknowledged:p1:9@slack', { notifier: 'slack', target: 'CALERTS' }],
      ['acknowledged:p1:9@pagerduty', 'acknowledged:p1:9@pagerduty', { notifier: 'pagerduty', target: '' }],
    ]);
    const ruled = {
      ...policy(),
      ruleFor: ruleResolver({
        default: { low: 100, critical: 20 },
        products: [{ match: 'TESTP0XXX', channel: 'CTEAM' }],
      }),
    };
    expect(routeHandling(ack, ruled)[0]?.destination).toEqual({ notifier: 'slack', target: 'CTEAM' });
  });
});
