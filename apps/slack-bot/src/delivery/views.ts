// Neutral view models: what an alert message says, with no markup. The core builds them from
// engine events; each notifier renders them its own way (Block Kit, a PagerDuty payload, …).
import type {
  AlertEpisode,
  AlertLevel,
  ConsumerAttribution,
  Forecast,
  LevelTrigger,
  LmpiEvent,
  ProductEvent,
  ProductRef,
} from '@licensewatch/alerts';
import type { LmpiFailureKind } from '@licensewatch/client';
import type { AlertHandling } from '@licensewatch/store';

/** What happened to a product after its alert went out. */
export type AlertNote =
  | { kind: 'recovered'; available: number }
  | { kind: 'acknowledged'; actor: string }
  /** `covers`: what the alert read before the snooze (an unmute shows it again). */
  | { kind: 'snoozed'; actor: string; snoozeMs: number; covers?: CoveredNote | undefined }
  /** `/licenses mute`: alerts silenced on purpose, until unmuted or the time is up. */
  | { kind: 'muted'; actor: string; muteMs: number; covers?: CoveredNote | undefined };

/** A note a mute or snooze can cover: the alert was acknowledged, or recovered, before it. */
export type CoveredNote = { kind: 'recovered'; available: number } | { kind: 'acknowledged'; actor: string };

/** One product in an alert group. */
export interface ProductAlertView {
  product: ProductRef;
  /** Why it is in the group: a crossing, a reminder, a forecast, or gone from the catalogue. */
  reason: 'alert' | 'renotify' | 'forecast' | 'vanished';
  level: AlertLevel;
  available: number;
  /** Count at the previous poll; undefined on first sight. */
  previousAvailable: number | undefined;
  /** The level crossed, in licenses. */
  threshold: number | undefined;
  forecast: Forecast | undefined;
  /**
   * Which threshold fired: the count ("20 left") or the runway ("runs out in ~5 days at ~40/day").
   * Absent in groups stored before runway thresholds (read as the count).
   */
  trigger?: LevelTrigger | undefined;
  episode: AlertEpisode | undefined;
  at: number;
  /** Set once it was resolved, acknowledged or snoozed. */
  note: AlertNote | undefined;
  /**
   * Who drained the pool this month (LMPI's transaction report); absent when the report did not
   * come in time, failed, or the event is not a crossing.
   */
  consumers?: ConsumerAttribution | undefined;
}

/** Who drained a pool, arriving after the episode's alert went out without it. */
export interface AttributionView {
  product: ProductRef;
  episode: AlertEpisode;
  consumers: ConsumerAttribution;
}

/** A product that recovered (or left the catalogue), ending its episode. */
export interface ResolutionView {
  product: ProductRef;
  available: number;
  previousAvailable: number | undefined;
  episode: AlertEpisode | undefined;
  /** True when the product vanished from the catalogue rather than recovering. */
  vanished: boolean;
  at: number;
}

/** LMPI stopped answering, or answers again. */
export interface LmpiNoticeView {
  state: 'unreachable' | 'recovered' | 'catalogue-shrank';
  /** `catalogue-shrank`: products listed now, and in the last good list. */
  catalogue?: { listed: number; previous: number } | undefined;
  failures: number;
  /** When the failures started. */
  since: number | undefined;
  /** Kind of the latest failure (credentials, unreachable, …); `lmpiMessage` words it. */
  reason: LmpiFailureKind | undefined;
  at: number;
}

const REASONS: Record<ProductEvent['kind'], ProductAlertView['reason']> = {
  alert: 'alert',
  renotify: 'renotify',
  forecast: 'forecast',
  vanished: 'vanished',
  resolved: 'alert',
};

/**
 * The view of one product event in an alert group.
 *
 * @example
 * ```ts
 * const alerts = events.map(productAlertView)
 * ```
 */
export function productAlertView(event: ProductEvent, consumers?: ConsumerAttribution): ProductAlertView {
  return {
    ...(consumers ? { consumers } : {}),
    product: event.product,
    reason: REASONS[event.kind],
    level: event.level,
    available: event.available,
    previousAvailable: event.previousAvailable,
    threshold: event.threshold,
    forecast: event.forecast,
    trigger: event.trigger,
    episode: event.episode,
    at: event.at,
    note: undefined,
  };
}

