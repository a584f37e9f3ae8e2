import type { StoredProduct } from './catalogue.js';

// LMPI serves the same resources under /LMPI/v2/ and /LMPI/v3/, with the same authentication
// (reference §5). The one documented difference the sandbox reproduces: v2 leaves Trend Vision One
// service plans out (Service Plan List, and the product list's service_plans), v3 includes them.

/** The API versions the sandbox serves side by side. */
export const SERVED_VERSIONS = ['v2', 'v3'] as const;
export type ServedVersion = (typeof SERVED_VERSIONS)[number];

/** The resources the sandbox answers, by their path after `/LMPI/{version}/`. */
export const RESOURCES = ['partners/product', 'me/serviceplans', 'reports/transactions', 'reports/summary'] as const;
export type Resource = (typeof RESOURCES)[number];

/** A request path the sandbox serves: which version and which resource. */
export interface ServedRoute {
  version: ServedVersion;
  resource: Resource;
}

const ROUTE = /^\/LMPI\/(v2|v3)\/(partners\/product|me\/serviceplans|reports\/transactions|reports\/summary)$/;

/** The version and resource of a path, or `undefined` for anything the sandbox does not serve. */
export function routeOf(path: string): ServedRoute | undefined {
  const found = ROUTE.exec(path);
  if (!found) return undefined;
  return { version: found[1] as ServedVersion, resource: found[2] as Resource };
}

/**
 * Marks a stored service plan as a Trend Vision One plan: `{ "name", "id", "vision_one": true }`.
 * The marker is the sandbox's own (LMPI has no such field) and is never served.
 */
export const VISION_ONE_MARKER = 'vision_one';

type StoredPlan = Record<string, unknown> & { name?: unknown; id?: unknown };

/** True for a stored plan marked as Vision One. */
export function isVisionOneStoredPlan(plan: unknown): boolean {
  return typeof plan === 'object' && plan !== null && (plan as StoredPlan)[VISION_ONE_MARKER] === true;
}

/**
 * A stored product as `version` lists it: v2 without its Vision One plans, v3 with them; the
 * marker removed either way. Anything else (drift included) is served as stored.
 */
export function productAsServed(product: StoredProduct, version: ServedVersion): StoredProduct {
  if (!Array.isArray(product.service_plans)) return product;
  const plans = (product.service_plans as unknown[])
    .filter((plan) => version === 'v3' || !isVisionOneStoredPlan(plan))
    .map((plan) => {
      if (!isVisionOneStoredPlan(plan)) return plan;
      const { [VISION_ONE_MARKER]: _marker, ...served } = plan as StoredPlan;
      return served;
    });
  return { ...product, service_plans: plans };
}
