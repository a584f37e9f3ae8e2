import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { lmpiHeaders } from '@licensewatch/client/signer';
import { Verifier } from '@pact-foundation/pact';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSandbox,
  type PartnerRole,
  type Sandbox,
  type StoredProduct,
  type TransactionSeed,
  VISION_ONE_MARKER,
} from '../src/index.js';

// Provider verification: replays the committed consumer pact against the sandbox. Replayed requests
// carry the pact's example headers, so the request filter re-signs each one with sandbox
// credentials (as the state asks: which role, a wrong secret, a stale clock). The sandbox verifies
// with its own code, independent of the client's signer used here.

const PACT_FILE = fileURLToPath(new URL('../../../pacts/licensewatch-client-trend-micro-lmpi.json', import.meta.url));

interface ReplayPlan {
  role: PartnerRole;
  wrongSecret: boolean;
  clockOffsetSeconds: number;
}

/** The parts of the verifier proxy's (express) request the filter touches. */
interface ReplayedRequest {
  method: string;
  url: string;
  originalUrl?: string;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed by the proxy's body-parser: an object for JSON, a Buffer for other bodies, else undefined. */
  body?: unknown;
}

/**
 * The body bytes the verifier proxy will forward: it re-serialises a parsed JSON body with
 * JSON.stringify (pact-js proxy/parseBody.js), so that, not the pact's text, is what must be signed.
 */
function forwardedBody(req: ReplayedRequest): string | undefined {
  if (Buffer.isBuffer(req.body)) return req.body.length > 0 ? req.body.toString('utf8') : undefined;
  if (req.body && typeof req.body === 'object') return JSON.stringify(req.body);
  return undefined;
}

/**
 * A month of customer transactions like the schema's realistic fixture: new purchases, a license
 * change, a decrease and a conversion (with June history), for the month the consumer asks about.
 */
function monthOfTransactions(params: { year?: string; month?: string } = {}): TransactionSeed[] {
  const year = Number(params.year ?? '2025');
  const month = Number(params.month ?? '07');
  const day = (d: number, monthsBack = 0) => Date.UTC(year, month - 1 - monthsBack, d, 10);
  const wfbs = 'NNZBXXE1X';
  const cas = 'CCZBXXE1X';
  return [
    { at: day(5, 1), customer: 'Café "Le Rendez-vous" SARL', product: cas, changeUnits: 12 },
    { at: day(6, 1), customer: '株式会社サンプル商事', product: cas, changeUnits: 5, type: 'New Purchase' },
    { at: day(2), customer: 'Müller & Söhne GmbH', product: wfbs, changeUnits: 25 },
    { at: day(3), customer: 'Acme, Inc.', product: wfbs, changeUnits: 40 },
    { at: day(9), customer: 'Müller & Söhne GmbH', product: wfbs, changeUnits: 5 },
    { at: day(14), customer: 'Café "Le Rendez-vous" SARL', product: cas, changeUnits: -4 },
    { at: day(18), customer: '株式会社サンプル商事', product: cas, changeUnits: 0, type: 'License Convert' },
    { at: day(22), customer: "O'Connor & Partners LLP", product: cas, changeUnits: 15 },
  ];
}

/** The Vision One pool a v3 state names: one product whose plans only v3 lists (marked for the sandbox). */
function visionOnePool(params: { productId?: string; productCode?: string }): StoredProduct {
  return {
    product_id: params.productId ?? '7e1c9a3b-5d2f-4b8e-a6c4-1f3e5d7b9a20',
    product_code: params.productCode ?? 'TVOAXXE1X',
    product_name: 'Trend Vision One Endpoint Security',
    type: 'SaaS',
    version: 'Full',
    available: 120,
    service_plans: [
      {
        name: 'Trend Vision One Full 12 months',
        id: 'b1b2b3b4-0000-4000-8000-000000000001',
        [VISION_ONE_MARKER]: true,
      },
      { name: 'Trend Vision One Trial 1 month', id: 'b1b2b3b4-0000-4000-8000-000000000002', [VISION_ONE_MARKER]: true },
    ],
  };
}

type VisionOneParams = { year?: string; month?: string; productId?: string; productCode?: string };

let sandbox: Sandbox;
let plan: ReplayPlan = { role: 'distributor', wrongSecret: false, clockOffsetSeconds: 0 };
const replayed: string[] = [];

function given(change: Partial<ReplayPlan>, prepare: () => void = () => undefined) {
  return async () => {
    sandbox.controls.reset();
    plan = { role: 'distributor', wrongSecret: false, clockOffsetSeconds: 0, ...change };
    prepare();
    return undefined;
  };
}

