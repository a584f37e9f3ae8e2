export type { CatalogueSanity, SuspectCatalogue } from './catalogue-sanity.js';
export { DEFAULT_CATALOGUE_SANITY, isSuspectCatalogue } from './catalogue-sanity.js';
export type { ConsumerAttribution, ConsumerShare } from './consumers.js';
export { previousMonth, reportMonthOf, TOP_CONSUMERS, topConsumers } from './consumers.js';
export { formatDuration, parseDuration } from './duration.js';
export type {
  AlertEpisode,
  AlertEvent,
  AlertLevel,
  EngineState,
  EvaluateOptions,
  LmpiEvent,
  PollOutcome,
  ProductAlertState,
  ProductEvent,
  ProductRef,
} from './engine.js';
export { evaluate, initialEngineState, targetLevel } from './engine.js';
export type { Forecast, HistoryPoint } from './forecast.js';
export { describeForecast, forecastDepletion } from './forecast.js';
export type { LevelsFor, LevelsInForce, RateableProduct, RatedProduct, UrgencyKey } from './rating.js';
export { compareByName, compareUrgency, containsText, matchesFilter, rateProduct, rateProducts } from './rating.js';
export type {
  PagingLevel,
  ProductKey,
  ProductRule,
  ResolvedRule,
  RuleResolver,
  ThresholdConfig,
  ThresholdLevels,
} from './rules.js';
export { DEFAULT_THRESHOLDS, ruleResolver } from './rules.js';
export { loadThresholdsFile, parseThresholdsYaml, ThresholdsFileError } from './thresholds-file.js';
export type { ProductUsageTotals } from './usage-totals.js';
export { usageTotalsByProduct } from './usage-totals.js';
