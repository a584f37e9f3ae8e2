import type { SetAsideRecord } from './set-aside.js';

/**
 * What kind of deviation from the documented contract a lenient parse tolerated.
 * - `unknown-field`: a field the documentation does not list (kept out of the result).
 * - `missing-field`: a documented field was absent; a safe default was used.
 * - `normalised`: a value in another spelling (e.g. `full`) was mapped to the documented one (`Full`).
 * - `unexpected-value`: a value outside the documented set or limits, kept as received.
 * - `invalid-field`: a field we do not depend on had an unusable value; it was dropped or defaulted.
 * - `duplicate`: the same product id appeared more than once.
 */
export type DriftKind =
  | 'unknown-field'
  | 'missing-field'
  | 'normalised'
  | 'unexpected-value'
  | 'invalid-field'
  | 'duplicate';

/** One tolerated deviation, naming the record and field so an operator can report it. */
export interface DriftWarning {
  kind: DriftKind;
  /** JSON path into the response, e.g. `products[2].version`. */
  path: string;
  /** Human label of the record, e.g. `product NNZBXXE1X (1b6c…)`. */
  record?: string;
  field: string;
  message: string;
}

/** Parsed data together with every deviation the parser tolerated to produce it. */
export interface LenientResult<T> {
  data: T;
  warnings: DriftWarning[];
  /** Records left out of `data` because a field we depend on was unusable (`malformed: 'set-aside'` only). */
  setAside?: SetAsideRecord[];
}
