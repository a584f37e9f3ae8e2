// PagerDuty Events API v2 bodies (https://developer.pagerduty.com/docs/events-api-v2/trigger-events/).
import { createHash } from 'node:crypto';
import { type AlertEpisode, describeForecast } from '@licensewatch/alerts';
import { consumerParts, UNNAMED_CUSTOMER_LABEL } from '../../block-kit/customers.js';
import { gatePlainText } from '../../block-kit/gate.js';
import type { ProductAlertView } from '../views.js';

/** The body of one Events API v2 alert event. */
export interface PagerDutyEvent {
  routing_key: string;
  event_action: 'trigger' | 'acknowledge' | 'resolve';
  dedup_key: string;
  /** Trigger only. */
  payload?: {
    summary: string;
    source: string;
    severity: 'critical' | 'error' | 'warning' | 'info';
    timestamp: string;
    component: string;
    group: string;
    class: string;
    custom_details: Record<string, string | number | null>;
  };
  client?: string;
}

/** Summaries longer than this are rejected (400). */
export const SUMMARY_LIMIT = 1024;
const DEDUP_KEY_LIMIT = 255;

/**
 * The dedup key of one product alert episode: every trigger, acknowledge and resolve of the
 * episode names the same PagerDuty alert, and the next episode opens a new one.
 *
 * @example
 * ```ts
 * dedupKey({ id: 'b1c2:1767225600000', startedAt: 1767225600000, peak: 'critical' }) // 'licensewatch/b1c2:1767225600000'
 * ```
 */
export function dedupKey(episode: AlertEpisode): string {
  const key = `licensewatch/${episode.id}`;
  return key.length <= DEDUP_KEY_LIMIT ? key : `licensewatch/${createHash('sha256').update(episode.id).digest('hex')}`;
}

function clip(text: string, max: number): string {
  const points = Array.from(text);
  return points.length <= max ? text : `${points.slice(0, max - 1).join('')}…`;
}

/**
 * The trigger for one product alert: plain-text summary, the product as component, counts and the
 * forecast as custom details.
 */
export function triggerEvent(
  alert: ProductAlertView & { episode: AlertEpisode },
  routingKey: string,
  source: string,
): PagerDutyEvent {
  const { product } = alert;
  const level = alert.level === 'critical' ? 'Critical' : 'Low';
  const crossed = alert.threshold === undefined ? '' : ` (${alert.level} at ≤ ${alert.threshold})`;
  return {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: dedupKey(alert.episode),
    payload: {
      // Through the output gate like every Slack payload: LMPI's name loses control characters (a
      // newline or bidi override would garble the incident title) and the summary fits PagerDuty.
      summary: gatePlainText(
        `${level} license pool: ${product.productName} (${product.productCode}) has ${alert.available} licenses available${crossed}`,
        SUMMARY_LIMIT,
      ),
      source,
      severity: alert.level === 'critical' ? 'critical' : 'warning',
      timestamp: new Date(alert.at).toISOString(),
      component: product.productCode,
      group: 'license-pools',
      class: 'low-license-availability',
      custom_details: {
        product_id: product.productId,
        product_code: product.productCode,
        product_name: product.productName,
        level: alert.level,
        available: alert.available,
        previous_available: alert.previousAvailable ?? null,
        threshold: alert.threshold ?? null,
        // "critical in ~N days" only while the pool is not critical yet.
        forecast: alert.forecast && alert.level !== 'critical' ? describeForecast(alert.forecast, 'critical') : null,
        episode_started_at: new Date(alert.episode.startedAt).toISOString(),
        ...consumerDetails(alert),
      },
    },
    client: 'licensewatch',
  };
}

/** Who drained the pool this month, as plain text (PagerDuty shows custom details verbatim). */
function consumerDetails(alert: ProductAlertView): Record<string, string> {
  if (!alert.consumers) return {};
  const { year, month } = alert.consumers;
  const parts = consumerParts(alert.consumers, (customer) => customer ?? UNNAMED_CUSTOMER_LABEL);
  return {
    top_consumers_month: `${year}-${String(month).padStart(2, '0')}`,
    top_consumers: clip(parts.length > 0 ? parts.join(', ') : 'no licenses allocated to customers', 1024),
  };
}

/** An acknowledge or resolve of an episode's alert (no payload: PagerDuty matches on the dedup key). */
export function episodeEvent(
  action: 'acknowledge' | 'resolve',
  episode: AlertEpisode,
  routingKey: string,
): PagerDutyEvent {
  return { routing_key: routingKey, event_action: action, dedup_key: dedupKey(episode) };
}
