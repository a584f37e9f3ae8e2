import type { ProductAlertState } from '@licensewatch/alerts';
import type { AlertHandling, Store } from '@licensewatch/store';
import { type RoutingPolicy, routeHandling } from './routing.js';

/** Snooze choices on alert buttons. */
export const SNOOZES = { '1h': 3_600_000, '1d': 86_400_000, '1w': 604_800_000 } as const;
export type SnoozeChoice = keyof typeof SNOOZES;

/** Someone pressed Acknowledge or a Snooze button on a product's alert. */
export type AlertAction = { kind: 'acknowledge' } | { kind: 'snooze'; choice: SnoozeChoice };

export interface AlertActionsDeps {
  store: Store;
  /** The routing policy in force (rules change at run time). */
  policy: () => RoutingPolicy;
  /** Delivers what was enqueued (the dispatcher's flush). */
  deliver: () => Promise<unknown>;
}

/**
 * Applies an alert button: changes the product's alert state, audits it and enqueues the message
 * updates (Slack edit; PagerDuty acknowledge) in one transaction, then delivers them. Undefined
 * when the product is no longer tracked.
 *
 * @example
 * ```ts
 * await handleAlertAction(deps, productId, { kind: 'acknowledge' }, 'U0123', Date.now())
 * ```
 */
export async function handleAlertAction(
  deps: AlertActionsDeps,
  productId: string,
  action: AlertAction,
  actor: string,
  at: number,
): Promise<ProductAlertState | undefined> {
  const acknowledging = action.kind === 'acknowledge';
  const snoozeMs = action.kind === 'snooze' ? SNOOZES[action.choice] : undefined;
  const updated = await deps.store.transaction(async (tx) => {
    const state = await tx.engine.updateProduct(
      productId,
      (s) => (snoozeMs === undefined ? { ...s, acknowledged: true } : { ...s, mutedUntil: at + snoozeMs }),
      at,
    );
    if (!state) return undefined;
    await tx.rules.audit({
      at,
      actor,
      action: action.kind === 'snooze' ? `snooze ${action.choice}` : 'acknowledge',
      target: state.productCode,
      oldValue: null,
      newValue: state.mutedUntil ? { until: new Date(state.mutedUntil).toISOString() } : { acknowledged: true },
    });
    const handling: AlertHandling = {
      action: acknowledging ? 'acknowledged' : 'snoozed',
      product: { productId: state.productId, productCode: state.productCode, productName: state.productName },
      actor,
      at,
      episode: state.episode,
      snoozeMs,
    };
    await tx.outbox.enqueue(routeHandling(handling, deps.policy()));
    return state;
  });
  if (updated) await deps.deliver();
  return updated;
}
