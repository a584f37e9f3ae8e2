import { analyseConsumption, type HistoryPoint } from '@licensewatch/alerts';
import { renderPoolChart } from './pool-chart.js';

/** The product, its readings and its levels: what a pool's chart shows. */
export interface ProductChartInput {
  product: { productName: string; productCode: string };
  /**
   * Readings, oldest first, the current one last: the recorded history with the reading just taken
   * added by `withReading` from `@licensewatch/alerts`, as the bot and the CLI both do.
   */
  history: readonly HistoryPoint[];
  levels: { low: number; critical: number };
  now: number;
  subtitle?: string | undefined;
}

/**
 * A product's pool chart with its levels and, when the burn rate can be estimated, the forecast:
 * the one chart `/licenses <code>` and `licensewatch chart` both show.
 *
 * @example
 * ```ts
 * const history = withReading(stored, { at: now, available: product.available })
 * const { png, analysis } = renderProductChart({ product, history, levels: rule, now })
 * ```
 */
export function renderProductChart(input: ProductChartInput) {
  const analysis = analyseConsumption(input.history);
  const png = renderPoolChart({
    title: `${input.product.productName} (${input.product.productCode})`,
    history: input.history,
    now: input.now,
    low: input.levels.low,
    critical: input.levels.critical,
    // An empty pool has no forecast: nothing left to project.
    forecast:
      analysis.status === 'estimate' && analysis.emptySince === undefined
        ? { perDay: analysis.perDay, from: analysis.latest }
        : undefined,
    ...(input.subtitle !== undefined ? { subtitle: input.subtitle } : {}),
  });
  return { png, analysis };
}
