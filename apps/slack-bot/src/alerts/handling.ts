import type { ProductAlertState } from '@licensewatch/alerts';
import type { AuditEntry } from '@licensewatch/store';
import { AUDIT_ACTIONS } from './admin-actions.js';

/** Who is handling a product's alert now: from the engine state, with names from the audit log. */
export interface CurrentHandling {
  productId: string;
  productCode: string;
  productName: string;
  /** Acknowledged in the current episode, by whom (undefined: unknown, e.g. audit pruned). */
  acknowledged: { by: string | undefined } | undefined;
  /**
   * Snoozed (an alert button) or muted (`/licenses mute`) until `until`, by whom; `kind` says which
   * (entries audited before the distinction read as muted).
   */
  muted: { by: string | undefined; until: number; kind: 'snooze' | 'mute' } | undefined;
}

/**
 * The acknowledgements and snoozes in force, per product code: the engine state says whether and
 * until when, the newest matching audit entry says who.
 *
 * @example
 * ```ts
 * const handling = currentHandling([...state.products.values()], await store.rules.recentAudit(500), Date.now())
 * ```
 */
export function currentHandling(
  states: readonly ProductAlertState[],
  audit: readonly AuditEntry[],
  now: number,
): Map<string, CurrentHandling> {
  const newest = (code: string, test: (action: string) => boolean, after: number) =>
    audit.find((entry) => entry.target === code && entry.at >= after && test(entry.action));
  const newestBy = (code: string, test: (action: string) => boolean, after: number) => newest(code, test, after)?.actor;
  const out = new Map<string, CurrentHandling>();
  for (const state of states) {
    const muted = state.mutedUntil !== undefined && state.mutedUntil > now ? state.mutedUntil : undefined;
    const acknowledged = state.acknowledged && state.level !== 'ok';
    if (muted === undefined && !acknowledged) continue;
    const muting = muted !== undefined ? newest(state.productCode, (a) => a === AUDIT_ACTIONS.mute, 0) : undefined;
    const via = (muting?.newValue as { via?: unknown } | null | undefined)?.via;
    out.set(state.productCode, {
      productId: state.productId,
      productCode: state.productCode,
      productName: state.productName,
      acknowledged: acknowledged
        ? { by: newestBy(state.productCode, (a) => a === AUDIT_ACTIONS.acknowledge, state.episode?.startedAt ?? 0) }
        : undefined,
      muted:
        muted !== undefined
          ? { by: muting?.actor, until: muted, kind: via === 'snooze' ? 'snooze' : 'mute' } // snooze buttons too
          : undefined,
    });
  }
  return out;
}
