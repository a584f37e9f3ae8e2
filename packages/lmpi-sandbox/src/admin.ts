import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import type { StoredProduct } from './catalogue.js';
import { DRIFT_VARIANTS, FAULT_KINDS } from './faults.js';
import { sendJson } from './http.js';
import { type Scenario, ScenarioError } from './scenario.js';

/** Admin routes live under this prefix and answer loopback clients only. */
export const ADMIN_PREFIX = '/__sandbox';

const productSchema = z.looseObject({ product_id: z.string().min(1), product_code: z.string().min(1) });
const faultSchema = z.strictObject({
  kind: z.enum(FAULT_KINDS),
  count: z.number().int().positive().optional(),
  forMs: z.number().positive().optional(),
  latencyMs: z.number().int().nonnegative().optional(),
  retryAfterSeconds: z.number().int().nonnegative().optional(),
  drift: z.array(z.enum(DRIFT_VARIANTS)).optional(),
});

const seedSchema = z.strictObject({
  at: z.union([z.number(), z.string()]),
  customer: z.string(),
  product: z.string(),
  changeUnits: z.number().int(),
  type: z.string().min(1).optional(),
});

interface AdminContext {
  scenario: Scenario;
  requestLog: () => unknown[];
}

type Route = { method: string; pattern: RegExp; run: (ctx: AdminContext, params: string[], body: unknown) => unknown };

const routes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/state$/,
    run: (ctx) => ({ products: ctx.scenario.catalogue(), faults: ctx.scenario.activeFaults() }),
  },
  { method: 'GET', pattern: /^\/requests$/, run: (ctx) => ctx.requestLog() },
  { method: 'POST', pattern: /^\/reset$/, run: (ctx) => ctx.scenario.reset() },
  {
    method: 'PUT',
    pattern: /^\/products\/([^/]+)\/available$/,
    run: (ctx, [match], body) =>
      ctx.scenario.setAvailable(match ?? '', z.object({ available: z.number() }).parse(body).available),
  },
  {
    method: 'POST',
    pattern: /^\/products\/([^/]+)\/drain$/,
    run: (ctx, [match], body) =>
      ctx.scenario.drain(match ?? '', z.object({ perMinute: z.number() }).parse(body).perMinute),
  },
  {
    method: 'DELETE',
    pattern: /^\/products\/([^/]+)\/drain$/,
    run: (ctx, [match]) => ctx.scenario.stopDrain(match ?? ''),
  },
  {
    method: 'POST',
    pattern: /^\/products$/,
    run: (ctx, _p, body) => ctx.scenario.addProduct(productSchema.parse(body) as StoredProduct),
  },
  {
    method: 'PUT',
    pattern: /^\/products$/,
    run: (ctx, _p, body) =>
      ctx.scenario.replaceCatalogue(
        z.object({ products: z.array(productSchema) }).parse(body).products as StoredProduct[],
      ),
  },
  {
    method: 'DELETE',
    pattern: /^\/products\/([^/]+)$/,
    run: (ctx, [match]) => ctx.scenario.removeProduct(match ?? ''),
  },
  { method: 'GET', pattern: /^\/transactions$/, run: (ctx) => ctx.scenario.transactions() },
  {
    method: 'POST',
    pattern: /^\/transactions$/,
    run: (ctx, _p, body) =>
      ctx.scenario.seedTransactions(z.object({ transactions: z.array(seedSchema) }).parse(body).transactions),
  },
  { method: 'POST', pattern: /^\/faults$/, run: (ctx, _p, body) => ctx.scenario.injectFault(faultSchema.parse(body)) },
  { method: 'DELETE', pattern: /^\/faults$/, run: (ctx) => ctx.scenario.faults.clear() },
];

/** Handles one admin request: `/__sandbox/…`, JSON in and out. */
export function handleAdmin(
  res: ServerResponse,
  method: string,
  path: string,
  rawBody: Buffer,
  ctx: AdminContext,
): void {
  const subPath = path.slice(ADMIN_PREFIX.length) || '/';
  for (const route of routes) {
    const found = route.pattern.exec(subPath);
    if (!found || route.method !== method) continue;
    try {
      const body = rawBody.length > 0 ? JSON.parse(rawBody.toString('utf8')) : undefined;
      const params = found.slice(1).map((p) => decodeURIComponent(p));
      sendJson(res, 200, { ok: true, result: route.run(ctx, params, body) ?? null });
    } catch (error) {
      const message =
        error instanceof z.ZodError
          ? z.prettifyError(error)
          : error instanceof ScenarioError || error instanceof SyntaxError
            ? error.message
            : String(error);
      sendJson(res, error instanceof ScenarioError && /^no (product|sandbox customer)/.test(message) ? 404 : 400, {
        ok: false,
        error: message,
      });
    }
    return;
  }
  sendJson(res, 404, {
    ok: false,
    error: `no admin route ${method} ${path}`,
    routes: routes.map((r) => `${r.method} ${ADMIN_PREFIX}${r.pattern.source.replace(/[\^$\\]/g, '')}`),
  });
}
