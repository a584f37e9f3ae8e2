// Planning: which deliveries one notifier's claimed rows become. The first half of the dispatcher
// (the pipeline, dispatcher.ts, is the second): like Alertmanager's aggregation groups, it decides
// *what* goes out together (digests of one poll, in chunks of the notifier's batch size) and whether
// an event is a new delivery or an update of one already delivered (a later alert of an episode, a
// resolution, an acknowledgement, a late attribution). It reads the outbox's delivered groups but
// never sends, never claims and never marks a row.
import type { ClaimedRow, StoreAggregates } from '@licensewatch/store';
import { alertGroupContent, parseAlertGroup } from './alert-group.js';
import type { Delivered, Delivery, Notifier } from './notifier.js';
import { lmpiNoticeView, productAlertView, resolutionView, withConsumers, withHandling, withNote } from './views.js';

type Outbox = StoreAggregates['outbox'];
type AlertRow = ClaimedRow & { kind: 'product-alerts' };

/** One delivery and the outbox rows it settles. */
export interface PlannedDelivery {
  rows: ClaimedRow[];
  delivery: Delivery;
  /** What to remember once delivered (alert groups; updated originals), in the marking transaction. */
  settle: (delivered: Delivered, outbox: Outbox) => Promise<void>;
}

/** What planning needs of a notifier: its name, whether it follows episodes, its batch size. */
export type PlanningNotifier = Pick<Notifier, 'name' | 'followsEpisodes' | 'batchSize'>;

/**
 * Rows of one destination and group, in claim order: a poll's digest for one channel, or a row
 * that stands alone (its group is its key).
 *
 * @example
 * ```ts
 * for (const group of groupRows(claimed)) await planDeliveries(notifier, group, store.outbox)
 * ```
 */
export function groupRows(rows: readonly ClaimedRow[]): ClaimedRow[][] {
  const groups = new Map<string, ClaimedRow[]>();
  for (const row of rows) {
    const id = `${row.kind}|${row.destination.target}|${row.group}`;
    groups.set(id, [...(groups.get(id) ?? []), row]);
  }
  return [...groups.values()];
}

/**
 * The deliveries of one group of rows (see {@link groupRows}) for one notifier: later alerts of a
 * delivered episode as updates of it (notifiers that follow episodes); the other product alerts as
 * digests of at most `notifier.batchSize`; every other row on its own.
 *
 * @example
 * ```ts
 * const planned = await planDeliveries(slack, group, store.outbox) // 45 alerts, batch 20: 3 digests
 * ```
 */
export async function planDeliveries(
  notifier: PlanningNotifier,
  rows: readonly ClaimedRow[],
  outbox: Outbox,
): Promise<PlannedDelivery[]> {
  const planned: PlannedDelivery[] = [];
  const alerts: AlertRow[] = [];
  for (const row of rows) {
    if (row.kind !== 'product-alerts') continue;
    const followUp = notifier.followsEpisodes ? await episodeUpdate(notifier, row, outbox) : undefined;
    if (followUp) planned.push(followUp);
    else alerts.push(row);
  }
  const size = Math.max(1, Math.floor(notifier.batchSize));
  for (let start = 0; start < alerts.length; start += size)
    planned.push(alertDigest(alerts.slice(start, start + size)));
  for (const row of rows) {
    if (row.kind !== 'product-alerts') planned.push(await singleDelivery(notifier, row, outbox));
  }
  return planned;
}

/**
 * A later alert of an episode whose first alert was delivered (escalation, de-escalation,
 * reminder): an update of that delivery instead of a new one. Undefined for a new episode.
 */
async function episodeUpdate(
  notifier: PlanningNotifier,
  row: AlertRow,
  outbox: Outbox,
): Promise<PlannedDelivery | undefined> {
  const { event } = row;
  if ((event.kind !== 'alert' && event.kind !== 'renotify') || !event.episode) return undefined;
  const productId = event.product.productId;
  const posted = await outbox.postedFor(notifier.name, productId);
  const alerts = posted ? parseAlertGroup(posted.content) : undefined;
  const previous = alerts?.find((a) => a.product.productId === productId);
  if (!posted || !alerts || !previous || previous.episode?.id !== event.episode.id) return undefined;
  if (previous.note?.kind === 'recovered') return undefined;
  // Who drained it stays on the section (the episode's report is fetched once).
  const update = productAlertView(event, row.attribution ?? previous.consumers);
  const now = alerts.map((a) => (a.product.productId === productId ? update : a));
  return {
    rows: [row],
    delivery: {
      kind: 'episode-update',
      id: row.key,
      target: posted.destination.target,
      update,
      previous,
      original: { ref: posted.ref, alerts: now },
    },
    settle: (_delivered, tx) => tx.updatePostedContent(posted.destination, posted.group, alertGroupContent(now)),
  };
}

