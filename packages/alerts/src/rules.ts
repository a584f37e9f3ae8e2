import type { CatalogueSanity } from './catalogue-sanity.js';
import type { RunwayBasis } from './runway-interval.js';

/** Seat levels and behaviour of one threshold rule. */
export interface ThresholdLevels {
  /** At or below: the pool is low. */
  low: number;
  /** At or below: act now (critical). */
  critical: number;
  /** Hysteresis: recover only above the level plus this margin. Default 0. */
  recovery?: number;
  /** Consecutive polls at a worse level before it fires. Default 1. */
  for?: number;
  /** Slack channel for this product's alerts. Default: the bot's ALERT_CHANNEL. */
  channel?: string;
  /** Alert when the forecast says the critical level is reached within this many ms. */
  horizonMs?: number;
  /** The lowest level that pages PagerDuty (when the bot has a routing key). Default `critical`. */
  pagerduty?: PagingLevel;
  /** Low when the forecast runway (days until zero) is at most this (ms). Default 14 days; 0 = off. */
  lowRunwayMs?: number;
  /** Critical when the forecast runway is at most this (ms). Default 3 days; 0 = off. */
  criticalRunwayMs?: number;
  /**
   * Who critical alerts notify in Slack: user ids (`U0123ABCD`), user group ids (`S0123ABCD`),
   * `here` or `channel`. Default: nobody.
   */
  mention?: string[];
}

/** Runway thresholds used when a rule sets none: low within 14 days of empty, critical within 3. */
export const DEFAULT_RUNWAY = { lowRunwayMs: 14 * 86_400_000, criticalRunwayMs: 3 * 86_400_000 } as const;

/** Alert levels that can page: `low` pages on low and critical, `critical` on critical only. */
export type PagingLevel = 'low' | 'critical';

/** A per-product rule: `match` is a product code or a product id. */
export interface ProductRule extends Partial<ThresholdLevels> {
  match: string;
}

/** The whole threshold configuration (the YAML file, or defaults). */
export interface ThresholdConfig {
  default: ThresholdLevels;
  products: ProductRule[];
  /** Re-send a still-low, unacknowledged alert this often. Off when absent. */
  renotifyMs?: number;
  /** Consecutive failed polls before one "LMPI unreachable" alert. Default 3. */
  unreachableAfter?: number;
  /**
   * Which end of the 80 % runway interval runway thresholds and forecast alerts use: `pessimistic`
   * (the default: the pool runs out this early or earlier one time in ten) or `expected`.
   */
  runwayBasis?: RunwayBasis;
  /** When a much smaller product list is held as suspect (default: losing > 50 %, confirmed after 3 polls). */
  catalogueSanity?: Partial<CatalogueSanity>;
}

/** The rule in force for one product, every field filled. */
export interface ResolvedRule {
  low: number;
  critical: number;
  recovery: number;
  for: number;
  channel: string | undefined;
  horizonMs: number | undefined;
  /** The lowest level that pages PagerDuty. */
  pagerduty: PagingLevel;
  /** Runway (ms until zero at the forecast rate) at or below which the product is low; 0 = off. */
  lowRunwayMs: number;
  /** Runway at or below which the product is critical; 0 = off. */
  criticalRunwayMs: number;
  /** Who critical alerts notify (validated ids, `here`, `channel`); empty: nobody. */
  mention: readonly string[];
  /** Where it came from: the file's default, a product entry, or an override set in Slack. */
  source: 'default' | 'rule' | 'override';
}

/** Built-in levels, used when there is no threshold file. */
export const DEFAULT_THRESHOLDS: ThresholdConfig = { default: { low: 100, critical: 20 }, products: [] };

/** Identifies a product for rule matching. */
export interface ProductKey {
  productId: string;
  productCode: string;
}

/** Finds the rule in force for a product. */
export type RuleResolver = (product: ProductKey) => ResolvedRule;

/**
 * Builds a resolver: an override (set with `/licenses threshold`) beats a product entry of the file,
 * which beats the file's default. Matching is by product code (case-insensitive) or product id.
 *
 * @example
 * ```ts
 * const ruleFor = ruleResolver(config, new Map([['NNZBXXE1X', { low: 300, critical: 50 }]]))
 * ruleFor({ productId, productCode: 'NNZBXXE1X' }).low // 300
 * ```
 */
export function ruleResolver(
  config: ThresholdConfig,
  overrides: ReadonlyMap<string, Partial<ThresholdLevels>> = new Map(),
): RuleResolver {
  const byKey = new Map<string, ProductRule>();
  for (const rule of config.products) byKey.set(rule.match.toUpperCase(), rule);
  const overrideByKey = new Map<string, Partial<ThresholdLevels>>();
  for (const [key, value] of overrides) overrideByKey.set(key.toUpperCase(), value);
  const base = config.default;
  const cache = new Map<string, ResolvedRule>();
  return (product) => {
    const cached = cache.get(product.productId);
    if (cached) return cached;
    const rule = byKey.get(product.productCode.toUpperCase()) ?? byKey.get(product.productId.toUpperCase());
    const override =
      overrideByKey.get(product.productCode.toUpperCase()) ?? overrideByKey.get(product.productId.toUpperCase());
    const merged = { ...base, ...stripUndefined(rule), ...stripUndefined(override) };
    const resolved: ResolvedRule = {
      low: merged.low,
      critical: Math.min(merged.critical, merged.low),
      recovery: merged.recovery ?? 0,
      for: Math.max(1, merged.for ?? 1),
      channel: merged.channel,
      horizonMs: merged.horizonMs,
      pagerduty: merged.pagerduty ?? 'critical',
      lowRunwayMs: merged.lowRunwayMs ?? DEFAULT_RUNWAY.lowRunwayMs,
      criticalRunwayMs: merged.criticalRunwayMs ?? DEFAULT_RUNWAY.criticalRunwayMs,
      mention: merged.mention ?? [],
      source: override ? 'override' : rule ? 'rule' : 'default',
    };
    cache.set(product.productId, resolved);
    return resolved;
  };
}

function stripUndefined<T extends object>(value: T | undefined): Partial<T> {
  if (!value) return {};
  return Object.fromEntries(
    Object.entries(value).filter(([key, v]) => v !== undefined && key !== 'match'),
  ) as Partial<T>;
}
