// The delivery seam. Shaped after Alertmanager's notifier: the core decides *what* goes out and
// *when* (routing, grouping, claiming, dedup after a crash, retry with backoff, giving up), and a
// notifier only renders one Delivery and sends it, reporting whether a failure is worth retrying.
//
// Why one deliver() over a discriminated Delivery rather than post/update/reply methods: those are
// Slack's verbs (threads, edits). PagerDuty has none of them; it has trigger/acknowledge/resolve per
// dedup key. Each outbox kind says what happened (alerts, a resolution, an LMPI notice, an
// acknowledgement) and each notifier maps it to its own operations: Slack posts, replies in the
// thread and edits; PagerDuty triggers, resolves and acknowledges.
import type { AlertHandling } from '@licensewatch/store';
import type { AttributionView, LmpiNoticeView, ProductAlertView, ResolutionView } from './views.js';

/** What the notifier delivered about a product earlier (the alert group), as it should read now. */
export interface DeliveredAlerts {
  /** The notifier's own reference returned when it delivered the group. */
  ref: string;
  /** The group with this delivery's note applied; absent for groups from before the typed outbox. */
  alerts: ProductAlertView[] | undefined;
}

interface DeliveryBase {
  /** Unique per delivery and stable across retries (Slack stores it in message metadata). */
  id: string;
  /** The notifier's target (a Slack channel id); empty for single-target notifiers. */
  target: string;
}

/** One thing to deliver, by outbox kind. */
export type Delivery =
  | (DeliveryBase & { kind: 'product-alerts'; alerts: ProductAlertView[] })
  | (DeliveryBase & { kind: 'resolution'; resolution: ResolutionView; original: DeliveredAlerts | undefined })
  | (DeliveryBase & { kind: 'lmpi-notice'; notice: LmpiNoticeView })
  | (DeliveryBase & { kind: 'acknowledgement'; handling: AlertHandling; original: DeliveredAlerts | undefined })
  /** Who drained a pool, for an alert that went out before LMPI's report arrived. */
  | (DeliveryBase & { kind: 'attribution'; attribution: AttributionView; original: DeliveredAlerts | undefined })
  /**
   * A later event of an episode already delivered (escalation, de-escalation, reminder): the
   * original is updated in place (`original.alerts` reads as it should now) and the change noted
   * in its thread. Only for notifiers that {@link Notifier.followsEpisodes}.
   */
  | (DeliveryBase & {
      kind: 'episode-update';
      update: ProductAlertView;
      previous: ProductAlertView;
      original: DeliveredAlerts & { alerts: ProductAlertView[] };
    });

/** A successful delivery. */
export interface Delivered {
  /** The notifier's reference to what it created (JSON it owns), for later updates; or none. */
  ref: string | undefined;
}

/** A failed delivery, saying whether trying again can help. */
export class DeliveryError extends Error {
  override name = 'DeliveryError';
  readonly code = 'ERR_DELIVERY';
  /** False when the destination refused the delivery for good (bad payload, unknown channel). */
  readonly retryable: boolean;
  /** The destination asked to wait this long before the next attempt. */
  readonly retryAfterMs: number | undefined;
  constructor(message: string, options: { retryable: boolean; retryAfterMs?: number; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.retryable = options.retryable;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/**
 * The attempt a delivery is part of, under the outbox claim of this process. Claims expire (a
 * holder that waits too long is presumed dead and another replica takes over), so a notifier calls
 * {@link DeliveryAttempt.beforeSend} right before every call that changes something at the
 * destination: it renews the claim, or throws {@link ClaimLostError} when another replica took it
 * over meanwhile, and then nothing more may be sent.
 */
export interface DeliveryAttempt {
  /** The outbox's attempt counter for these rows (every claim by any replica counts one). */
  number: number;
  /**
   * When this attempt's claim was taken (wall clock, epoch ms): what the destination showed before
   * then may predate another replica's send, so a lookup must be at least this recent.
   */
  claimedAt: number;
  /** Renews the claim, or throws {@link ClaimLostError}. */
  beforeSend: () => Promise<void>;
}

/** The claim on a delivery expired and another replica took it over: this process must not send it. */
export class ClaimLostError extends Error {
  override name = 'ClaimLostError';
  readonly code = 'ERR_CLAIM_LOST';
  constructor(readonly keys: readonly string[]) {
    super(`claim on ${keys.join(', ')} was taken over by another replica`);
  }
}

/** True for a {@link ClaimLostError} (also across module copies). */
export const isClaimLost = (error: unknown): error is ClaimLostError =>
  error instanceof Error && (error as { code?: unknown }).code === 'ERR_CLAIM_LOST';

/** True for a {@link DeliveryError} (also across module copies). */
export const isDeliveryError = (error: unknown): error is DeliveryError =>
  error instanceof Error && (error as { code?: unknown }).code === 'ERR_DELIVERY';

/**
 * One destination (Slack, PagerDuty): renders a delivery and sends it. It never decides what or
 * when, never retries and never touches the outbox.
 */
export interface Notifier {
  /** The notifier's name in outbox destinations (`slack`, `pagerduty`). */
  readonly name: string;
  /**
   * True when an episode is one delivered thing that later events update (a Slack message and its
   * thread): the dispatcher then sends an episode's later alerts as `episode-update`s of it.
   */
  readonly followsEpisodes?: boolean;
  /**
   * At most this many product alerts go out in one delivery (the rest in further ones): a limit of
   * the destination's format, not of the core. Slack: as many products as a 50-block message holds
   * with their buttons; PagerDuty: 1, one Events API v2 event per product incident.
   */
  readonly batchSize: number;
  /**
   * Sends one delivery. `alreadyDelivered` is the reference {@link findDelivered} found after a
   * crash: the delivery itself must not be repeated, only its follow-ups (e.g. an edit). Calls
   * `attempt.beforeSend()` before each call that changes something at the destination.
   *
   * @throws {DeliveryError} when it failed, with `retryable`; any other error counts as retryable.
   * @throws {ClaimLostError} (from `beforeSend`) when another replica took the delivery over.
   */
  deliver(delivery: Delivery, alreadyDelivered?: string, attempt?: DeliveryAttempt): Promise<Delivered>;
  /**
   * After a crash mid-delivery, or a claim taken over from another replica: the reference of this
   * delivery if it arrived anyway. Notifiers whose deliveries are idempotent (PagerDuty's
   * dedup_key) leave it out and are simply re-sent.
   */
  findDelivered?(delivery: Delivery, attempt?: DeliveryAttempt): Promise<string | undefined>;
}