/** One digest: product alerts of one destination and group, at most one batch of them. */
function alertDigest(rows: AlertRow[]): PlannedDelivery {
  // Rows of a group share destination and group (see groupRows); the chunk has at least one.
  const first = rows[0] ?? { destination: { notifier: '', target: '' }, group: '', key: '' };
  const { destination, group } = first;
  // Named by its first row, not its position: after an earlier chunk was posted, the rows left
  // form new chunks whose ids must not collide with the posted ones (dedup would skip them).
  const id = `${group}|${destination.target}|${first.key}`;
  const alerts = rows.map((row) => productAlertView(row.event, row.attribution));
  // Products a later resolution or button click refers to (not forecasts or vanished ones).
  const productIds = rows
    .filter((row) => row.event.kind === 'alert' || row.event.kind === 'renotify')
    .map((row) => row.event.product.productId);
  return {
    rows,
    delivery: { kind: 'product-alerts', id, target: destination.target, alerts },
    settle: async ({ ref }, tx) => {
      if (!ref) return;
      await tx.recordPosted({ destination, group: id, ref, content: alertGroupContent(alerts) }, productIds);
    },
  };
}

/** A row delivered on its own: an LMPI notice, a resolution, an acknowledgement, an attribution. */
async function singleDelivery(
  notifier: PlanningNotifier,
  row: Exclude<ClaimedRow, { kind: 'product-alerts' }>,
  outbox: Outbox,
): Promise<PlannedDelivery> {
  const base = { id: row.key, target: row.destination.target };
  if (row.kind === 'lmpi-notice') {
    return {
      rows: [row],
      delivery: { ...base, kind: 'lmpi-notice', notice: lmpiNoticeView(row.event) },
      settle: async () => {},
    };
  }
  if (row.kind === 'attribution') return attributionDelivery(notifier, row, outbox);
  const productId = row.kind === 'resolution' ? row.event.product.productId : row.handling.product.productId;
  // A button press updates the message it was on; anything else the product's latest alert.
  const clicked = row.kind === 'acknowledgement' ? row.handling.clicked : undefined;
  const posted =
    (clicked ? await outbox.postedByRef(notifier.name, clicked) : undefined) ??
    (await outbox.postedFor(notifier.name, productId));
  const alerts = posted ? parseAlertGroup(posted.content) : undefined;
  const updated = alerts
    ? row.kind === 'resolution'
      ? withNote(alerts, productId, { kind: 'recovered', available: row.event.available })
      : withHandling(alerts, row.handling)
    : undefined;
  const original = posted ? { ref: posted.ref, alerts: updated } : undefined;
  const target = posted?.destination.target ?? base.target;
  const delivery: Delivery =
    row.kind === 'resolution'
      ? { ...base, target, kind: 'resolution', resolution: resolutionView(row.event), original }
      : { ...base, target, kind: 'acknowledgement', handling: row.handling, original };
  return {
    rows: [row],
    delivery,
    settle: async (_delivered, tx) => {
      if (posted && original?.alerts)
        await tx.updatePostedContent(posted.destination, posted.group, alertGroupContent(original.alerts));
    },
  };
}

/** A late attribution: a reply to the episode's alert, which is updated to show it too. */
async function attributionDelivery(
  notifier: PlanningNotifier,
  row: ClaimedRow & { kind: 'attribution' },
  outbox: Outbox,
): Promise<PlannedDelivery> {
  const { product, episode, attribution } = row;
  const posted = await outbox.postedFor(notifier.name, product.productId);
  const alerts = posted ? parseAlertGroup(posted.content) : undefined;
  const updated = alerts ? withConsumers(alerts, product.productId, attribution) : undefined;
  return {
    rows: [row],
    delivery: {
      id: row.key,
      target: posted?.destination.target ?? row.destination.target,
      kind: 'attribution',
      attribution: { product, episode, consumers: attribution },
      original: posted ? { ref: posted.ref, alerts: updated } : undefined,
    },
    settle: async (_delivered, tx) => {
      if (posted && updated) await tx.updatePostedContent(posted.destination, posted.group, alertGroupContent(updated));
    },
  };
}
