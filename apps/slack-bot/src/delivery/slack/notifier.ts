import type { ProductRef } from '@licensewatch/alerts';
import { isRetryableStatus, parseRetryAfter } from '@licensewatch/client/retry';
import type { App } from '@slack/bolt';
import type { Logger } from 'pino';
import type { SlackMessage } from '../../block-kit/blocks.js';
import { withDemoNote } from '../../block-kit/demo-note.js';
import { fromRef, type SlackRef, toRef } from '../../block-kit/message-ref.js';
import { type AlertChart, uploadToSlack } from '../../block-kit/slack-upload.js';
import { inBackground } from '../../slack-pacing.js';
import { type Delivered, type Delivery, type DeliveryAttempt, DeliveryError, type Notifier } from '../notifier.js';
import type { ProductAlertView } from '../views.js';
import { RecentMessages } from './history.js';
import {
  ALERTS_PER_DIGEST,
  attributionText,
  digestMessage,
  episodeUpdateText,
  handlingText,
  lmpiMessage,
  mentionLine,
  resolutionText,
} from './render.js';

/** Slack message metadata type that carries the delivery id of every alert message. */
export const METADATA_TYPE = 'licensewatch_alert';

/** The delivery id in a message's metadata payload (typed `{}` by the Web API client). */
function payloadId(payload: object | undefined): unknown {
  return payload && 'id' in payload ? payload.id : undefined;
}

/** The Web API client Bolt gives an app. */
type WebClient = App['client'];

export interface SlackNotifierDeps {
  /** The Web API client of the Bolt app. */
  client: WebClient;
  logger: Logger;
  /** Minimum gap between posts to one channel (Slack allows about one message per second). */
  channelGapMs?: number;
  /** The 30-day chart of a product, shared in the thread of a new critical alert. Absent: no charts. */
  chartFor?: (product: ProductRef) => Promise<AlertChart | undefined>;
  /** Every message says its data is the embedded sandbox's made-up data. */
  demoData?: boolean;
  /** Who a product's critical alerts notify (its rule's `mention:`). */
  mentionsFor?: (product: ProductRef) => readonly string[];
}

/** At most this many charts under one alert message (a digest can list 20 products). */
const CHARTS_PER_ALERT = 3;

