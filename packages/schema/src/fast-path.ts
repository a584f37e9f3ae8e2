import type { ProductProfileWire } from './product-profiles.js';

// A plain-JS check of the documented product profile, ~10x cheaper than running the zod schema.
// It is conservative by design: `true` must imply that productProfileWireSchema accepts the value
// (a property test pins this). Anything it is unsure about returns `false`, and the caller falls
// back to zod and the lenient reader, which decide.

/** Own keys only, all documented; counted without allocating (hot path). */
function hasOnlyProductKeys(value: Record<string, unknown>): boolean {
  for (const key in value) {
    if (!Object.hasOwn(value, key)) return false;
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

/** 8-4-4-4-12 hex digits, as z.guid() accepts; a char loop is ~4x cheaper than the regex. */
function isGuid(value: unknown): boolean {
  if (typeof value !== 'string' || value.length !== 36) return false;
  for (let i = 0; i < 36; i += 1) {
    const c = value.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 45) return false; // '-'
    } else if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102))) {
      return false;
    }
  }
  return true;
}

function isDocumentedPlanRef(value: unknown): boolean {
  if (!isRecord(value)) return false;
  let count = 0;
  for (const key in value) {
    if (!Object.hasOwn(value, key) || (key !== 'name' && key !== 'id')) return false;
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
