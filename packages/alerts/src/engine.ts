import type { LmpiFailureKind, ProductProfile } from '@licensewatch/schema';
import {
  type CatalogueSanity,
  DEFAULT_CATALOGUE_SANITY,
  isSuspectCatalogue,
  type SuspectCatalogue,
} from './catalogue-sanity.js';
import type { Forecast } from './forecast.js';
import type { ResolvedRule, RuleResolver } from './rules.js';
import { type LevelTrigger, levelTrigger, RUNWAY_RECOVERY_FACTOR, type RunwayLevels, withinRunway } from './runway.js';

/** Where a product stands. Ordered: ok < low < critical. */
export type AlertLevel = 'ok' | 'low' | 'critical';

/**
 * How severe each level is: the one ordering of levels (a higher number is worse). Compare levels
 * with it; sort most urgent first with `compareUrgency`.
 *
 * @example
 * ```ts
 * LEVEL_SEVERITY[update.level] > LEVEL_SEVERITY[previous.level] // escalated
 * ```
 */
export const LEVEL_SEVERITY: Readonly<Record<AlertLevel, number>> = { ok: 0, low: 1, critical: 2 };

/** The product as alerts name it. */
export interface ProductRef {
  productId: string;
  productCode: string;
  productName: string;
}

/**
 * One alert episode of a product: from the poll its level first left `ok` to the poll it came back
 * (or vanished). Its `id` is stable for the whole episode, so a destination such as PagerDuty can
 * deduplicate every event of it under one key.
 */
export interface AlertEpisode {
  /** `<productId>:<startedAt>`. */
  id: string;
  startedAt: number;
  /** The worst level confirmed during the episode so far. */
  peak: Exclude<AlertLevel, 'ok'>;
}

/** What the engine remembers about one product between polls. */
export interface ProductAlertState extends ProductRef {
  /** Confirmed level. */
  level: AlertLevel;
  /** A worse level seen on `count` consecutive polls, waiting for the rule's `for`. */
  pending: { level: AlertLevel; count: number } | undefined;
  available: number;
  /** When `level` last changed (epoch ms). */
  since: number;
  /** An alert was sent and not yet resolved. */
  alertOpen: boolean;
  /** Someone pressed Acknowledge: no renotify until resolved. */
  acknowledged: boolean;
  lastNotifiedAt: number | undefined;
  /** No alert or renotify is sent before this time (snooze / mute). */
  mutedUntil: number | undefined;
  /** A forecast alert was sent for the current downward run. */
  forecastAlerted: boolean;
  /** The current alert episode; undefined while the product is ok. */
  episode: AlertEpisode | undefined;
}

/** Everything the engine carries from one poll to the next. */
export interface EngineState {
  /** By product id. A Map: a 10,000-key object falls into slow dictionary mode. */
  products: ReadonlyMap<string, ProductAlertState>;
  consecutiveFailures: number;
  unreachableOpen: boolean;
  /** When the current run of failures started. */
  failingSince: number | undefined;
  /**
   * LMPI's latest lists are much smaller than the last good one and not yet believed: products
   * missing from them keep their state (no `vanished`) until the drop is confirmed.
   */
  suspect?: SuspectCatalogue | undefined;
}

/** An empty state: nothing seen yet. */
export function initialEngineState(): EngineState {
  return { products: new Map(), consecutiveFailures: 0, unreachableOpen: false, failingSince: undefined };
}

interface EventBase {
  /** Unique per transition: posting the same key twice is a duplicate. */
  key: string;
  at: number;
}

/**
 * A product-level event. `level` is the product's level after the event, except for `vanished`,
 * which reports the level the product was last seen at (its key carries the same level).
 */
export interface ProductEvent extends EventBase {
  kind: 'alert' | 'renotify' | 'resolved' | 'vanished' | 'forecast';
  product: ProductRef;
  level: AlertLevel;
  /** The alert episode the event belongs to (for `resolved` and `vanished`: the one that ended). */
  episode: AlertEpisode | undefined;
  available: number;
  /** Available at the previous poll, for "change since last poll". */
  previousAvailable: number | undefined;
  /** The level crossed (low or critical seats). */
  threshold: number | undefined;
  channel: string | undefined;
  forecast: Forecast | undefined;
  /**
   * Why the product is at `level`: its count crossed `threshold`, or its runway crossed a runway
   * threshold ("runs out in ~5 days at ~40/day" rather than "20 left"). Undefined for ok levels.
   */
  trigger?: LevelTrigger | undefined;
}

