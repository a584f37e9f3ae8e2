import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { lmpiHeaders } from '@licensewatch/client';
import { Verifier } from '@pact-foundation/pact';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type PartnerRole, type Sandbox } from '../src/index.js';

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
}

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
      },
      requestFilter: (req: ReplayedRequest, _res: unknown, next: () => void) => {
        // The filter also sees the verifier's own state-setup calls: only LMPI requests are signed.
        if (!(req.originalUrl ?? req.url).startsWith('/LMPI/')) {
          next();
          return;
        }
        const credentials = sandbox.credentials[plan.role];
        const headers = lmpiHeaders({
          accessToken: credentials.accessToken,
          secretKey: plan.wrongSecret ? `${credentials.secretKey}-not` : credentials.secretKey,
          traceId: randomUUID(),
          posixTime: Math.floor(Date.now() / 1000) + plan.clockOffsetSeconds,
          method: req.method,
          uri: req.originalUrl ?? req.url,
        });
        Object.assign(req.headers, headers);
        replayed.push(`${req.method} ${req.originalUrl ?? req.url} as ${plan.role}`);
        next();
      },
    });
    await verifier.verifyProvider();
    // Every interaction reached the sandbox through the re-signing filter.
    expect(replayed).toHaveLength(7);
    expect(sandbox.requests.map((r) => `${r.status}${r.subject ? ` ${r.subject}` : ''}`).sort()).toEqual(
      [
        '200',
        '200',
        '200',
        '200',
        '401 AuthenticationFailurePosixTime',
        '401 AuthenticationFailureSignature',
        '500 InternalError',
      ].sort(),
    );
  });
});
