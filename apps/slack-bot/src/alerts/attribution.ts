// Who drained it: the top consumers of a product this month, for its Low/Critical alert. LMPI is
// asked as little as the question needs: one transaction report per month per poll for all the
// poll's new crossings (split by product here), only when a crossing has no attribution yet, and never
// more than a few requests at once. The alert waits for it only a short budget.
import {
  type AlertEvent,
  type ConsumerAttribution,
  type ProductEvent,
  type ProductRef,
  reportMonthOf,
  topConsumers,
} from '@licensewatch/alerts';
import { explainLmpiFailure } from '@licensewatch/client';
import type { CustomerTransaction, ProductProfile, SetAsideRecord } from '@licensewatch/schema';
import type { OutboxRow } from '@licensewatch/store';
import type { Logger } from 'pino';
import { concurrencyLimit, mayBelongTo, type RowMatch, rowMatcher, rowsOf } from './report-groups.js';

/** How long an alert waits for the transaction report before it goes out without attribution. */
export const ATTRIBUTION_BUDGET_MS = 1_500;

/** Transaction reports in flight at once (a slow LMPI must not pile up requests poll after poll). */
export const ATTRIBUTION_CONCURRENCY = 2;

/** Episodes remembered; the oldest are forgotten first (an episode lasts hours to days). */
const MAX_EPISODES = 1_000;

/** One month's transactions, and the rows LMPI sent unreadable (set aside: their sums are unknown). */
export interface TransactionRows {
  transactions: readonly CustomerTransaction[];
  setAside?: readonly SetAsideRecord[];
}

/**
 * Reads one month's transactions (the LMPI client's `reportTransactions`): of every product, or of
 * one product id when several products share a name and version.
 */
export type TransactionSource = (query: {
  year: number;
  month: number;
  productId?: string;
}) => Promise<TransactionRows>;

export interface AttributionDeps {
  transactions: TransactionSource;
  logger: Logger;
  /** Default {@link ATTRIBUTION_BUDGET_MS}. */
  budgetMs?: number;
  /** Default {@link ATTRIBUTION_CONCURRENCY}. */
  concurrency?: number;
}

/** Attributions found within the budget, and those still on their way. */
export interface Attributed {
  /** By episode id. */
  found: ReadonlyMap<string, ConsumerAttribution>;
  /** Episodes whose report missed the budget: resolves with it, or undefined when it failed. */
  late: ReadonlyMap<string, { product: ProductRef; report: Promise<ConsumerAttribution | undefined> }>;
}

type Crossing = ProductEvent & { kind: 'alert'; episode: NonNullable<ProductEvent['episode']> };
type Cycle = { year: number; month: number };

const isCrossing = (event: AlertEvent): event is Crossing =>
  event.kind === 'alert' && event.level !== 'ok' && event.episode !== undefined;

const timeout = (ms: number) => new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), ms).unref());

/**
 * Who drained one product, from a report of all products (or its own): none when a row LMPI sent
 * unreadable may be the product's, as its sums would be silently wrong (the row is logged by the
 * response log).
 */
function attribute(result: TransactionRows, how: RowMatch, cycle: Cycle): ConsumerAttribution | undefined {
  if ((result.setAside ?? []).some((row) => mayBelongTo(row, how))) return undefined;
  const rows = how.kind === 'own-report' ? result.transactions : rowsOf(result.transactions, how);
  return topConsumers(rows, cycle);
}

/**
 * Fetches and caches (in memory, per process, per alert episode) the top consumers for each Low or
 * Critical crossing. A report that fails is logged once and read as "none" for every crossing that
 * needed it (the alerts go out without it; the next episode asks again). A restart forgets the
 * cache: an episode's next crossing asks LMPI once more.
 */
export class ConsumerAttributions {
  private readonly episodes = new Map<string, Promise<ConsumerAttribution | undefined>>();
  private readonly limited: <T>(task: () => Promise<T>) => Promise<T>;

