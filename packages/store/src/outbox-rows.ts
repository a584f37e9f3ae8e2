import type { AlertEpisode, ConsumerAttribution, LmpiEvent, ProductEvent, ProductRef } from '@licensewatch/alerts';
import { readStored } from './outbox-bodies.js';

/**
 * Where an outbox row goes: which notifier (`slack`, `pagerduty`, …) and, for notifiers with
 * several targets, which one (a Slack channel id). The store does not interpret either.
 */
export interface Destination {
  notifier: string;
  /** Empty when the notifier has a single target. */
  target: string;
}

/**
 * Someone acknowledged, snoozed (an alert button in Slack), muted or unmuted (`/licenses mute`,
 * `unmute`) a product's alert.
 */
export interface AlertHandling {
  action: 'acknowledged' | 'snoozed' | 'muted' | 'unmuted';
  product: ProductRef;
  /** Who did it (a Slack user id). */
  actor: string;
  at: number;
  /** The episode that was handled; absent when the product was ok. */
  episode: AlertEpisode | undefined;
  /** Snoozed or muted: how long for. */
  snoozeMs: number | undefined;
  /**
   * The delivered message the button was on, as the notifier's own reference (e.g. a Slack channel
   * and ts): that message is the one updated. Absent: the product's latest alert.
   */
  clicked?: string | undefined;
}

/** What a row asks a notifier to deliver. The `kind` column says which. */
export type OutboxMessage =
  /**
   * Product events of one poll; rows sharing `group` and destination go out together (one digest).
   * `attribution`: who drained the pool this month, when LMPI's report came in time.
   */
  | { kind: 'product-alerts'; event: ProductEvent; attribution?: ConsumerAttribution | undefined }
  /** A product recovered: tell the thread and mark the original alert. */
  | { kind: 'resolution'; event: ProductEvent }
  /** LMPI stopped answering, or answers again. */
  | { kind: 'lmpi-notice'; event: LmpiEvent }
  /** An alert was acknowledged or snoozed. */
  | { kind: 'acknowledgement'; handling: AlertHandling }
  /** Who drained the pool, arriving after the episode's alert went out without it. */
  | { kind: 'attribution'; product: ProductRef; episode: AlertEpisode; attribution: ConsumerAttribution };

/** The kinds of outbox rows. */
export type OutboxKind = OutboxMessage['kind'];

/** One unit of delivery to one destination. Its key is unique: enqueueing it twice records it once. */
export type OutboxRow = OutboxMessage & {
  key: string;
  group: string;
  destination: Destination;
  createdAt: number;
};

/** A claimed outbox row; `recovered` when its earlier claim was abandoned (the claimer died). */
export type ClaimedRow = OutboxRow & {
  recovered: boolean;
  attempts: number;
  /**
   * When this claim was taken (epoch ms): with the holder, the claim's fencing token. A claim
   * renewed with {@link OutboxStore.renewClaim} gets a new one.
   */
  claimedAt: number;
};

/**
 * Where a row is in its life: waiting, being sent, delivered, or given up on (`dead`: refused for
 * good or out of attempts; an admin can re-queue it). Rows `failed` before version 3 became `dead`.
 */
export type OutboxStatus = 'pending' | 'sending' | 'posted' | 'dead';

/** A row as the outbox holds it, for operators and tests. */
export type OutboxEntry = OutboxRow & {
  status: OutboxStatus;
  attempts: number;
  /** What the notifier returned for it (opaque to the store). */
  ref: string | undefined;
  lastError: string | undefined;
  /** When a pending row is next tried (milliseconds since the epoch; 0: at once). */
  nextAttemptAt: number;
};

/** An outbox row that cannot be read (unknown kind, malformed body). */
export class OutboxRowError extends Error {
  override name = 'OutboxRowError';
  readonly code = 'ERR_OUTBOX_ROW';
}

/** The columns a row is stored in. */
export interface StoredRow {
  key: string;
  kind: string;
  destination: string;
  grp: string;
  body: string;
  created_at: number;
}

