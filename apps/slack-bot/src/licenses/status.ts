import {
  type AlertLevel,
  DEFAULT_THRESHOLDS,
  type LevelsInForce,
  type LevelsFor as RatingLevelsFor,
  type RatedProduct as RatingRatedProduct,
} from '@licensewatch/alerts';
import type { ProductProfile } from '@licensewatch/schema';

// Rating, order and filter live in @licensewatch/alerts (rateProducts, matchesFilter), shared with
// the CLI; this module only names them for /licenses.

/** Seat levels a product is judged against, and where they came from. */
export type SeatLevels = LevelsInForce;

/** Levels used until thresholds are configured: the alert engine's default. */
export const DEFAULT_LEVELS: SeatLevels = { ...DEFAULT_THRESHOLDS.default, source: 'default' };

/** Where a pool stands: `critical`, `low` or `ok`. */
export type AvailabilityStatus = AlertLevel;

/** Finds the levels for a product: the poller's rule resolver (file rules and Slack overrides). */
export type LevelsFor = RatingLevelsFor;

/** A product of the catalogue, rated. */
export type RatedProduct = RatingRatedProduct<ProductProfile>;
