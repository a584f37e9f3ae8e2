import type { AlertEpisode } from '@licensewatch/alerts';
import { isRetryableStatus, parseRetryAfter } from '@licensewatch/client/retry';
import { type Delivered, type Delivery, DeliveryError, type Notifier } from '../notifier.js';
import { episodeEvent, type PagerDutyEvent, triggerEvent } from './events.js';

/** Where and as whom events are sent. */
export interface PagerDutySettings {
  /** The integration key of an Events API v2 integration (a secret). */
  routingKey: string;
  /** Default `https://events.pagerduty.com/v2/enqueue`. */
  eventsUrl: string;
}

export interface PagerDutyNotifierDeps extends PagerDutySettings {
  /** `payload.source`: the system the alert is about (the LMPI host). */
  source: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** Clock for an HTTP-date `Retry-After` (tests fix it). */
  now?: () => number;
}

/** PagerDuty's answer to a refused event: its `message` and `errors[]`, when the body has them. */
function describeRefusal(status: number, body: unknown): string {
  const field = (name: string): unknown =>
    typeof body === 'object' && body !== null && name in body ? Reflect.get(body, name) : undefined;
  const message = field('message');
  const errors = field('errors');
  const details = Array.isArray(errors) ? errors.filter((e) => typeof e === 'string') : [];
  return `PagerDuty ${status}: ${typeof message === 'string' ? message : 'no message'}${details.length ? ` (${details.join('; ')})` : ''}`;
}

/**
 * Delivers alerts to PagerDuty's Events API v2: an alert `trigger`s the product's episode, a
 * resolution `resolve`s it, an acknowledgement in Slack `acknowledge`s it, all under the episode's
 * dedup key, so a re-sent event never opens a second alert. LMPI notices are not paged. 202 is
 * delivered; 408, 429, 5xx (the shared retry policy's statuses) and network failures are retryable; any other answer (400: invalid event) is
 * not, and carries PagerDuty's message.
 */
export class PagerDutyNotifier implements Notifier {
  readonly name = 'pagerduty';
  /**
   * One product per delivery: each product episode is its own PagerDuty incident (one Events API v2
   * event under its dedup key), so a refused or retried event never re-sends another product's.
   */
  readonly batchSize = 1;

  constructor(private readonly deps: PagerDutyNotifierDeps) {}

  async deliver(delivery: Delivery): Promise<Delivered> {
    const events = this.eventsFor(delivery);
    for (const event of events) await this.send(event);
    return { ref: events.length > 0 ? JSON.stringify({ dedupKeys: events.map((e) => e.dedup_key) }) : undefined };
  }

  private eventsFor(delivery: Delivery): PagerDutyEvent[] {
    const { routingKey, source } = this.deps;
    switch (delivery.kind) {
      case 'product-alerts':
        return delivery.alerts.flatMap((alert) =>
          alert.episode ? [triggerEvent({ ...alert, episode: alert.episode }, routingKey, source)] : [],
        );
      case 'resolution':
        return this.episodeEvents('resolve', delivery.resolution.episode);
      case 'acknowledgement':
        return this.episodeEvents('acknowledge', delivery.handling.episode);
      case 'episode-update': // not sent to PagerDuty (it does not follow episodes); re-trigger if it were
        return delivery.update.episode
          ? [triggerEvent({ ...delivery.update, episode: delivery.update.episode }, routingKey, source)]
          : [];
      case 'lmpi-notice':
        throw new DeliveryError('PagerDuty: LMPI notices are not paged', { retryable: false });
      case 'attribution':
        // An open PagerDuty alert's details cannot be amended; late attributions are Slack's.
        return [];
    }
  }

  private episodeEvents(action: 'acknowledge' | 'resolve', episode: AlertEpisode | undefined): PagerDutyEvent[] {
    return episode ? [episodeEvent(action, episode, this.deps.routingKey)] : [];
  }

  private async send(event: PagerDutyEvent): Promise<void> {
    let response: Response;
    try {
      response = await (this.deps.fetch ?? fetch)(this.deps.eventsUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(event),
        signal: AbortSignal.timeout(this.deps.timeoutMs ?? 10_000),
      });
    } catch (error) {
      throw new DeliveryError(`PagerDuty unreachable: ${(error as Error).message}`, { retryable: true, cause: error });
    }
    const text = await response.text();
    if (response.status === 202) return;
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    // The shared policy: 408, 429 and 5xx retry; Retry-After in seconds or as an HTTP date.
    const retryable = isRetryableStatus(response.status);
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), (this.deps.now ?? Date.now)());
    throw new DeliveryError(describeRefusal(response.status, body), {
      retryable,
      ...(retryable && retryAfterMs !== undefined ? { retryAfterMs } : {}),
    });
  }
}
