export type { CatalogueSanity, SuspectCatalogue } from './catalogue-sanity.js';
export { DEFAULT_CATALOGUE_SANITY, isSuspectCatalogue } from './catalogue-sanity.js';
export type { ConsumerAttribution, ConsumerShare } from './consumers.js';
export { previousMonth, reportMonthOf, TOP_CONSUMERS, topConsumers } from './consumers.js';
export { ConsumptionCache } from './consumption-cache.js';
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
  SetAsideProduct,
} from './engine.js';
export { evaluate, initialEngineState, LEVEL_SEVERITY, targetLevel } from './engine.js';
export type {
  ConsumptionAnalysis,
  ConsumptionEstimate,
  Drop,
  Forecast,
  ForecastConfidence,
  ForecastOptions,
  HistoryPoint,
  InsufficientHistory,
  Refill,
} from './forecast.js';
export {
  analyseConsumption,
  describeForecast,
  FORECAST_DEFAULTS,
  forecastDepletion,
  forecastFrom,
  formatRunway,
} from './forecast.js';
export type { FractionDigits } from './number-format.js';
export { formatMonthDay, formatMonthYear, formatNumber } from './number-format.js';
export type { PoolForecastOptions, PoolForecasts } from './pool-forecasts.js';
export { FORECAST_HISTORY_MS, forecastPools, withReading } from './pool-forecasts.js';
export { formatRate } from './rate-format.js';
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
export { DEFAULT_RUNWAY, DEFAULT_THRESHOLDS, ruleResolver } from './rules.js';
export type { LevelTrigger, RunwayLevels } from './runway.js';
export { describeRunway, describeTrigger, levelTrigger, RUNWAY_RECOVERY_FACTOR } from './runway.js';
export type { DemandModel, RunwayBasis, RunwayInterval } from './runway-interval.js';
export { runwayInterval } from './runway-interval.js';
export { loadThresholdsFile, parseThresholdsYaml, ThresholdsFileError } from './thresholds-file.js';
export { dailySeries, sparkline } from './trend.js';
export type { ProductUsageTotals } from './usage-totals.js';
export { usageTotalsByProduct } from './usage-totals.js';
