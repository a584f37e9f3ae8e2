import { z } from 'zod';

// LMPI report rows carry unit counts as strings ("10") in the documented transaction sample and as
// integers in the summary table; which one a given report really sends is not fully documented. Both
// readings are part of the contract here: a digit string and a JSON integer mean the same count.
// Anything else ("", "n/a", "1,000", 1.5) is unreadable, and an unreadable count is never 0.

const DIGITS = /^\d{1,15}$/;
const SIGNED_DIGITS = /^-?\d{1,15}$/;

/**
 * A unit count of zero or more, sent as a digit string or a JSON integer.
 *
 * @example
 * ```ts
 * unitCountWireSchema.parse('10') // '10'
 * unitCountWireSchema.safeParse('ten').success // false
 * ```
 */
export const unitCountWireSchema = z.union([z.string().regex(DIGITS), z.number().int().nonnegative().max(1e15)]);

/**
 * A change in units (may be negative: seats taken back), sent as a signed digit string or a JSON integer.
 *
 * @example
 * ```ts
 * unitChangeWireSchema.parse('-5') // '-5'
 * ```
 */
export const unitChangeWireSchema = z.union([z.string().regex(SIGNED_DIGITS), z.number().int().min(-1e15).max(1e15)]);

/**
 * The number a count already validated by {@link unitCountWireSchema} or {@link unitChangeWireSchema}
 * stands for. `undefined` for anything else: the caller decides whether that is a warning or fatal.
 *
 * @example
 * ```ts
 * readUnitCount('10') // 10
 * readUnitCount(undefined) // undefined
 * ```
 */
export function readUnitCount(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
  if (typeof value === 'string' && SIGNED_DIGITS.test(value)) return Number(value);
  return undefined;
}
