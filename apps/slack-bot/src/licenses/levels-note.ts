import type { ThresholdConfig } from '@licensewatch/alerts';

/**
 * The `/licenses` footer line about the levels in force.
 *
 * @example
 * ```ts
 * levelsNote(DEFAULT_THRESHOLDS) // 'Levels: default low at ≤ 100, critical at ≤ 20 · `/licenses threshold list`'
 * ```
 */
export function levelsNote(thresholds: ThresholdConfig): string {
  return `Levels: default low at ≤ ${thresholds.default.low}, critical at ≤ ${thresholds.default.critical}${thresholds.products.length ? ', some products differ' : ''} · \`/licenses threshold list\``;
}
