import type { ProductProfile } from './product-profiles.js';
import type { ServicePlan } from './service-plans.js';

/**
 * Which LMPI API version a response came from. Both are documented with the same fields for the
 * product list and the service plan list; they differ in *which* plans they list: v2 leaves Trend
 * Vision One service plans out ("This function does not support Trend Vision One service plans"),
 * v3 includes them (from 27 Nov 2024). Where the two pages word a field differently (product
 * `type`: v2 "1-8 characters", v3 "valid product type"; `used`: v2 "always 0, Distributor and ISP
 * only", v3 no description), the parsers accept what either page allows.
 */
export type LmpiResponseVersion = 'v2' | 'v3';

/** Options of the version-aware parsers. */
export interface ParseOptions {
  /** The API version the response came from. Default `v2`. */
  apiVersion?: LmpiResponseVersion;
}

const VISION_ONE = /\bvision\s*one\b/i;

/**
 * True when a service plan is a Trend Vision One plan. LMPI has no field that says so; the plan or
 * its product is named "Trend Vision One …" in every public example, so the name decides
 * (an inference, see README). Used to label plans, never to drop them.
 *
 * @example
 * ```ts
 * isVisionOnePlan({ name: 'Trend Vision One Full 12 months' }) // true
 * isVisionOnePlan({ name: 'WFBS-SVC Full', product: 'Worry-Free' }) // false
 * ```
 */
export function isVisionOnePlan(plan: { name: string; product?: string | undefined }): boolean {
  return VISION_ONE.test(plan.name) || (plan.product !== undefined && VISION_ONE.test(plan.product));
}

/** A service plan of one product, from the product list, the service plan list, or both. */
export interface ProductServicePlan {
  id: string;
  name: string;
  /** A Trend Vision One plan (see {@link isVisionOnePlan}); only LMPI v3 lists them. */
  visionOne: boolean;
  /** Version, period, data centre and renewal, when the service plan list had the plan. */
  details: ServicePlan | null;
  /** Where LMPI listed it: the product's `service_plans`, the service plan list, or both. */
  listedIn: ('product-list' | 'service-plan-list')[];
}

const sameCode = (a: string, b: string) => a.trim().toUpperCase() === b.trim().toUpperCase();

/**
 * Every service plan of a product: the product list's `service_plans` joined (by id) with the
 * service plan list's plans of the same product code. A plan found in only one of them is kept,
 * so a Vision One plan that LMPI lists in one place only is never lost.
 *
 * @example
 * ```ts
 * const plans = productServicePlans(product, (await lmpi.listServicePlans()).servicePlans)
 * plans.filter((p) => p.visionOne)
 * ```
 */
export function productServicePlans(
  product: Pick<ProductProfile, 'productCode' | 'productName' | 'servicePlans'>,
  servicePlanList: readonly ServicePlan[] = [],
): ProductServicePlan[] {
  const plans = new Map<string, ProductServicePlan>();
  for (const ref of product.servicePlans) {
    plans.set(ref.id, {
      id: ref.id,
      name: ref.name,
      visionOne: isVisionOnePlan({ name: ref.name, product: product.productName }),
      details: null,
      listedIn: ['product-list'],
    });
  }
  for (const plan of servicePlanList) {
    const listed = plans.get(plan.servicePlanId);
    if (!listed && !sameCode(plan.productCode, product.productCode)) continue;
    if (listed) {
      listed.details = plan;
      listed.visionOne ||= isVisionOnePlan(plan);
      listed.listedIn.push('service-plan-list');
      continue;
    }
    plans.set(plan.servicePlanId, {
      id: plan.servicePlanId,
      name: plan.name,
      visionOne: isVisionOnePlan(plan),
      details: plan,
      listedIn: ['service-plan-list'],
    });
  }
  return [...plans.values()];
}

/**
 * Plans of the service plan list that belong to no product of the catalogue (by id or product
 * code): shown apart by callers rather than dropped.
 *
 * @example
 * ```ts
 * unmatchedServicePlans(catalogue.products, servicePlans) // [] when every plan has its product
 * ```
 */
export function unmatchedServicePlans(
  products: readonly Pick<ProductProfile, 'productCode' | 'servicePlans'>[],
  servicePlanList: readonly ServicePlan[],
): ServicePlan[] {
  const codes = new Set(products.map((p) => p.productCode.trim().toUpperCase()));
  const ids = new Set(products.flatMap((p) => p.servicePlans.map((ref) => ref.id)));
  return servicePlanList.filter(
    (plan) => !ids.has(plan.servicePlanId) && !codes.has(plan.productCode.trim().toUpperCase()),
  );
}