/** `notifier:target` as stored in the `destination` column. */
export function destinationColumn(destination: Destination): string {
  return `${destination.notifier}:${destination.target}`;
}

function parseDestination(text: string): Destination {
  const colon = text.indexOf(':');
  if (colon <= 0) throw new OutboxRowError(`bad destination ${JSON.stringify(text)}`);
  return { notifier: text.slice(0, colon), target: text.slice(colon + 1) };
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** JSON has no `undefined`: `others` comes back as absent or null. */
const restoreAttribution = (value: ConsumerAttribution): ConsumerAttribution => ({
  ...value,
  others: value.others ?? undefined,
});

/**
 * A product-alerts body: the bare event (rows without attribution, and every row written before
 * attribution existed) or `{ event, attribution }`.
 */
function productAlertsBody(body: unknown): { event: unknown; attribution: ConsumerAttribution | undefined } {
  if (isObject(body) && !('kind' in body) && 'event' in body) {
    // An unreadable attribution is dropped rather than failing the alert it decorates.
    const stored = readStored('attribution', body.attribution);
    const attribution = stored ? restoreAttribution(stored) : undefined;
    return { event: body.event, attribution };
  }
  return { event: body, attribution: undefined };
}

/** JSON drops `undefined`; the typed row has every optional field present. */
function restoreEvent<T extends object>(event: T, fields: readonly string[]): T {
  return { ...Object.fromEntries(fields.map((f) => [f, undefined])), ...event };
}

function parseMessage(kind: string, body: unknown): OutboxMessage {
  const optionalEventFields = ['episode', 'previousAvailable', 'threshold', 'channel', 'forecast'];
  switch (kind) {
    case 'product-alerts': {
      const { event: stored, attribution } = productAlertsBody(body);
      const event = readStored('productEvent', stored);
      if (!event) break;
      return { kind, event: restoreEvent(event, optionalEventFields), ...(attribution ? { attribution } : {}) };
    }
    case 'resolution': {
      const event = readStored('resolutionEvent', body);
      if (!event) break;
      return { kind, event: restoreEvent(event, optionalEventFields) };
    }
    case 'lmpi-notice': {
      const event = readStored('lmpiEvent', body);
      if (!event) break;
      return { kind, event: restoreEvent(event, ['since', 'reason']) };
    }
    case 'acknowledgement': {
      const handling = readStored('handling', body);
      if (!handling) break;
      return { kind, handling: restoreEvent(handling, ['episode', 'snoozeMs']) };
    }
    case 'attribution': {
      const stored = readStored('attributionBody', body);
      if (!stored) break;
      const { product, episode, attribution } = stored;
      return { kind, product, episode, attribution: restoreAttribution(attribution) };
    }
    default:
      throw new OutboxRowError(`unknown outbox kind ${JSON.stringify(kind)}`);
  }
  throw new OutboxRowError(`malformed ${kind} row`);
}

/**
 * The one place rows read from the database become typed: checks kind, destination and body.
 *
 * @throws {OutboxRowError} when the row cannot be delivered as stored.
 */
export function parseOutboxRow(row: StoredRow): OutboxRow {
  let body: unknown;
  try {
    body = JSON.parse(row.body);
  } catch {
    throw new OutboxRowError('body is not JSON');
  }
  return {
    ...parseMessage(row.kind, body),
    key: row.key,
    group: row.grp,
    destination: parseDestination(row.destination),
    createdAt: Number(row.created_at),
  };
}

/** The body column of a row: the event (with its attribution, if any), the handling, or the attribution. */
export function bodyColumn(row: OutboxRow): string {
  switch (row.kind) {
    case 'acknowledgement':
      return JSON.stringify(row.handling);
    case 'attribution':
      return JSON.stringify({ product: row.product, episode: row.episode, attribution: row.attribution });
    case 'product-alerts':
      return JSON.stringify(row.attribution ? { event: row.event, attribution: row.attribution } : row.event);
    default:
      return JSON.stringify(row.event);
  }
}
