// Who drained it: the top consumers of a product this month, for its Low/Critical alert. Fetched
// once per alert episode with a short budget, so the alert never waits on LMPI's report for long.
import {
  type AlertEvent,
  type ConsumerAttribution,
  type ProductEvent,
  type ProductRef,
  reportMonthOf,
  topConsumers,
} from '@licensewatch/alerts';
import { explainLmpiFailure } from '@licensewatch/client';
import type { CustomerTransaction } from '@licensewatch/schema';
import type { OutboxRow } from '@licensewatch/store';
import type { Logger } from 'pino';

/** How long an alert waits for the transaction report before it goes out without attribution. */
export const ATTRIBUTION_BUDGET_MS = 1_500;

/** Episodes remembered; the oldest are forgotten first (an episode lasts hours to days). */
const MAX_EPISODES = 1_000;

/** Reads one product's transactions of one month (the LMPI client's `reportTransactions`). */
export type TransactionSource = (query: {
  year: number;
  month: number;
  productId: string;
}) => Promise<readonly CustomerTransaction[]>;

export interface AttributionDeps {
  transactions: TransactionSource;
  logger: Logger;
  /** Default {@link ATTRIBUTION_BUDGET_MS}. */
  budgetMs?: number;
}

/** Attributions found within the budget, and those still on their way. */
export interface Attributed {
  /** By episode id. */
  found: ReadonlyMap<string, ConsumerAttribution>;
  /** Episodes whose report missed the budget: resolves with it, or undefined when it failed. */
  late: ReadonlyMap<string, { product: ProductRef; report: Promise<ConsumerAttribution | undefined> }>;
}

type Crossing = ProductEvent & { kind: 'alert'; episode: NonNullable<ProductEvent['episode']> };

const isCrossing = (event: AlertEvent): event is Crossing =>
  event.kind === 'alert' && event.level !== 'ok' && event.episode !== undefined;

const timeout = (ms: number) => new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), ms).unref());

/**
 * Fetches and caches (in memory, per process, per alert episode) the top consumers for each Low or
 * Critical crossing. A report that fails is logged and cached as "none" (the alert goes out without
 * it; the next episode asks again). A restart forgets the cache: an episode's next crossing asks LMPI
 * once more.
 */
export class ConsumerAttributions {
  private readonly episodes = new Map<string, Promise<ConsumerAttribution | undefined>>();

  constructor(private readonly deps: AttributionDeps) {}

  /**
   * The attributions of this poll's crossings, waiting at most the budget (once, for all of them).
   *
   * @example
   * ```ts
   * const { found, late } = await attributions.forEvents(events)
   * ```
   */
  async forEvents(events: readonly AlertEvent[]): Promise<Attributed> {
    const crossings = events.filter(isCrossing);
    const pending = crossings.map((event) => ({ event, report: this.episode(event) }));
    const found = new Map<string, ConsumerAttribution>();
    const late = new Map<string, { product: ProductRef; report: Promise<ConsumerAttribution | undefined> }>();
    if (pending.length === 0) return { found, late };
    const deadline = timeout(this.deps.budgetMs ?? ATTRIBUTION_BUDGET_MS);
    await Promise.all(
      pending.map(async ({ event, report }) => {
        const outcome = await Promise.race([report, deadline]);
        if (outcome === 'timeout') late.set(event.episode.id, { product: event.product, report });
        else if (outcome) found.set(event.episode.id, outcome);
      }),
    );
    return { found, late };
  }

  private episode(event: Crossing): Promise<ConsumerAttribution | undefined> {
    const cached = this.episodes.get(event.episode.id);
    if (cached) return cached;
    const report = this.fetch(event.product, event.at);
    this.episodes.set(event.episode.id, report);
    if (this.episodes.size > MAX_EPISODES) {
      const oldest = this.episodes.keys().next().value;
      if (oldest !== undefined) this.episodes.delete(oldest);
    }
    return report;
  }

  private async fetch(product: ProductRef, at: number): Promise<ConsumerAttribution | undefined> {
    const cycle = reportMonthOf(at);
    try {
      const rows = await this.deps.transactions({ ...cycle, productId: product.productId });
      return topConsumers(rows, cycle);
    } catch (error) {
      const { kind, reason } = explainLmpiFailure(error);
      this.deps.logger.warn(
        { productCode: product.productCode, lmpiError: { kind, reason, message: (error as Error).message } },
        'transaction report failed: alert goes out without who drained it',
      );
      return undefined;
    }
  }
}

/**
 * The poll's outbox rows with the attributions found in time attached to their product alerts.
 *
 * @example
 * ```ts
 * const outbox = withAttributions(routeEvents(events, at, policy, warn), attributed.found)
 * ```
 */
export function withAttributions(
  rows: readonly OutboxRow[],
  found: ReadonlyMap<string, ConsumerAttribution>,
): OutboxRow[] {
  return rows.map((row) => {
    if (row.kind !== 'product-alerts' || row.event.kind !== 'alert' || !row.event.episode) return row;
    const attribution = found.get(row.event.episode.id);
    return attribution ? { ...row, attribution } : row;
  });
}

/**
 * The follow-up rows for an attribution that arrived late: one per Slack destination that got the
 * episode's alert in this poll (PagerDuty cannot amend an open alert's details).
 *
 * @example
 * ```ts
 * await store.outbox.enqueue(lateAttributionRows(outbox, episodeId, attribution, Date.now()))
 * ```
 */
export function lateAttributionRows(
  rows: readonly OutboxRow[],
  episodeId: string,
  attribution: ConsumerAttribution,
  at: number,
): OutboxRow[] {
  return rows.flatMap((row): OutboxRow[] => {
    if (row.kind !== 'product-alerts' || row.destination.notifier !== 'slack') return [];
    const { episode, product } = row.event;
    if (row.event.kind !== 'alert' || episode?.id !== episodeId) return [];
    const key = `attribution:${episodeId}@slack:${row.destination.target}`;
    return [
      {
        kind: 'attribution',
        key,
        group: key,
        destination: row.destination,
        product,
        episode,
        attribution,
        createdAt: at,
      },
    ];
  });
}