beforeAll(async () => {
  sandbox = await createSandbox();
});
afterAll(async () => {
  await sandbox.close();
});

describe('trend-micro-lmpi provider (the sandbox) honours the licensewatch-client pact', () => {
  it('verifies every interaction', { timeout: 60_000 }, async () => {
    const verifier = new Verifier({
      provider: 'trend-micro-lmpi',
      providerBaseUrl: sandbox.url,
      pactUrls: [PACT_FILE],
      logLevel: 'warn',
      stateHandlers: {
        'a Distributor partner with products': given({ role: 'distributor' }),
        'an MSP partner with products': given({ role: 'msp' }),
        'a partner with no products': given({}, () => sandbox.controls.replaceCatalogue([])),
        'the request signature does not verify': given({ wrongSecret: true }),
        'the client clock is more than 15 minutes off': given({ clockOffsetSeconds: -20 * 60 }),
        'LMPI fails with an internal error': given({}, () =>
          sandbox.controls.injectFault({ kind: 'internal-error', count: 1 }),
        ),
        'a partner with service plans': given({}),
        'customers were allocated licenses in the report month': async (params: unknown) => {
          await given({})();
          sandbox.controls.seedTransactions(monthOfTransactions(params as { year?: string; month?: string }));
          return undefined;
        },
        'no customer transactions in the report month': given({}),
        'a Reseller partner': given({ role: 'reseller' }),
        'a Distributor partner with a Trend Vision One pool': async (params: unknown) => {
          await given({}, () => sandbox.controls.replaceCatalogue([visionOnePool(params as VisionOneParams)]))();
          return undefined;
        },
        'a Trend Vision One pool was drained in the report month': async (params: unknown) => {
          const { year = '2025', month = '07', ...pool } = params as VisionOneParams;
          await given({}, () => sandbox.controls.replaceCatalogue([visionOnePool(pool)]))();
          const at = (day: number) => Date.UTC(Number(year), Number(month) - 1, day, 10);
          const code = visionOnePool(pool).product_code;
          sandbox.controls.seedTransactions([
            { at: at(4), customer: 'Acme, Inc.', product: code, changeUnits: 40 },
            { at: at(12), customer: 'Müller & Söhne GmbH', product: code, changeUnits: 25 },
          ]);
          return undefined;
        },
      },
      requestFilter: (req: ReplayedRequest, _res: unknown, next: () => void) => {
        // The filter also sees the verifier's own state-setup calls: only LMPI requests are signed.
        if (!(req.originalUrl ?? req.url).startsWith('/LMPI/')) {
          next();
          return;
        }
        const credentials = sandbox.credentials[plan.role];
        const body = forwardedBody(req);
        if (body !== undefined) req.headers['content-length'] = String(Buffer.byteLength(body));
        const headers = lmpiHeaders({
          accessToken: credentials.accessToken,
          secretKey: plan.wrongSecret ? `${credentials.secretKey}-not` : credentials.secretKey,
          traceId: randomUUID(),
          posixTime: Math.floor(Date.now() / 1000) + plan.clockOffsetSeconds,
          method: req.method,
          uri: req.originalUrl ?? req.url,
          ...(body !== undefined ? { body } : {}),
        });
        Object.assign(req.headers, headers);
        replayed.push(`${req.method} ${req.originalUrl ?? req.url} as ${plan.role}`);
        next();
      },
    });
    await verifier.verifyProvider();
    // Every interaction reached the sandbox through the re-signing filter.
    expect(replayed).toHaveLength(19);
    expect(replayed.filter((line) => line.startsWith('POST /LMPI/v2/reports/'))).toHaveLength(8);
    // The v3 interactions went to, and were signed over, /LMPI/v3 paths.
    expect(replayed.filter((line) => line.includes(' /LMPI/v3/')).sort()).toEqual([
      'GET /LMPI/v3/me/serviceplans as distributor',
      'GET /LMPI/v3/partners/product as distributor',
      'POST /LMPI/v3/reports/transactions as distributor',
    ]);
    expect(sandbox.requests.map((r) => `${r.status}${r.subject ? ` ${r.subject}` : ''}`).sort()).toEqual(
      [
        ...Array.from({ length: 14 }, () => '200'),
        '401 AuthenticationFailurePosixTime',
        '401 AuthenticationFailureSignature',
        '401 AuthenticationFailureSignature',
        '403 AuthorizationFailureRole',
        '500 InternalError',
      ].sort(),
    );
  });
});
