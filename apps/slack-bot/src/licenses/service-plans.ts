import type { LmpiApiVersion, LmpiClient } from '@licensewatch/client';
import {
  isVisionOnePlan,
  type ProductProfile,
  type ProductServicePlan,
  productServicePlans,
  type ServicePlan,
} from '@licensewatch/schema';
import { escapeMrkdwn, truncate } from '../block-kit/format.js';

/** Plans listed by name in `/licenses <code>`; the rest are counted. */
const LISTED = 10;

/** The service plan list, fetched at most once per `ttlMs` (it changes rarely; the product detail asks for it). */
export function cachedServicePlanList(
  client: Pick<LmpiClient, 'listServicePlans'>,
  options: { ttlMs: number; now: () => number },
): () => Promise<ServicePlan[]> {
  let cached: { at: number; plans: Promise<ServicePlan[]> } | undefined;
  return () => {
    const now = options.now();
    if (!cached || now - cached.at >= options.ttlMs) {
      const plans = client.listServicePlans().then((result) => result.servicePlans);
      cached = { at: now, plans };
      plans.catch(() => {
        if (cached?.plans === plans) cached = undefined; // a failure is not cached
      });
    }
    return cached.plans;
  };
}

/** What the product detail knows about a product's service plans. */
export interface ServicePlansView {
  apiVersion: LmpiApiVersion;
  /** The product's plans, joined with the service plan list when it could be read. */
  plans: ProductServicePlan[];
  /** Why the service plan list is missing (the product list's plans are still shown). */
  listProblem?: string | undefined;
}

/** The product's plans: from the product list, joined with the service plan list when there is one. */
export function servicePlansView(
  product: ProductProfile,
  apiVersion: LmpiApiVersion,
  list: ServicePlan[] | undefined,
  listProblem?: string,
): ServicePlansView {
  return { apiVersion, plans: productServicePlans(product, list ?? []), listProblem };
}

function planLine(plan: ProductServicePlan): string {
  const d = plan.details;
  const facts = [
    d?.version,
    d?.initialLicensePeriodMonths ? `${d.initialLicensePeriodMonths} months` : undefined,
    d?.dataCenter ?? d?.dataCenterCode ?? undefined,
  ].filter(Boolean);
  const badge = plan.visionOne ? ' · _Trend Vision One_' : '';
  return `• ${escapeMrkdwn(truncate(plan.name, 150))}${facts.length ? ` (${escapeMrkdwn(facts.join(', '))})` : ''}${badge}`;
}

/**
 * The "Service plans" section of `/licenses <code>`: every plan by name up to ten (then how many
 * more), Trend Vision One plans marked. Under LMPI v2 a Vision One product says its plans are left
 * out by v2 instead of showing none; a failed service plan list is said, not hidden.
 *
 * @example
 * ```ts
 * blocks.push(section(servicePlansText(product, view)))
 * ```
 */
export function servicePlansText(product: ProductProfile, view: ServicePlansView): string {
  const { plans } = view;
  const visionOne = plans.filter((p) => p.visionOne).length;
  const title = `*Service plans* (${plans.length}${visionOne ? `, ${visionOne} Trend Vision One` : ''})`;
  const lines = plans.slice(0, LISTED).map(planLine);
  if (plans.length > LISTED)
    lines.push(
      `… and ${plans.length - LISTED} more (\`licensewatch plans --product ${product.productCode}\` lists all)`,
    );
  if (plans.length === 0) lines.push('None listed by LMPI.');
  const hidesVisionOne =
    view.apiVersion === 'v2' && isVisionOnePlan({ name: product.productName, product: product.productName });
  if (hidesVisionOne)
    lines.push(
      ':information_source: LMPI v2 leaves Trend Vision One plans out: set `LMPI_API_VERSION=v3` to see them.',
    );
  if (view.listProblem)
    lines.push(`:warning: Plan details unavailable: ${escapeMrkdwn(truncate(view.listProblem, 200))}`);
  return [title, ...lines].join('\n');
}