// Slack platform errors that a later attempt can get past; any other platform error (unknown
// channel, not in channel, invalid blocks) will fail the same way again.
const TRANSIENT = new Set(['ratelimited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);

/** Slack answered 429: the call was refused before it did anything. */
const isRateLimited = (error: unknown): boolean =>
  (error as { code?: string }).code === 'slack_webapi_rate_limited_error';

/**
 * What a failed Slack call means for delivery, judged by the shared retry policy where Slack's
 * client gives an HTTP answer (`@licensewatch/client/retry`: 408, 429 and 5xx retry, `Retry-After` in
 * either form), by Slack's error code for a platform error, and as retryable for anything else (a
 * network failure). A rate limit carries the seconds Slack asked for.
 *
 * @example
 * ```ts
 * classifySlackError({ code: 'slack_webapi_http_error', statusCode: 404, headers: {} }).retryable // false
 * ```
 */
export function classifySlackError(error: unknown, nowMs = Date.now()): DeliveryError {
  const e = error as {
    code?: string;
    data?: { error?: string };
    retryAfter?: number;
    statusCode?: number;
    headers?: Record<string, string>;
    message?: string;
  };
  if (e.code === 'slack_webapi_platform_error') {
    const reason = e.data?.error ?? 'unknown';
    return new DeliveryError(`Slack: ${reason}`, { retryable: TRANSIENT.has(reason), cause: error });
  }
  if (e.code === 'slack_webapi_rate_limited_error') {
    return new DeliveryError('Slack: rate limited', {
      retryable: true,
      ...(e.retryAfter !== undefined ? { retryAfterMs: e.retryAfter * 1000 } : {}),
      cause: error,
    });
  }
  if (e.code === 'slack_webapi_http_error' && typeof e.statusCode === 'number') {
    const retryAfterMs = parseRetryAfter(e.headers?.['retry-after'], nowMs);
    return new DeliveryError(`Slack: HTTP ${e.statusCode}`, {
      retryable: isRetryableStatus(e.statusCode),
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      cause: error,
    });
  }
  return new DeliveryError(`Slack: ${e.message ?? String(error)}`, { retryable: true, cause: error });
}

/**
 * Delivers alerts to Slack: an alert group is one digest message with buttons; an episode's later
 * alerts (escalation, de-escalation, reminders) and its resolution edit that message's product
 * section and reply in its thread; an acknowledgement or snooze edits the
 * original; LMPI notices are messages of their own. Every message carries its delivery id in
 * message metadata, which is how {@link SlackNotifier.findDelivered} finds it after a crash.
 */
export class SlackNotifier implements Notifier {
  readonly name = 'slack';
  /** An episode is one message: later alerts edit it and reply in its thread. */
  readonly followsEpisodes = true;
  /** Products per digest message: what a 50-block message holds with buttons. */
  readonly batchSize = ALERTS_PER_DIGEST;
  private readonly lastPost = new Map<string, number>();
  private readonly sharing = new Set<Promise<void>>();
  /** The last chart share queued (they run one alert at a time). */
  private chartQueue: Promise<void> = Promise.resolve();
  /** Web API calls that succeeded (to tell whether a failed delivery got anywhere). */
  private completedCalls = 0;
  /**
   * Deliveries whose attempt Slack refused before anything was sent (429 on the first call), by
   * the outbox attempt number (undefined: not known). Only the very next attempt may skip the
   * history lookup: a later one may follow another replica's attempt.
   */
  private readonly surelyUnsent = new Map<string, number | undefined>();
  private readonly history: RecentMessages;

  constructor(private readonly deps: SlackNotifierDeps) {
    this.history = new RecentMessages(deps.client);
  }

  async deliver(delivery: Delivery, alreadyDelivered?: string, attempt?: DeliveryAttempt): Promise<Delivered> {
    const before = this.completedCalls;
    try {
      const delivered = await this.send(delivery, fromRef(alreadyDelivered), attempt);
      this.surelyUnsent.delete(delivery.id);
      return delivered;
    } catch (error) {
      const failure = error instanceof DeliveryError ? error : classifySlackError(error);
      // A 429 on the delivery's first call means Slack took nothing: the retry need not spend a
      // (1-a-minute) history lookup to find out. Any other failure may hide a post that arrived.
      if (this.completedCalls === before && isRateLimited(error)) this.surelyUnsent.set(delivery.id, attempt?.number);
      else this.surelyUnsent.delete(delivery.id);
      throw failure;
    }
  }

  /** Resolves once every chart being shared under an alert is shared (or has failed). */
  async idle(): Promise<void> {
    while (this.sharing.size > 0) await Promise.all([...this.sharing]);
  }

  async findDelivered(delivery: Delivery, attempt?: DeliveryAttempt): Promise<string | undefined> {
    if (this.surelyUnsent.has(delivery.id)) {
      const unsentAt = this.surelyUnsent.get(delivery.id);
      // Only the attempt right after ours: any other one may have been another replica's.
      if (attempt === undefined || unsentAt === undefined || unsentAt === attempt.number - 1) return undefined;
    }
    const thread =
      delivery.kind === 'resolution' ||
      delivery.kind === 'attribution' ||
      delivery.kind === 'episode-update' ||
      delivery.kind === 'acknowledgement'
        ? fromRef(delivery.original?.ref)
        : undefined;
    const channel = thread?.channel ?? delivery.target;
    if (!channel || (delivery.kind === 'acknowledgement' && !thread)) return undefined; // nothing was posted
    try {
      // Attempts still in flight count as posted (pace() stamps before the request goes out); and
      // an answer from before this claim may predate another replica's post (a takeover).
      const since = Math.max(this.lastPost.get(channel) ?? 0, attempt?.claimedAt ?? 0);
      const messages = await this.history.recent(channel, thread?.ts, since);
      const found = messages.find(
        (m) => m.metadata?.event_type === METADATA_TYPE && payloadId(m.metadata.event_payload) === delivery.id,
      );
      return found ? toRef({ channel, ts: found.ts }) : undefined;
    } catch (error) {
      throw classifySlackError(error);
    }
  }

  private async send(
    delivery: Delivery,
    existing: SlackRef | undefined,
    attempt: DeliveryAttempt | undefined,
  ): Promise<Delivered> {
    switch (delivery.kind) {
      case 'product-alerts': {
        if (existing) return { ref: toRef(existing) };
        const posted = await this.post(
          attempt,
          delivery.target,
          delivery.id,
          digestMessage(delivery.alerts, this.mentions(delivery.alerts)),
        );
        const critical = delivery.alerts.filter((a) => a.level === 'critical' && a.reason === 'alert');
        this.shareChartsLater(
          posted,
          critical.map((a) => a.product),
        );
        return { ref: toRef(posted) };
      }
      case 'lmpi-notice':
        return {
          ref: toRef(
            existing ?? (await this.post(attempt, delivery.target, delivery.id, lmpiMessage(delivery.notice))),
          ),
        };
      case 'resolution':
      case 'attribution': {
        const original = fromRef(delivery.original?.ref);
        const text =
          delivery.kind === 'resolution' ? resolutionText(delivery.resolution) : attributionText(delivery.attribution);
        const reply =
          existing ??
          (await this.post(
            attempt,
            original?.channel ?? delivery.target,
            delivery.id,
            { text, blocks: [] },
            original?.ts,
          ));
        if (original && delivery.original?.alerts)
          await this.update(attempt, original, digestMessage(delivery.original.alerts));
        return { ref: toRef(reply) };
      }
      case 'episode-update': {
        const original = fromRef(delivery.original.ref);
        const cc =
          delivery.update.level === 'critical' && delivery.previous.level !== 'critical'
            ? mentionLine(this.mentions([delivery.update]))
            : '';
        const text = `${episodeUpdateText(delivery.previous, delivery.update)}${cc ? ` ${cc}` : ''}`;
        if (!original)
          return {
            ref: toRef(existing ?? (await this.post(attempt, delivery.target, delivery.id, { text, blocks: [] }))),
          };
        const reply =
          existing ?? (await this.post(attempt, original.channel, delivery.id, { text, blocks: [] }, original.ts));
        await this.update(attempt, original, digestMessage(delivery.original.alerts));
        // Escalated to critical: the chart goes into the episode's thread.
        if (!existing && delivery.update.level === 'critical' && delivery.previous.level !== 'critical')
          this.shareChartsLater(original, [delivery.update.product]);
        return { ref: toRef(reply) };
      }
      case 'acknowledgement': {
        const original = fromRef(delivery.original?.ref);
        if (!original || !delivery.original?.alerts) return { ref: undefined }; // nothing posted to mark
        // Noted in the episode's thread (who and when stays readable), and the message itself edited.
        const text = handlingText(delivery.handling);
        const reply =
          existing ?? (await this.post(attempt, original.channel, delivery.id, { text, blocks: [] }, original.ts));
        await this.update(attempt, original, digestMessage(delivery.original.alerts));
        return { ref: toRef(reply) };
      }
    }
  }

  /** Who the critical products among `alerts` notify. */
  private mentions(alerts: readonly ProductAlertView[]): string[] {
    const mentionsFor = this.deps.mentionsFor;
    if (!mentionsFor) return [];
    return alerts.filter((a) => a.level === 'critical').flatMap((a) => [...mentionsFor(a.product)]);
  }

  private async post(
    attempt: DeliveryAttempt | undefined,
    channel: string,
    id: string,
    original: SlackMessage,
    threadTs?: string,
  ): Promise<SlackRef> {
    const message = withDemoNote(original, this.deps.demoData ?? false);
    await this.pace(channel);
    // Last check, after every wait: still this replica's delivery (a claim taken over is not sent).
    await attempt?.beforeSend();
    const result = await this.deps.client.chat.postMessage({
      channel,
      text: message.text,
      ...(message.blocks.length > 0 ? { blocks: message.blocks } : {}),
      ...(threadTs ? { thread_ts: threadTs } : {}),
      metadata: { event_type: METADATA_TYPE, event_payload: { id } },
      unfurl_links: false,
    });
    if (!result.ts) throw new DeliveryError('Slack: chat.postMessage returned no ts', { retryable: true });
    this.completedCalls += 1;
    return { channel: result.channel ?? channel, ts: result.ts };
  }

  /** Shares charts in the background: rendering and uploading must not hold up queued alerts. */
  private shareChartsLater(alert: SlackRef, products: readonly ProductRef[]): void {
    if (products.length === 0 || !this.deps.chartFor) return;
    // Background work: its uploads yield to a person's `/licenses <code>` (slack-pacing.ts). One
    // alert's charts at a time: a first poll with many critical pools renders them one by one, as
    // the upload pace allows, instead of all at once.
    const previous = this.chartQueue;
    const sharing: Promise<void> = previous
      .then(() => inBackground(() => this.shareCharts(alert, products.slice(0, CHARTS_PER_ALERT))))
      .finally(() => this.sharing.delete(sharing));
    this.chartQueue = sharing;
    this.sharing.add(sharing);
  }

  /**
   * Shares each product's chart in the alert's thread. Best effort: the alert is already posted, so
   * a failed chart is logged and never retried (a retry would post the alert again).
   */
  private async shareCharts(alert: SlackRef, products: readonly ProductRef[]): Promise<void> {
    const chartFor = this.deps.chartFor;
    if (!chartFor) return;
    for (const product of products) {
      try {
        const chart = await chartFor(product);
        if (!chart) continue;
        await uploadToSlack(this.deps.client, {
          bytes: chart.png,
          filename: `${product.productCode.toLowerCase()}-30d.png`,
          title: chart.title,
          altText: chart.altText,
          channelId: alert.channel,
          threadTs: alert.ts,
        });
      } catch (error) {
        this.deps.logger.warn({ err: error, product: product.productCode }, 'alert chart not shared');
      }
    }
  }

  private async update(attempt: DeliveryAttempt | undefined, ref: SlackRef, original: SlackMessage): Promise<void> {
    const message = withDemoNote(original, this.deps.demoData ?? false);
    await attempt?.beforeSend();
    await this.deps.client.chat.update({
      channel: ref.channel,
      ts: ref.ts,
      text: message.text,
      blocks: message.blocks,
    });
    this.completedCalls += 1;
  }

  private async pace(channel: string): Promise<void> {
    const gap = this.deps.channelGapMs ?? 1_000;
    const wait = (this.lastPost.get(channel) ?? 0) + gap - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    this.lastPost.set(channel, Date.now());
  }
}