/** LMPI itself failing or recovering, or answering with a much smaller catalogue than before. */
export interface LmpiEvent extends EventBase {
  kind: 'lmpi-unreachable' | 'lmpi-recovered' | 'lmpi-catalogue-shrank';
  failures: number;
  since: number | undefined;
  /** The kind of the latest failure (credentials, unreachable, …); words via the client's `describeLmpiFailure`. */
  reason: LmpiFailureKind | undefined;
  /** `lmpi-catalogue-shrank`: products listed now, and in the last good list. */
  catalogue?: { listed: number; previous: number };
}

export type AlertEvent = ProductEvent | LmpiEvent;

/** A product LMPI listed but sent unusable (e.g. `available: -5`), as far as it could be identified. */
export interface SetAsideProduct {
  productId?: string | undefined;
  productCode?: string | undefined;
}

/**
 * One poll's outcome. An error is never read as zero licenses: it evaluates nothing. Products in
 * `setAside` were listed but unreadable: they keep their state (no alert, no `vanished`) until LMPI
 * sends them readable again.
 */
export type PollOutcome =
  | { ok: true; products: readonly ProductProfile[]; setAside?: readonly SetAsideProduct[] }
  | { ok: false; reason: LmpiFailureKind };

export interface EvaluateOptions {
  ruleFor: RuleResolver;
  /** Re-send unacknowledged alerts this often while still low. */
  renotifyMs?: number;
  /** Consecutive failed polls before "LMPI unreachable". Default 3. */
  unreachableAfter?: number;
  /**
   * This poll's depletion forecast per product (see forecastDepletion), computed once by the
   * caller, which also shows it elsewhere (e.g. in /licenses).
   */
  forecastFor?: (productId: string) => Forecast | undefined;
  /** When a much smaller product list is held as suspect. Default {@link DEFAULT_CATALOGUE_SANITY}. */
  catalogueSanity?: Partial<CatalogueSanity>;
}

/**
 * The level a product should be at: the worse of what its count says and what its runway (days
 * until zero at the forecast rate, when there is a forecast) says. Getting worse is immediate (the
 * caller applies `for`); getting better must clear the count boundary by the rule's recovery margin
 * and the runway boundary by {@link RUNWAY_RECOVERY_FACTOR}, so values oscillating near a level do
 * not flap.
 *
 * @example
 * ```ts
 * targetLevel('ok', 500, { low: 100, critical: 20, lowRunwayMs: 14 * DAY }, 5) // 'low'
 * ```
 */
export function targetLevel(
  current: AlertLevel,
  available: number,
  rule: Pick<ResolvedRule, 'low' | 'critical'> & { recovery?: number } & RunwayLevels,
  runwayDays?: number,
): AlertLevel {
  const recovery = rule.recovery ?? 0;
  const byCount: AlertLevel = available <= rule.critical ? 'critical' : available <= rule.low ? 'low' : 'ok';
  const byRunway: AlertLevel = withinRunway(runwayDays, rule.criticalRunwayMs)
    ? 'critical'
    : withinRunway(runwayDays, rule.lowRunwayMs)
      ? 'low'
      : 'ok';
  const raw = LEVEL_SEVERITY[byRunway] > LEVEL_SEVERITY[byCount] ? byRunway : byCount;
  if (LEVEL_SEVERITY[raw] >= LEVEL_SEVERITY[current]) return raw;
  const clearsWarning =
    available > rule.low + recovery && !withinRunway(runwayDays, rule.lowRunwayMs, RUNWAY_RECOVERY_FACTOR);
  if (clearsWarning) return 'ok';
  const clearsCritical =
    available > rule.critical + recovery && !withinRunway(runwayDays, rule.criticalRunwayMs, RUNWAY_RECOVERY_FACTOR);
  if (current === 'critical' && clearsCritical) return 'low';
  return current;
}

function freshState(product: ProductProfile, at: number): ProductAlertState {
  return {
    productId: product.productId,
    productCode: product.productCode,
    productName: product.productName,
    level: 'ok',
    pending: undefined,
    available: product.available,
    since: at,
    alertOpen: false,
    acknowledged: false,
    lastNotifiedAt: undefined,
    mutedUntil: undefined,
    forecastAlerted: false,
    episode: undefined,
  };
}

const ref = (s: ProductRef): ProductRef => ({
  productId: s.productId,
  productCode: s.productCode,
  productName: s.productName,
});

/**
 * Evaluates one poll. Pure: returns the next state and the events to send, in order. Events only
 * on transitions: a worse confirmed level fires `alert`; back to ok past the margin fires
 * `resolved` (only if an alert was sent); a product missing from the catalogue fires `vanished`.
 * A failed poll changes no product; the Nth consecutive failure fires one `lmpi-unreachable`, and
 * the next good poll `lmpi-recovered`.
 *
 * @example
 * ```ts
 * const { state, events } = evaluate(previous, { ok: true, products }, Date.now(), { ruleFor })
 * ```
 */