/**
 * The view of a `resolved` or `vanished` event.
 *
 * @example
 * ```ts
 * const resolution = resolutionView(event)
 * ```
 */
export function resolutionView(event: ProductEvent): ResolutionView {
  return {
    product: event.product,
    available: event.available,
    previousAvailable: event.previousAvailable,
    episode: event.episode,
    vanished: event.kind === 'vanished',
    at: event.at,
  };
}

/**
 * The view of an LMPI event.
 *
 * @example
 * ```ts
 * const notice = lmpiNoticeView(event)
 * ```
 */
export function lmpiNoticeView(event: LmpiEvent): LmpiNoticeView {
  return {
    state:
      event.kind === 'lmpi-recovered'
        ? 'recovered'
        : event.kind === 'lmpi-catalogue-shrank'
          ? 'catalogue-shrank'
          : 'unreachable',
    ...(event.catalogue ? { catalogue: event.catalogue } : {}),
    failures: event.failures,
    since: event.since,
    reason: event.reason,
    at: event.at,
  };
}

/**
 * The group as it should read once `note` applies to one of its products.
 *
 * @example
 * ```ts
 * const marked = withNote(alerts, productId, { kind: 'recovered', available: 500 })
 * ```
 */
export function withNote(
  alerts: readonly ProductAlertView[],
  productId: string,
  note: AlertNote | undefined,
): ProductAlertView[] {
  return alerts.map((alert) => (alert.product.productId === productId ? { ...alert, note } : alert));
}

/**
 * The note a product's alert carries after `handling`, given the note it carries now. A mute or
 * snooze covers what the alert read (acknowledged, recovered) and an unmute uncovers it: unmuting
 * an acknowledged alert leaves it acknowledged, without Snooze and Acknowledge buttons, because the
 * acknowledgement still holds (no reminders until the pool recovers).
 *
 * @example
 * ```ts
 * noteAfterHandling({ kind: 'acknowledged', actor: 'U1' }, unmute) // { kind: 'acknowledged', actor: 'U1' }
 * noteAfterHandling({ kind: 'muted', actor: 'U2', muteMs: 7_200_000 }, unmute) // undefined: the buttons are back
 * ```
 */
export function noteAfterHandling(current: AlertNote | undefined, handling: AlertHandling): AlertNote | undefined {
  const covered = current?.kind === 'muted' || current?.kind === 'snoozed' ? current.covers : current;
  const note = handlingNote(handling);
  if (note === undefined) return covered;
  if (note.kind === 'muted' || note.kind === 'snoozed') return covered ? { ...note, covers: covered } : note;
  return note;
}

/**
 * The group as it should read once one of its products was acknowledged, snoozed, muted or unmuted
 * (see {@link noteAfterHandling}).
 *
 * @example
 * ```ts
 * const handled = withHandling(alerts, { action: 'unmuted', product, actor: 'U1', at, episode, snoozeMs: undefined })
 * ```
 */
export function withHandling(alerts: readonly ProductAlertView[], handling: AlertHandling): ProductAlertView[] {
  const productId = handling.product.productId;
  return alerts.map((alert) =>
    alert.product.productId === productId ? { ...alert, note: noteAfterHandling(alert.note, handling) } : alert,
  );
}

/**
 * The group as it should read once a product's late attribution arrived.
 *
 * @example
 * ```ts
 * const attributed = withConsumers(alerts, productId, attribution)
 * ```
 */
export function withConsumers(
  alerts: readonly ProductAlertView[],
  productId: string,
  consumers: ConsumerAttribution,
): ProductAlertView[] {
  return alerts.map((alert) => (alert.product.productId === productId ? { ...alert, consumers } : alert));
}

/**
 * The note an acknowledgement, snooze or mute leaves on the alert; an unmute leaves none (the note
 * goes, the buttons come back: the message reads as the alert's current state).
 */
export function handlingNote(handling: AlertHandling): AlertNote | undefined {
  switch (handling.action) {
    case 'snoozed':
      return { kind: 'snoozed', actor: handling.actor, snoozeMs: handling.snoozeMs ?? 0 };
    case 'muted':
      return { kind: 'muted', actor: handling.actor, muteMs: handling.snoozeMs ?? 0 };
    case 'unmuted':
      return undefined;
    default:
      return { kind: 'acknowledged', actor: handling.actor };
  }
}
