// A delivered alert group as the outbox keeps it (`PostedGroup.content`): written when a digest is
// delivered, read back to update it (escalation, resolution, acknowledgement, late attribution).
// Read with a zod schema like every other stored body: what an update needs must be there; the rest
// is kept as written, so groups written by an older or newer replica still update.
import { z } from 'zod';
import type { ProductAlertView } from './views.js';

const storedAlertView = z.looseObject({
  product: z.looseObject({ productId: z.string() }),
  level: z.string(),
  reason: z.string(),
  available: z.number(),
});

const storedAlertGroup = z.looseObject({ alerts: z.array(storedAlertView) });

/** Who drained the pool: kept when it has its list of top consumers, else dropped (not the alert). */
const storedConsumers = z.looseObject({ top: z.array(z.unknown()) });

/**
 * The content stored for a delivered alert group.
 *
 * @example
 * ```ts
 * await outbox.recordPosted({ destination, group, ref, content: alertGroupContent(alerts) }, productIds)
 * ```
 */
export const alertGroupContent = (alerts: readonly ProductAlertView[]) => ({ alerts });

/**
 * Reads back the alert group stored as delivered content; undefined when there is none or it is
 * not one (groups posted before the typed outbox have none), or an alert in it lacks what an update
 * needs (product id, level, reason, count).
 *
 * @example
 * ```ts
 * const alerts = posted ? parseAlertGroup(posted.content) : undefined
 * ```
 */
export function parseAlertGroup(content: unknown): ProductAlertView[] | undefined {
  const parsed = storedAlertGroup.safeParse(content);
  if (!parsed.success) return undefined;
  return parsed.data.alerts.map((alert) => ({
    // Checked above what an update reads; the optional fields are as alertGroupContent wrote them.
    ...(alert as unknown as ProductAlertView),
    note: (alert.note ?? undefined) as ProductAlertView['note'],
    consumers: storedConsumers.safeParse(alert.consumers).success
      ? (alert.consumers as ProductAlertView['consumers'])
      : undefined,
  }));
}