export function evaluate(
  state: EngineState,
  poll: PollOutcome,
  at: number,
  options: EvaluateOptions,
): { state: EngineState; events: AlertEvent[] } {
  if (!poll.ok) return evaluateFailure(state, poll.reason, at, options.unreachableAfter ?? 3);
  const events: AlertEvent[] = [];
  if (state.unreachableOpen) {
    events.push({
      kind: 'lmpi-recovered',
      key: `lmpi-recovered:${at}`,
      at,
      failures: state.consecutiveFailures,
      since: state.failingSince,
      reason: undefined,
    });
  }
  const sanity = { ...DEFAULT_CATALOGUE_SANITY, ...options.catalogueSanity };
  const setAside = setAsideMatcher(poll.setAside, state.products);
  // Listed, even if unreadable: a product set aside does not make the catalogue look smaller.
  const listedIds = [...poll.products.map((p) => p.productId), ...setAside.ids];
  const suspect = isSuspectCatalogue(state.products, listedIds, sanity)
    ? suspectAfter(state.suspect, at, new Set(listedIds).size, state.products.size)
    : undefined;
  const held = suspect !== undefined && suspect.polls < sanity.confirmPolls;
  if (suspect?.polls === 1 && held) {
    events.push({
      kind: 'lmpi-catalogue-shrank',
      key: `lmpi-catalogue-shrank:${at}`,
      at,
      failures: 0,
      since: at,
      reason: undefined,
      catalogue: { listed: suspect.listed, previous: suspect.previous },
    });
  }
  const products = new Map<string, ProductAlertState>();
  let known = 0; // products seen last poll too: fewer than last poll's count means some vanished
  for (const product of poll.products) {
    if (products.has(product.productId)) continue; // duplicate listing: first one wins
    const existing = state.products.get(product.productId);
    if (existing) known += 1;
    const before = events.length;
    products.set(product.productId, step(existing ?? freshState(product, at), product, at, options, events));
    if (!existing) {
      // First sight: there is no previous count to compare with.
      for (let i = before; i < events.length; i += 1) (events[i] as ProductEvent).previousAvailable = undefined;
    }
  }
  if (known < state.products.size) {
    for (const previous of state.products.values()) {
      if (products.has(previous.productId)) continue;
      // Held (or set aside): the product keeps its state and episode, so coming back is not a first sighting.
      if (held || setAside.ids.has(previous.productId)) products.set(previous.productId, previous);
      // Reported at its last known level: nothing about it changed except that LMPI stopped listing it.
      else emit(events, 'vanished', previous, at, { previousAvailable: previous.available });
    }
  }
  return {
    state: {
      products,
      consecutiveFailures: 0,
      unreachableOpen: false,
      failingSince: undefined,
      ...(held ? { suspect } : {}),
    },
    events,
  };
}

/** The ids of the known products the poll set aside, matched by id, else by product code. */
function setAsideMatcher(
  setAside: readonly SetAsideProduct[] | undefined,
  known: ReadonlyMap<string, ProductAlertState>,
): { ids: Set<string> } {
  const ids = new Set<string>();
  if (!setAside || setAside.length === 0) return { ids };
  const codes = new Set<string>();
  for (const entry of setAside) {
    if (entry.productId !== undefined) ids.add(entry.productId);
    else if (entry.productCode !== undefined) codes.add(entry.productCode);
  }
  if (codes.size > 0) for (const state of known.values()) if (codes.has(state.productCode)) ids.add(state.productId);
  return { ids };
}

/** The suspect run after one more suspect poll (its size is the last good list's, kept while held). */
function suspectAfter(
  current: SuspectCatalogue | undefined,
  at: number,
  listed: number,
  previous: number,
): SuspectCatalogue {
  return current ? { ...current, polls: current.polls + 1, listed } : { since: at, polls: 1, listed, previous };
}

function evaluateFailure(state: EngineState, reason: LmpiFailureKind, at: number, unreachableAfter: number) {
  const failures = state.consecutiveFailures + 1;
  const failingSince = state.failingSince ?? at;
  const events: AlertEvent[] = [];
  let unreachableOpen = state.unreachableOpen;
  if (!unreachableOpen && failures >= unreachableAfter) {
    unreachableOpen = true;
    events.push({
      kind: 'lmpi-unreachable',
      key: `lmpi-unreachable:${failingSince}`,
      at,
      failures,
      since: failingSince,
      reason,
    });
  }
  return { state: { ...state, consecutiveFailures: failures, unreachableOpen, failingSince }, events };
}

/** What differs between product events; everything else comes from the product's state. */
interface EmitDetails {
  previousAvailable: number | undefined;
  threshold?: number | undefined;
  rule?: ResolvedRule | undefined;
  forecast?: Forecast | undefined;
  trigger?: LevelTrigger | undefined;
}

