import type { ServerResponse } from 'node:http';
import type { StoredProduct } from './catalogue.js';
import { type ActiveFault, applyDrift } from './faults.js';
import { JSON_CONTENT_TYPE, sendJson, sendLmpiError } from './http.js';
import type { TransactionLedger } from './ledger.js';
import { lmpiError, ROLE_NOT_ALLOWED } from './lmpi-errors.js';
import { customerSummaryBody, isErrorAnswer, readReportRequest, transactionReportBody } from './reports.js';
import type { PartnerCredentials, PartnerRole } from './verify.js';
import {
  isVisionOneStoredPlan,
  productAsServed,
  type Resource,
  routeOf,
  type ServedRoute,
  type ServedVersion,
} from './versions.js';

export const PRODUCT_LIST_PATH = '/LMPI/v2/partners/product';
export const SERVICE_PLAN_LIST_PATH = '/LMPI/v2/me/serviceplans';

/**
 * Which method and roles each resource takes, in v2 and v3 alike (reference §3: Reseller may not
 * list products or read the reports; the reports are POSTs with a JSON body although they only read).
 */
const ENDPOINTS: Record<Resource, { method: 'GET' | 'POST'; roles: readonly PartnerRole[] }> = {
  'partners/product': { method: 'GET', roles: ['distributor', 'isp', 'msp'] },
  'me/serviceplans': { method: 'GET', roles: ['distributor', 'isp', 'msp', 'reseller'] },
  'reports/transactions': { method: 'POST', roles: ['distributor', 'isp', 'msp'] },
  'reports/summary': { method: 'POST', roles: ['distributor', 'isp', 'msp'] },
};

/** True when the path is an LMPI endpoint the sandbox serves (under `/LMPI/v2/` or `/LMPI/v3/`). */
export function isServedPath(path: string): boolean {
  return routeOf(path) !== undefined;
}

/** The method a served path answers (others get 405). */
export function endpointMethod(path: string): string | undefined {
  const route = routeOf(path);
  return route ? ENDPOINTS[route.resource].method : undefined;
}

/** What the API answers from: the catalogue and the transaction ledger (drains recorded first). */
export interface ApiWorld {
  catalogue: () => StoredProduct[];
  ledger: () => TransactionLedger;
}

/**
 * The product list body as LMPI sends it to this partner: `used` (always 0) only for
 * Distributor/ISP; in v2 without Trend Vision One plans (the product itself stays, same id).
 */
export function productListBody(partner: PartnerCredentials, products: StoredProduct[], version: ServedVersion = 'v2') {
  const withUsed = partner.role === 'distributor' || partner.role === 'isp';
  return {
    partner_id: partner.partnerId,
    products: products.map((stored) => {
      const product = productAsServed(stored, version);
      if (!withUsed) return product;
      const { service_plans, ...head } = product;
      return { ...head, used: 0, service_plans };
    }),
  };
}

/**
 * The service plan list derived from the catalogue: every plan offered on any product; v3 adds the
 * Trend Vision One plans (in Vision One's own data centre codes), v2 leaves them out.
 */
export function servicePlanListBody(products: StoredProduct[], version: ServedVersion = 'v2') {
  return products.flatMap((product, productIndex) => {
    const stored = Array.isArray(product.service_plans)
      ? (product.service_plans as { name: string; id: string }[])
      : [];
    return stored.flatMap((plan, planIndex) => {
      const visionOne = isVisionOneStoredPlan(plan);
      if (visionOne && version === 'v2') return [];
      return [
        {
          service_plan_id: plan.id,
          name: plan.name,
          product: String(product.product_name).slice(0, 100),
          product_code: product.product_code,
          version: /trial/i.test(plan.name) ? 'trial' : 'full',
          initial_license_period_month: monthsNamed(plan.name) ?? 12 * (((productIndex + planIndex) % 3) + 1),
          data_center_code: visionOne ? 'US' : '22',
          data_center: visionOne ? 'United States' : 'USA',
          auto_renewal: !/trial/i.test(plan.name),
        },
      ];
    });
  });
}

