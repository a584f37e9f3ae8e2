/** When a much smaller product list from LMPI is held as suspect instead of believed at once. */
export interface CatalogueSanity {
  /** A poll that loses more than this fraction of the products listed before is suspect. Default 0.5. */
  maxLossFraction: number;
  /** Consecutive suspect polls after which the smaller list is believed. Default 3. */
  confirmPolls: number;
}

export const DEFAULT_CATALOGUE_SANITY: CatalogueSanity = { maxLossFraction: 0.5, confirmPolls: 3 };

/** A smaller list held as suspect: since when, for how many consecutive polls, and its size. */
export interface SuspectCatalogue {
  since: number;
  polls: number;
  listed: number;
  /** Products listed before the drop (the last good list). */
  previous: number;
}

/**
 * Whether a product list is suspect next to the previous good one: empty while there were
 * products, or missing more than `maxLossFraction` of them. Pure.
 *
 * @example
 * ```ts
 * isSuspectCatalogue(new Set(['a', 'b', 'c', 'd']), ['a'], DEFAULT_CATALOGUE_SANITY) // true: 3 of 4 gone
 * ```
 */
export function isSuspectCatalogue(
  previous: ReadonlySet<string> | ReadonlyMap<string, unknown>,
  listedIds: readonly string[],
  sanity: Pick<CatalogueSanity, 'maxLossFraction'> = DEFAULT_CATALOGUE_SANITY,
): boolean {
  if (previous.size === 0) return false;
  if (listedIds.length === 0) return true;
  const listed = new Set(listedIds);
  let missing = 0;
  for (const id of previous.keys()) if (!listed.has(id)) missing += 1;
  return missing / previous.size > sanity.maxLossFraction;
}
