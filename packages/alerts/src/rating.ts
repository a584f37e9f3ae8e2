import { type AlertLevel, LEVEL_SEVERITY, targetLevel } from './engine.js';
import type { Forecast } from './forecast.js';
import { DEFAULT_RUNWAY, type ProductKey, type ResolvedRule } from './rules.js';
import { type LevelTrigger, levelTrigger } from './runway.js';

// The one place that says how a product stands right now and in which order products are shown.
// /licenses, the CLI and the alert digests all use it, so they cannot disagree.

/** The levels a product is judged against, and where they came from. */
export type LevelsInForce = Pick<ResolvedRule, 'low' | 'critical' | 'source'> &
  Partial<Pick<ResolvedRule, 'lowRunwayMs' | 'criticalRunwayMs'>>;

/** Finds the levels for a product; the resolver `ruleResolver()` returns is one. */
export type LevelsFor = (product: ProductKey) => LevelsInForce;

/** What rating needs of a product (a `ProductProfile` has all of it). */
export interface RateableProduct extends ProductKey {
  productName: string;
  available: number;
}

/** One product, rated. */
export interface RatedProduct<P extends RateableProduct = RateableProduct> {
  product: P;
  /** `critical`, `low` or `ok`: the engine's level, counted from `ok`. */
  level: AlertLevel;
  levels: LevelsInForce;
  /** The level crossed: `levels.critical` when critical, `levels.low` when low, else undefined. */
  threshold: number | undefined;
  /** The depletion forecast for this product, when one was given. */
  forecast: Forecast | undefined;
  /** Days until zero at the forecast rate (the runway), when there is a forecast. */
  runwayDays: number | undefined;
  /** Why it is at its level: the count or the runway threshold. Undefined when ok. */
  trigger: LevelTrigger | undefined;
}

// One collator for every comparison: localeCompare with options builds a new one per call.
const collator = new Intl.Collator('en', { sensitivity: 'base' });

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Orders by name (case- and accent-insensitive, one shared collator), then by product code.
 *
 * @example
 * ```ts
 * products.sort(compareByName)
 * ```
 */
export function compareByName(
  a: Pick<RateableProduct, 'productName' | 'productCode'>,
  b: Pick<RateableProduct, 'productName' | 'productCode'>,
): number {
  return collator.compare(a.productName, b.productName) || byCodeUnits(a.productCode, b.productCode);
}

/** What the urgency order looks at. */
export interface UrgencyKey {
  level: AlertLevel;
  /** Days until zero; absent (no forecast) sorts after every known runway. */
  runwayDays?: number | undefined;
  available: number;
  productName: string;
  productCode: string;
}

/**
 * The urgency order: critical, then low, then ok; within a level the shortest runway first (no
 * forecast last), then the fewest available, then by name ({@link compareByName}), then by code. A
 * total order, so sorting is deterministic.
 *
 * @example
 * ```ts
 * events.sort((a, b) => compareUrgency({ level: a.level, runwayDays: 5, available: a.available, ...a.product }, { … }))
 * ```
 */
export function compareUrgency(a: UrgencyKey, b: UrgencyKey): number {
  return (
    LEVEL_SEVERITY[b.level] - LEVEL_SEVERITY[a.level] || // most severe first
    byRunway(a.runwayDays, b.runwayDays) ||
    a.available - b.available ||
    compareByName(a, b)
  );
}

function byRunway(a: number | undefined, b: number | undefined): number {
  const x = a ?? Number.POSITIVE_INFINITY;
  const y = b ?? Number.POSITIVE_INFINITY;
  return x < y ? -1 : x > y ? 1 : 0;
}

const urgencyOf = (rated: RatedProduct): UrgencyKey => ({
  level: rated.level,
  runwayDays: rated.runwayDays,
  available: rated.product.available,
  productName: rated.product.productName,
  productCode: rated.product.productCode,
});

/**
 * Rates one product against its levels: the engine's {@link targetLevel} from `ok` (no hysteresis:
 * this is how it stands now, not how an open alert evolves), by count and, with a forecast, by
 * runway (default 14 days low, 3 days critical).
 *
 * @example
 * ```ts
 * rateProduct(product, ruleResolver(DEFAULT_THRESHOLDS)).level // 'low' for 80 available
 * ```
 */
export function rateProduct<P extends RateableProduct>(
  product: P,
  levelsFor: LevelsFor,
  forecasts?: ReadonlyMap<string, Forecast>,
): RatedProduct<P> {
  const rule = levelsFor(product);
  const levels: LevelsInForce = {
    low: rule.low,
    critical: rule.critical,
    source: rule.source,
    lowRunwayMs: rule.lowRunwayMs ?? DEFAULT_RUNWAY.lowRunwayMs,
    criticalRunwayMs: rule.criticalRunwayMs ?? DEFAULT_RUNWAY.criticalRunwayMs,
  };
  const forecast = forecasts?.get(product.productId);
  const level = targetLevel('ok', product.available, levels, forecast?.daysToZero);
  return {
    product,
    level,
    levels,
    threshold: level === 'critical' ? levels.critical : level === 'low' ? levels.low : undefined,
    forecast,
    runwayDays: forecast?.daysToZero,
    trigger: levelTrigger(level, product.available, levels, forecast),
  };
}

/**
 * Rates every product and returns them in the urgency order ({@link compareUrgency}).
 *
 * @param forecasts depletion forecasts by product id (the poller's), attached to each product.
 * @example
 * ```ts
 * const rated = rateProducts(catalogue.products, ruleResolver(config, overrides))
 * rated.filter((r) => r.level !== 'ok') // the products to act on, most urgent first
 * ```
 */
export function rateProducts<P extends RateableProduct>(
  products: readonly P[],
  levelsFor: LevelsFor,
  forecasts?: ReadonlyMap<string, Forecast>,
): RatedProduct<P>[] {
  return products
    .map((product) => rateProduct(product, levelsFor, forecasts))
    .sort((a, b) => compareUrgency(urgencyOf(a), urgencyOf(b)));
}

/** Text as compared by {@link matchesFilter}: compatibility-decomposed, marks stripped, case-folded. */
function foldForSearch(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toUpperCase().toLowerCase();
}

/**
 * True when the product's name or code contains `text`, ignoring case and accents (`Ápex` finds
 * `apex`, `ＡＰＥＸ` finds `Apex`, `strasse` finds `Straße`). Empty text matches everything.
 *
 * @example
 * ```ts
 * matchesFilter({ productName: 'Apex One', productCode: 'NNZBXXE1X' }, 'ápex') // true
 * ```
 */
export function matchesFilter(product: Pick<RateableProduct, 'productName' | 'productCode'>, text: string): boolean {
  return containsText([product.productName, product.productCode], text);
}

/**
 * True when any of `fields` contains `text`, ignoring case and accents exactly as
 * {@link matchesFilter} does (for other records: customers in a usage report, …). `null` fields
 * never match; empty text matches everything.
 *
 * @example
 * ```ts
 * containsText(['Müller & Söhne GmbH', 'Berlin'], 'muller') // true
 * ```
 */
export function containsText(fields: readonly (string | null | undefined)[], text: string): boolean {
  const needle = foldForSearch(text);
  return fields.some((field) => typeof field === 'string' && foldForSearch(field).includes(needle));
}
