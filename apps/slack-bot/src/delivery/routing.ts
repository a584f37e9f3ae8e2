// Routing: which destinations get which events. The core decides this; notifiers never do.
import {
  type AlertEpisode,
  type AlertEvent,
  LEVEL_SEVERITY,
  type PagingLevel,
  type ProductEvent,
  type RuleResolver,
} from '@licensewatch/alerts';
import type { AlertHandling, Destination, OutboxRow } from '@licensewatch/store';

/** Where alerts go, as configured. */
export interface RoutingPolicy {
  /** The rules in force (a rule may name its Slack channel and its PagerDuty level). */
  ruleFor: RuleResolver;
  /** Default Slack channel; rules may name their own. */
  alertChannel: string | undefined;
  /** Whether PagerDuty is configured. */
  pagerduty: boolean;
}

/** Where a row goes and under which key and group. */
type Address = Pick<OutboxRow, 'key' | 'group' | 'destination'>;

const slack = (target: string): Destination => ({ notifier: 'slack', target });
const PAGERDUTY: Destination = { notifier: 'pagerduty', target: '' };

/** An episode pages when it reached the rule's PagerDuty level. */
function pages(episode: AlertEpisode | undefined, level: PagingLevel): episode is AlertEpisode {
  return episode !== undefined && LEVEL_SEVERITY[episode.peak] >= LEVEL_SEVERITY[level];
}

function pagerDutyWants(event: ProductEvent, level: PagingLevel): boolean {
  if (event.kind === 'alert') return LEVEL_SEVERITY[event.level] >= LEVEL_SEVERITY[level];
  if (event.kind === 'resolved' || event.kind === 'vanished') return pages(event.episode, level);
  return false; // reminders and forecasts are Slack's: PagerDuty escalates on its own
}

/** The outbox kind of an event: LMPI notices, resolutions, and product alerts (digested). */
function kindOf(event: AlertEvent): OutboxRow['kind'] {
  if (!('product' in event)) return 'lmpi-notice';
  return event.kind === 'resolved' ? 'resolution' : 'product-alerts';
}

function rowFor(event: AlertEvent, createdAt: number, address: Address): OutboxRow {
  if (!('product' in event)) return { kind: 'lmpi-notice', event, createdAt, ...address };
  if (event.kind === 'resolved') return { kind: 'resolution', event, createdAt, ...address };
  return { kind: 'product-alerts', event, createdAt, ...address };
}

/** PagerDuty is told about a vanished product as a resolution: its episode ended. */
function pagerDutyRow(event: ProductEvent, createdAt: number, key: string): OutboxRow {
  const address = { key, group: key, destination: PAGERDUTY };
  if (event.kind === 'resolved' || event.kind === 'vanished')
    return { kind: 'resolution', event, createdAt, ...address };
  return { kind: 'product-alerts', event, createdAt, ...address };
}

/**
 * The outbox rows for one poll's events: one per event and destination, so a failing destination
 * never blocks or duplicates another. Slack rows of one poll share a group (one digest per
 * channel); PagerDuty rows stand alone (one incident per product episode).
 *
 * @example
 * ```ts
 * const rows = routeEvents(events, at, policy, (event) => logger.warn({ event }, 'no channel'))
 * ```
 */
export function routeEvents(
  events: readonly AlertEvent[],
  at: number,
  policy: RoutingPolicy,
  unroutable: (eventKey: string) => void,
): OutboxRow[] {
  const rows: OutboxRow[] = [];
  for (const event of events) {
    const product = 'product' in event ? event : undefined;
    const rule = product ? policy.ruleFor(product.product) : undefined;
    const channel = rule?.channel ?? policy.alertChannel;
    if (channel) {
      const key = `${event.key}@slack`;
      const group = kindOf(event) === 'product-alerts' ? `poll:${at}` : key;
      rows.push(rowFor(event, at, { key, group, destination: slack(channel) }));
    } else {
      unroutable(event.key);
    }
    if (policy.pagerduty && product && rule && pagerDutyWants(product, rule.pagerduty)) {
      rows.push(pagerDutyRow(product, at, `${event.key}@pagerduty`));
    }
  }
  return rows;
}

/**
 * The outbox rows for an acknowledgement or snooze: Slack edits the alert; an acknowledgement of an
 * episode that paged also acknowledges it in PagerDuty.
 *
 * @example
 * ```ts
 * await tx.outbox.enqueue(routeHandling(handling, policy))
 * ```
 */
export function routeHandling(handling: AlertHandling, policy: RoutingPolicy): OutboxRow[] {
  const rule = policy.ruleFor(handling.product);
  const key = `${handling.action}:${handling.product.productId}:${handling.at}`;
  const base = { kind: 'acknowledgement' as const, handling, createdAt: handling.at };
  const rows: OutboxRow[] = [
    // The target only matters when nothing was posted yet; an edit goes where the alert went.
    {
      ...base,
      key: `${key}@slack`,
      group: `${key}@slack`,
      destination: slack(rule.channel ?? policy.alertChannel ?? ''),
    },
  ];
  if (policy.pagerduty && handling.action === 'acknowledged' && pages(handling.episode, rule.pagerduty)) {
    rows.push({ ...base, key: `${key}@pagerduty`, group: `${key}@pagerduty`, destination: PAGERDUTY });
  }
  return rows;
}
