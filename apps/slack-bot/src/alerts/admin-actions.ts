import { formatDuration, type ProductAlertState } from '@licensewatch/alerts';
import type { AlertHandling, Store } from '@licensewatch/store';
import { type RoutingPolicy, routeHandling } from '../delivery/routing.js';

/** Snooze choices on alert buttons. */
export const SNOOZES = { '1h': 3_600_000, '1d': 86_400_000, '1w': 604_800_000 } as const;
export type SnoozeChoice = keyof typeof SNOOZES;

/** The longest mute or snooze: anything longer is refused (a typo like `99999999w` is not a mute). */
export const MAX_MUTE_MS = 366 * 86_400_000;

/**
 * What someone does to a product's alerts, from a button (acknowledge, snooze) or a command
 * (`/licenses mute|unmute`). A snooze is a mute chosen on a button: one action, one audit name,
 * but each reads as what it is (`snooze: true` on the buttons' mutes).
 */
export type AlertAction =
  | { kind: 'acknowledge' }
  | { kind: 'mute'; durationMs: number; snooze?: boolean }
  | { kind: 'unmute' };

/** The audit log's names for alert actions (thresholds use `threshold.set` / `threshold.clear`). */
export const AUDIT_ACTIONS = {
  acknowledge: 'alert.acknowledge',
  mute: 'alert.mute',
  unmute: 'alert.unmute',
} as const satisfies Record<AlertAction['kind'], string>;

export interface AlertActionsDeps {
  store: Store;
  /** The routing policy in force (rules change at run time). */
  policy: () => RoutingPolicy;
  /** Delivers what was enqueued (the dispatcher's flush). */
  deliver: () => Promise<unknown>;
  /** Who may press Snooze/Acknowledge on alerts (ALERT_ACTIONS). Default `anyone`. */
  buttonsFor?: 'anyone' | 'admins';
  /** The admins, when only they may press alert buttons. */
  adminUserIds?: readonly string[];
}

/** Why an action was not applied (`not-muted`: an unmute with no mute or snooze in force). */
export type AlertActionRefusal = 'not-tracked' | 'too-long' | 'not-muted';

/** The product's new alert state, or why nothing changed. */
export type AlertActionResult = { ok: true; state: ProductAlertState } | { ok: false; reason: AlertActionRefusal };

/** A duration a user may mute for: positive and at most {@link MAX_MUTE_MS}. */
export function muteDurationProblem(durationMs: number): string | undefined {
  if (!Number.isFinite(durationMs) || durationMs <= 0) return 'A mute must last a positive duration such as 30m or 1d.';
  if (durationMs > MAX_MUTE_MS)
    return `A mute can last at most a year (got ${formatDuration(durationMs)}). Use \`/licenses threshold\` to change when a pool alerts.`;
  return undefined;
}

function handlingOf(
  state: ProductAlertState,
  action: AlertAction,
  actor: string,
  at: number,
  clicked: string | undefined,
): AlertHandling | undefined {
  return {
    action:
      action.kind === 'acknowledge'
        ? 'acknowledged'
        : action.kind === 'unmute'
          ? 'unmuted'
          : action.snooze
            ? 'snoozed'
            : 'muted',
    product: { productId: state.productId, productCode: state.productCode, productName: state.productName },
    actor,
    at,
    episode: state.episode,
    snoozeMs: action.kind === 'mute' ? action.durationMs : undefined,
    ...(clicked ? { clicked } : {}),
  };
}

function auditValue(action: AlertAction, at: number): Record<string, unknown> | null {
  if (action.kind === 'acknowledge') return { acknowledged: true };
  if (action.kind === 'mute')
    return { until: new Date(at + action.durationMs).toISOString(), via: action.snooze ? 'snooze' : 'mute' };
  return null;
}

/**
 * Applies an alert action: changes the product's alert state, writes the audit row and enqueues
 * the message updates (Slack edit and thread note; PagerDuty acknowledge) in one transaction, then
 * delivers them. Buttons and commands both come here, so they share one audit vocabulary. A button
 * passes `clicked`, the message it was on (the Slack notifier's reference): that message is updated.
 *
 * @example
 * ```ts
 * await applyAlertAction(deps, productId, { kind: 'mute', durationMs: SNOOZES['1d'] }, 'U0123', Date.now())
 * ```
 */
export async function applyAlertAction(
  deps: AlertActionsDeps,
  productId: string,
  action: AlertAction,
  actor: string,
  at: number,
  clicked?: string,
): Promise<AlertActionResult> {
  if (action.kind === 'mute' && muteDurationProblem(action.durationMs)) return { ok: false, reason: 'too-long' };
  let notMuted = false;
  const state = await deps.store.transaction(async (tx) => {
    let before: ProductAlertState | undefined;
    const next = await tx.engine.updateProduct(
      productId,
      (s) => {
        before = s;
        // Unmuting what is not muted changes nothing, and says so (no audit row, no message edit).
        notMuted = action.kind === 'unmute' && (s.mutedUntil === undefined || s.mutedUntil <= at);
        if (notMuted) return s;
        return action.kind === 'acknowledge'
          ? { ...s, acknowledged: true }
          : { ...s, mutedUntil: action.kind === 'mute' ? at + action.durationMs : undefined };
      },
      at,
    );
    if (!next || !before || notMuted) return next;
    await tx.rules.audit({
      at,
      actor,
      action: AUDIT_ACTIONS[action.kind],
      target: next.productCode,
      oldValue: action.kind === 'acknowledge' ? { acknowledged: before.acknowledged } : mutedValue(before),
      newValue: auditValue(action, at),
    });
    const handling = handlingOf(next, action, actor, at, clicked);
    if (handling) await tx.outbox.enqueue(routeHandling(handling, deps.policy()));
    return next;
  });
  if (!state) return { ok: false, reason: 'not-tracked' };
  if (notMuted) return { ok: false, reason: 'not-muted' };
  await deps.deliver();
  return { ok: true, state };
}

const mutedValue = (state: ProductAlertState) =>
  state.mutedUntil === undefined ? null : { until: new Date(state.mutedUntil).toISOString() };
