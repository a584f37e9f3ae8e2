import { DEFAULT_THRESHOLDS, type LevelsInForce } from '@licensewatch/alerts';

/** Levels used until thresholds are configured: the alert engine's default, as `/licenses` shows it. */
export const DEFAULT_LEVELS: LevelsInForce = { ...DEFAULT_THRESHOLDS.default, source: 'default' };
