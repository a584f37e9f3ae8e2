import type { ProductProfileWire } from './product-profiles.js';

// A plain-JS check of the documented product profile, ~10x cheaper than running the zod schema.
// It is conservative by design: `true` must imply that productProfileWireSchema accepts the value
// (a property test pins this). Anything it is unsure about returns `false`, and the caller falls
// back to zod and the lenient reader, which decide.

// `Object.prototype.hasOwnProperty.call(value, key)` inside `for (const key in value)` is a pattern V8 recognises and
// answers from the for-in enum cache; `Object.hasOwn` is not, and costs 2-2.5x more on Node 24.
const ownProperty = Object.prototype.hasOwnProperty;

/** Own keys only, all documented; counted without allocating (hot path). */
function hasOnlyProductKeys(value: Record<string, unknown>): boolean {
  for (const key in value) {
    if (!ownProperty.call(value, key)) return false;
    switch (key) {
      case 'product_id':
      case 'product_code':
      case 'product_name':
      case 'type':
      case 'version':
      case 'available':
      case 'used':
      case 'service_plans':
        break;
      default:
        return false;
    }
  }
  return true;
}

function isDocumentedType(value: unknown): boolean {
  return value === 'SaaS' || value === 'Software' || value === 'Suite';
}

function isDocumentedVersion(value: unknown): boolean {
  return value === 'Trial' || value === 'Full';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isName(value: unknown): boolean {
  return typeof value === 'string' && value.length >= 1 && value.length <= 150;
}

function isCount(value: unknown): boolean {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** 1 for the 22 hex digit character codes (0-9, a-f, A-F), 0 for every other UTF-16 code unit. */
const HEX_DIGIT = new Uint8Array(0x10000);
for (const digit of '0123456789abcdefABCDEF') HEX_DIGIT[digit.charCodeAt(0)] = 1;

/** 1 when the code unit at `index` is a hex digit, else 0 (inlined by V8). */
function digit(value: string, index: number): number {
  return HEX_DIGIT[value.charCodeAt(index)] as number;
}

/**
 * 8-4-4-4-12 hex digits, as z.guid() accepts (fast-path.test.ts pins the two against each other).
 * Dashes first, then the 32 digits looked up in a table and and-ed without a branch: 1 only when
 * every one is a hex digit. Written out, because a loop per group cost ~1.7x as much on Node 24
 * (2,500 GUIDs per 1,000 products; the regex ~4x).
 */
export function isGuid(value: unknown): boolean {
  if (typeof value !== 'string' || value.length !== 36) return false;
  if (value.charCodeAt(8) !== 45 || value.charCodeAt(13) !== 45) return false; // '-'
  if (value.charCodeAt(18) !== 45 || value.charCodeAt(23) !== 45) return false;
  return (
    (digit(value, 0) &
      digit(value, 1) &
      digit(value, 2) &
      digit(value, 3) &
      digit(value, 4) &
      digit(value, 5) &
      digit(value, 6) &
      digit(value, 7) &
      digit(value, 9) &
      digit(value, 10) &
      digit(value, 11) &
      digit(value, 12) &
      digit(value, 14) &
      digit(value, 15) &
      digit(value, 16) &
      digit(value, 17) &
      digit(value, 19) &
      digit(value, 20) &
      digit(value, 21) &
      digit(value, 22) &
      digit(value, 24) &
      digit(value, 25) &
      digit(value, 26) &
      digit(value, 27) &
      digit(value, 28) &
      digit(value, 29) &
      digit(value, 30) &
      digit(value, 31) &
      digit(value, 32) &
      digit(value, 33) &
      digit(value, 34) &
      digit(value, 35)) ===
    1
  );
}

function isDocumentedPlanRef(value: unknown): boolean {
  if (!isRecord(value)) return false;
  let count = 0;
  for (const key in value) {
    if (!ownProperty.call(value, key) || (key !== 'name' && key !== 'id')) return false;
    count += 1;
  }
  return count === 2 && isName(value.name) && isGuid(value.id);
}

/**
 * True when `value` is a product profile exactly as documented (same contract as
 * `productProfileWireSchema`, checked without zod). `false` means "not sure": validate with zod.
 *
 * @example
 * ```ts
 * if (!isDocumentedProductProfile(raw)) productProfileWireSchema.parse(raw)
 * ```
 */
export function isDocumentedProductProfile(value: unknown): value is ProductProfileWire {
  if (!isRecord(value)) return false;
  if (!hasOnlyProductKeys(value)) return false;
  if (!isGuid(value.product_id)) return false;
  if (typeof value.product_code !== 'string' || value.product_code.length !== 9) return false;
  if (!isName(value.product_name)) return false;
  if (!isDocumentedType(value.type) || !isDocumentedVersion(value.version)) return false;
  if (!isCount(value.available)) return false;
  if (value.used !== undefined && !isCount(value.used)) return false;
  const plans = value.service_plans;
  if (!Array.isArray(plans)) return false;
  for (const plan of plans) if (!isDocumentedPlanRef(plan)) return false;
  return true;
}