/** The period a plan's name states ("… 24 months …"), so a plan's details agree with its name. */
function monthsNamed(name: string): number | undefined {
  const months = Number(/\b(\d{1,2}) months?\b/i.exec(name)?.[1]);
  return months >= 1 && months <= 36 ? months : undefined;
}

/** Answers an authenticated request for a served path, applying the fault taken for it, if any. */
export async function answerApi(
  res: ServerResponse,
  request: { path: string; body: Buffer },
  partner: PartnerCredentials,
  world: ApiWorld,
  fault: ActiveFault | undefined,
): Promise<{ status: number; subject?: string }> {
  const route = routeOf(request.path) as ServedRoute;
  if (!ENDPOINTS[route.resource].roles.includes(partner.role)) {
    sendLmpiError(res, ROLE_NOT_ALLOWED);
    return { status: ROLE_NOT_ALLOWED.status, subject: ROLE_NOT_ALLOWED.subject };
  }
  if (fault?.kind === 'latency') await new Promise((resolve) => setTimeout(resolve, fault.latencyMs ?? 5_000));
  const failed = failWith(res, fault);
  if (failed) return failed;
  if (route.resource === 'reports/transactions' || route.resource === 'reports/summary') {
    return answerReport(res, route.resource, request.body, world, fault);
  }
  const products = world.catalogue();
  const productList = route.resource === 'partners/product';
  let body: unknown = productList
    ? productListBody(partner, products, route.version)
    : servicePlanListBody(products, route.version);
  if (fault?.kind === 'schema-drift' && productList) {
    body = applyDrift(
      body as { products: Record<string, unknown>[] },
      fault.drift ?? ['lowercase-version', 'unknown-type', 'extra-field'],
    );
  }
  sendJson(res, 200, body, fault?.kind === 'html-content-type' ? 'text/html' : JSON_CONTENT_TYPE);
  return { status: 200 };
}

/** The reports: the body is checked (400 InvalidParameters…), then answered from the ledger. */
function answerReport(
  res: ServerResponse,
  resource: 'reports/transactions' | 'reports/summary',
  rawBody: Buffer,
  world: ApiWorld,
  fault: ActiveFault | undefined,
): { status: number; subject?: string } {
  const request = readReportRequest(resource, rawBody);
  if (isErrorAnswer(request)) {
    sendLmpiError(res, request);
    return { status: request.status, subject: request.subject };
  }
  const body =
    resource === 'reports/transactions'
      ? transactionReportBody(world.ledger(), request)
      : customerSummaryBody(world.ledger(), request, world.catalogue());
  sendJson(res, 200, body, fault?.kind === 'html-content-type' ? 'text/html' : JSON_CONTENT_TYPE);
  return { status: 200 };
}

function failWith(
  res: ServerResponse,
  fault: ActiveFault | undefined,
): { status: number; subject?: string } | undefined {
  switch (fault?.kind) {
    case 'internal-error': {
      const error = lmpiError('InternalError');
      sendLmpiError(res, error);
      return { status: error.status, subject: error.subject };
    }
    case 'unavailable':
      res.writeHead(503, { 'content-type': 'text/html' });
      res.end('<html><body><h1>503 Service Unavailable</h1></body></html>');
      return { status: 503 };
    case 'rate-limit': {
      const seconds = String(fault.retryAfterSeconds ?? 1);
      sendLmpiError(
        res,
        { status: 429, subject: 'TooManyRequests', message: 'Too many requests.' },
        { 'retry-after': seconds },
      );
      return { status: 429, subject: 'TooManyRequests' };
    }
    case 'hang':
      return { status: 0 }; // never answered; the socket is destroyed when the sandbox closes
    case 'malformed-json':
      res.writeHead(200, { 'content-type': JSON_CONTENT_TYPE });
      res.end('{"partner_id":"6c1f8a52-4d1e-4b8e-9a57-2f0d3c9e8b41","products":[{"product_id":');
      return { status: 200 };
    default:
      return undefined;
  }
}