  constructor(private readonly deps: AttributionDeps) {
    this.limited = concurrencyLimit(deps.concurrency ?? ATTRIBUTION_CONCURRENCY);
  }

  /**
   * The attributions of this poll's crossings, waiting at most the budget (once, for all of them).
   * `catalogue` is the product list the events were judged on: it tells which products the shared
   * report can name apart.
   *
   * @example
   * ```ts
   * const { found, late } = await attributions.forEvents(events, catalogue.products)
   * ```
   */
  async forEvents(events: readonly AlertEvent[], catalogue: readonly ProductProfile[]): Promise<Attributed> {
    const crossings = events.filter(isCrossing);
    const reports = this.reportsFor(crossings, catalogue);
    const pending = crossings.map((event) => ({ event, report: reports.get(event.episode.id) }));
    const found = new Map<string, ConsumerAttribution>();
    const late = new Map<string, { product: ProductRef; report: Promise<ConsumerAttribution | undefined> }>();
    if (pending.length === 0) return { found, late };
    const deadline = timeout(this.deps.budgetMs ?? ATTRIBUTION_BUDGET_MS);
    await Promise.all(
      pending.map(async ({ event, report }) => {
        if (!report) return; // never: reportsFor gives every crossing one
        const outcome = await Promise.race([report, deadline]);
        if (outcome === 'timeout') late.set(event.episode.id, { product: event.product, report });
        else if (outcome) found.set(event.episode.id, outcome);
      }),
    );
    return { found, late };
  }

  /**
   * Each crossing's attribution by episode id: cached, or from the reports started here for those
   * without one (one per month, plus own ones). Returned rather than read back from the cache, which
   * may already have forgotten the first of a poll with more crossings than it keeps.
   */
  private reportsFor(
    crossings: readonly Crossing[],
    catalogue: readonly ProductProfile[],
  ): Map<string, Promise<ConsumerAttribution | undefined>> {
    const reports = new Map<string, Promise<ConsumerAttribution | undefined>>();
    const missing: Crossing[] = [];
    for (const event of crossings) {
      const cached = this.episodes.get(event.episode.id);
      if (cached) reports.set(event.episode.id, cached);
      else missing.push(event);
    }
    if (missing.length === 0) return reports;
    const match = rowMatcher(catalogue);
    const shared = new Map<string, Promise<TransactionRows | undefined>>();
    for (const event of missing) {
      const cycle = reportMonthOf(event.at);
      const how = match(event.product);
      let rows: Promise<TransactionRows | undefined>;
      if (how.kind === 'own-report') {
        rows = this.report(cycle, event.product);
      } else {
        const key = `${cycle.year}-${cycle.month}`;
        rows = shared.get(key) ?? this.report(cycle, undefined);
        shared.set(key, rows);
      }
      const report = rows.then((result) => result && attribute(result, how, cycle));
      this.remember(event.episode.id, report);
      reports.set(event.episode.id, report);
    }
    return reports;
  }

  private remember(episodeId: string, report: Promise<ConsumerAttribution | undefined>): void {
    this.episodes.set(episodeId, report);
    if (this.episodes.size > MAX_EPISODES) {
      const oldest = this.episodes.keys().next().value;
      if (oldest !== undefined) this.episodes.delete(oldest);
    }
  }

  /** One month's report (of all products, or of `product` alone); undefined, logged once, when it fails. */
  private async report(cycle: Cycle, product: ProductRef | undefined): Promise<TransactionRows | undefined> {
    try {
      return await this.limited(() =>
        this.deps.transactions({ ...cycle, ...(product ? { productId: product.productId } : {}) }),
      );
    } catch (error) {
      const { kind, reason } = explainLmpiFailure(error);
      this.deps.logger.warn(
        {
          ...(product ? { productCode: product.productCode } : { report: `${cycle.year}-${cycle.month}` }),
          lmpiError: { kind, reason },
          err: error,
        },
        'transaction report failed: alerts go out without who drained it',
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