/**
 * Appends one product event. `state` is the product's state the event reports (after this poll;
 * for `vanished`, as last seen): its level, available count and episode are the event's, and the
 * key names that same level, so key and level never disagree.
 */
function emit(
  events: AlertEvent[],
  kind: ProductEvent['kind'],
  state: ProductAlertState,
  at: number,
  details: EmitDetails,
): void {
  events.push({
    kind,
    key: `${kind}:${state.productId}:${state.level}:${at}`,
    at,
    product: ref(state),
    level: state.level,
    episode: state.episode,
    available: state.available,
    previousAvailable: details.previousAvailable,
    threshold: details.threshold,
    channel: details.rule?.channel,
    forecast: details.forecast,
    trigger: details.trigger,
  });
}

/** The episode after a product's level worsened to `level`: a new one when it was ok, else a higher peak. */
function worsen(
  episode: AlertEpisode | undefined,
  productId: string,
  level: Exclude<AlertLevel, 'ok'>,
  at: number,
): AlertEpisode {
  if (!episode) return { id: `${productId}:${at}`, startedAt: at, peak: level };
  return LEVEL_SEVERITY[level] > LEVEL_SEVERITY[episode.peak] ? { ...episode, peak: level } : episode;
}

function step(
  previous: ProductAlertState,
  product: ProductProfile,
  at: number,
  options: EvaluateOptions,
  events: AlertEvent[],
): ProductAlertState {
  const rule = options.ruleFor(product);
  const forecast = options.forecastFor?.(product.productId);
  const target = targetLevel(previous.level, product.available, rule, forecast?.daysToZero);
  const muted = previous.mutedUntil !== undefined && previous.mutedUntil > at;
  const renotifyDue =
    options.renotifyMs !== undefined &&
    previous.level !== 'ok' &&
    previous.alertOpen &&
    !previous.acknowledged &&
    !muted &&
    at - (previous.lastNotifiedAt ?? 0) >= options.renotifyMs;
  // Fast path (most products on most polls): nothing moved, nothing due; keep the same object.
  if (
    target === previous.level &&
    previous.pending === undefined &&
    product.available === previous.available &&
    product.productName === previous.productName &&
    product.productCode === previous.productCode &&
    !renotifyDue &&
    rule.horizonMs === undefined
  ) {
    return previous;
  }
  const next: ProductAlertState = {
    ...previous,
    productCode: product.productCode,
    productName: product.productName,
    available: product.available,
  };
  const thresholdOf = (level: AlertLevel) =>
    level === 'critical' ? rule.critical : level === 'low' ? rule.low : undefined;

  const details = { previousAvailable: previous.available, rule, forecast };
  const why = (level: AlertLevel) => levelTrigger(level, product.available, rule, forecast);

  if (LEVEL_SEVERITY[target] > LEVEL_SEVERITY[previous.level]) {
    // `for`: consecutive polls worse than the confirmed level; fires at this poll's level.
    const count = (previous.pending?.count ?? 0) + 1;
    if (count < rule.for) {
      next.pending = { level: target, count };
      return next;
    }
    next.level = target;
    next.pending = undefined;
    next.since = at;
    next.episode = worsen(previous.episode, previous.productId, target as Exclude<AlertLevel, 'ok'>, at);
    if (!muted) {
      emit(events, 'alert', next, at, { ...details, threshold: thresholdOf(target), trigger: why(target) });
      next.alertOpen = true;
      next.acknowledged = false;
      next.lastNotifiedAt = at;
    }
    return next;
  }

  next.pending = undefined;
  if (LEVEL_SEVERITY[target] < LEVEL_SEVERITY[previous.level]) {
    next.level = target;
    next.since = at;
    if (target === 'ok') {
      // The event still carries the episode it ends.
      if (previous.alertOpen) emit(events, 'resolved', next, at, { ...details, forecast: undefined });
      next.alertOpen = false;
      next.acknowledged = false;
      next.forecastAlerted = false;
      next.episode = undefined;
    }
    return next;
  }

  if (renotifyDue) {
    emit(events, 'renotify', next, at, { ...details, threshold: thresholdOf(next.level), trigger: why(next.level) });
    next.lastNotifiedAt = at;
  }
  if (next.level === 'ok' && rule.horizonMs !== undefined) {
    const inHorizon = forecast !== undefined && forecast.days * 86_400_000 <= rule.horizonMs;
    if (inHorizon && !next.forecastAlerted && !muted) {
      emit(events, 'forecast', next, at, { ...details, threshold: rule.critical });
      next.forecastAlerted = true;
    } else if (!inHorizon) {
      next.forecastAlerted = false;
    }
  }
  return next;
}
