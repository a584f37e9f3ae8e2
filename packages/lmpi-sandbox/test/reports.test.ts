import { randomUUID } from 'node:crypto';
import { createLmpiClient } from '@licensewatch/client';
import { lmpiHeaders } from '@licensewatch/client/signer';
import { parseCustomerSummaryStrict, parseTransactionReportStrict } from '@licensewatch/schema';
import { afterEach, describe, expect, it } from 'vitest';
import { SANDBOX_CUSTOMERS, SUB_VENDOR } from '../src/fixtures.js';
import { createSandbox, type PartnerRole, type Sandbox } from '../src/index.js';

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

/** A sandbox and a client sharing one movable clock (15 July 2025, 12:00 UTC to start). */
async function start(startAt = Date.UTC(2025, 6, 15, 12)) {
  const clock = { now: startAt };
  sandbox = await createSandbox({ now: () => clock.now });
  const box = sandbox;
  const clientFor = (role: PartnerRole = 'distributor') =>
    createLmpiClient({ baseUrl: box.url, ...box.credentials[role], now: () => clock.now, retry: false });
  return { box, clock, client: clientFor(), clientFor };
}

const WFBS = 'NNZBXXE1X';
const WFBS_ID = '1b6c4e7a-93d2-4f0b-8c55-0a7e2d9f4b13';
const CUSTOMER_NAMES = SANDBOX_CUSTOMERS.map((c) => c.name);

/** A raw POST: signed over `signedBody`, sending `sentBody` (the same unless a test tampers). */
async function rawPost(
  box: Sandbox,
  path: string,
  sentBody: string,
  options: { signedBody?: string; role?: PartnerRole; now?: number; headers?: Record<string, string> } = {},
) {
  const { accessToken, secretKey } = box.credentials[options.role ?? 'distributor'];
  const headers = {
    ...lmpiHeaders({
      accessToken,
      secretKey,
      traceId: randomUUID(),
      posixTime: Math.floor((options.now ?? Date.now()) / 1000),
      method: 'POST',
      uri: path,
      body: options.signedBody ?? sentBody,
    }),
    ...options.headers,
  };
  const response = await fetch(box.url + path, { method: 'POST', headers, body: sentBody });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe('who drained it: pool drops become customer transactions', () => {
  it('records a drop of 65 as named customers’ allocations that add up to 65, and the summary agrees', async () => {
    const { box, client } = await start();
    box.controls.setAvailable(WFBS, 120);
    box.controls.setAvailable(WFBS, 55);

    const { transactions, warnings } = await client.reportTransactions({ year: 2025, month: 7, productId: WFBS_ID });
    expect(warnings).toEqual([]);
    expect(transactions.reduce((sum, t) => sum + t.changeUnits, 0)).toBe(65);
    expect(transactions.length).toBeGreaterThan(1);
    for (const t of transactions) {
      expect(CUSTOMER_NAMES).toContain(t.customerCompany);
      expect(t.productName).toBe('Worry-Free Business Security Services');
      expect(t.type).toBe('New Purchase');
      expect(t.unitsAllocated).toBe((t.previousUnitsAllocated ?? Number.NaN) + t.changeUnits);
    }
    expect(transactions.map((t) => t.customerCompany)).toContain('Müller & Söhne GmbH');

    const { summary } = await client.reportCustomerSummary({ year: 2025, month: 7, productId: WFBS_ID });
    expect(summary.reduce((sum, row) => sum + row.provisioned, 0)).toBe(65);
    for (const row of summary) {
      const allocated = transactions.filter((t) => t.customerCompany === row.customer);
      expect(row.provisioned).toBe(allocated.reduce((sum, t) => sum + t.changeUnits, 0));
      expect(row.usage).toBe('reported'); // WFBS is SaaS: it reports usage
    }
    // Nothing in June, and nothing for another product.
    expect((await client.reportTransactions({ year: 2025, month: 6 })).transactions).toEqual([]);
    expect(box.controls.transactions({ product: 'CCZBXXE1X' })).toEqual([]);
  });

  it('records a refill as nothing: available going up is not a customer allocation', async () => {
    const { box } = await start();
    box.controls.setAvailable(WFBS, 10);
    const before = box.controls.transactions().length;
    box.controls.setAvailable(WFBS, 500);
    expect(box.controls.transactions()).toHaveLength(before);
  });

  it('records a clock-based drain in the month each unit was taken, split at the month boundary', async () => {
    // One license a minute from 23:49:30: units 1-10 go at 23:50:30-23:59:30, units 11-20 at 00:00:30-00:09:30.
    const { box, clock, client } = await start(Date.UTC(2025, 6, 31, 23, 49, 30));
    box.controls.setAvailable(WFBS, 100);
    const recordedBefore = box.controls.transactions().length;
    box.controls.drain(WFBS, 1);
    clock.now += 20 * 60_000; // 00:09:30 on 1 August
    expect(box.controls.catalogue().find((p) => p.product_code === WFBS)?.available).toBe(80);
    const sum = (list: { changeUnits: number }[]) => list.reduce((total, t) => total + t.changeUnits, 0);
    const july = box.controls.transactions({ year: 2025, month: 7, product: WFBS });
    expect(sum(july.slice(recordedBefore))).toBe(10);
    const august = await client.reportTransactions({ year: 2025, month: 8, productId: WFBS_ID });
    expect(sum(august.transactions)).toBe(10);
    expect(august.transactions.every((t) => t.newStartChargeDate?.startsWith('2025-08-01T00:'))).toBe(true);
    const summary = await client.reportCustomerSummary({ year: 2025, month: 8, productId: WFBS_ID });
    expect(summary.summary.reduce((total, row) => total + row.provisioned, 0)).toBe(sum(box.controls.transactions()));
  });
});

describe('report endpoints', () => {
  it('answers Distributor, ISP and MSP alike (no report field is pricing) and refuses a Reseller with 403', async () => {
    const { box, clientFor } = await start();
    box.controls.setAvailable(WFBS, 90);
    const bodies = [];
    for (const role of ['distributor', 'isp', 'msp'] as const) {
      bodies.push(await clientFor(role).reportTransactions({ year: 2025, month: 7 }));
      bodies.push(await clientFor(role).reportCustomerSummary({ year: 2025, month: 7 }));
    }
    expect(bodies[2]?.traceId).not.toBe(bodies[0]?.traceId);
    const strip = ({ traceId: _t, ...rest }: { traceId: string }) => rest;
    expect(strip(bodies[2] as { traceId: string })).toEqual(strip(bodies[0] as { traceId: string }));
    expect(strip(bodies[5] as { traceId: string })).toEqual(strip(bodies[1] as { traceId: string }));
    for (const path of ['/LMPI/v2/reports/transactions', '/LMPI/v2/reports/summary']) {
      const reseller = await rawPost(box, path, '{"report_cycle_year":"2025","report_cycle_month":"07"}', {
        role: 'reseller',
        now: Date.UTC(2025, 6, 15, 12),
      });
      expect([reseller.status, reseller.json.error_subject]).toEqual([403, 'AuthorizationFailureRole']);
    }
  });

  it('serves documented shapes: strings for transaction counts, the spaced date key, null used for software', async () => {
    const { box } = await start();
    const software = box.controls.catalogue().find((p) => p.type === 'Software');
    box.controls.setAvailable(WFBS, 100);
    box.controls.setAvailable(software?.product_code ?? '', 0);
    const now = Date.UTC(2025, 6, 15, 12);
    const body = '{"report_cycle_year":"2025","report_cycle_month":"07"}';
    const transactions = await rawPost(box, '/LMPI/v2/reports/transactions', body, { now });
    expect(parseTransactionReportStrict(transactions.json).transactions.length).toBeGreaterThan(0);
    const first = (transactions.json.transaction as Record<string, unknown>[])[0];
    expect(first).toMatchObject({ change_units: expect.stringMatching(/^\d+$/), 'previous_start_charge _date': '' });
    const summary = await rawPost(box, '/LMPI/v2/reports/summary', body, { now });
    const rows = parseCustomerSummaryStrict(summary.json).summary;
    expect(rows.some((row) => row.usage === 'not-reported' && row.productName === software?.product_name)).toBe(true);
    expect(rows.some((row) => row.usage === 'reported')).toBe(true);
  });

  it('rejects a body changed after signing, and hashes exactly the bytes sent (spaces included)', async () => {
    const { box } = await start();
    const now = Date.UTC(2025, 6, 15, 12);
    const path = '/LMPI/v2/reports/summary';
    const compact = '{"report_cycle_year":"2025","report_cycle_month":"07"}';
    const spaced = '{"report_cycle_year": "2025", "report_cycle_month": "07"}';
    const tampered = await rawPost(box, path, compact.replace('07', '06'), { signedBody: compact, now });
    expect([tampered.status, tampered.json.error_subject]).toEqual([401, 'AuthenticationFailureSignature']);
    const reformatted = await rawPost(box, path, spaced, { signedBody: compact, now });
    expect([reformatted.status, reformatted.json.error_subject]).toEqual([401, 'AuthenticationFailureSignature']);
    const signedAsSent = await rawPost(box, path, spaced, { now });
    expect(signedAsSent.status).toBe(200);
    expect(signedAsSent.json).toEqual({ summary: [] });
    const unsignedBody = await rawPost(box, path, compact, { signedBody: '', now });
    expect(unsignedBody.json.error_subject).toBe('AuthenticationFailureSignature');
  });

  it.each([
    ['{"report_cycle_year":"2025","report_cycle_month":"7"}', 'InvalidParametersReportCycleMonth'],
    ['{"report_cycle_year":2025,"report_cycle_month":"07"}', 'InvalidParametersReportCycleYear'],
    ['{"report_cycle_month":"07"}', 'InvalidParametersReportCycleYear'],
    [
      '{"report_cycle_year":"2025","report_cycle_month":"07","transaction_type":"Refund"}',
      'InvalidParametersTransactionType',
    ],
    ['{"report_cycle_year":"2025","report_cycle_month":"07","product_id":"NNZBXXE1X"}', 'InvalidParametersProductId'],
    ['{"report_cycle_year":"2025",', 'InvalidParameters'],
  ])('answers the transaction body %s with 400 %s', async (body, subject) => {
    const { box } = await start();
    const answer = await rawPost(box, '/LMPI/v2/reports/transactions', body, { now: Date.UTC(2025, 6, 15, 12) });
    expect([answer.status, answer.json.error_subject]).toEqual([400, subject]);
  });

  it('wants a JSON content type (415) and POST (405)', async () => {
    const { box } = await start();
    const now = Date.UTC(2025, 6, 15, 12);
    const body = '{"report_cycle_year":"2025","report_cycle_month":"07"}';
    const plain = await rawPost(box, '/LMPI/v2/reports/summary', body, {
      now,
      headers: { 'content-type': 'text/plain' },
    });
    expect([plain.status, plain.json.error_subject]).toEqual([415, 'InvalidHeaderContentType']);
    const bare = await rawPost(box, '/LMPI/v2/reports/summary', body, {
      now,
      headers: { 'content-type': 'application/json' },
    });
    expect(bare.status).toBe(200);
    const { accessToken, secretKey } = box.credentials.distributor;
    const headers = lmpiHeaders({
      accessToken,
      secretKey,
      traceId: randomUUID(),
      posixTime: Math.floor(now / 1000),
      method: 'GET',
      uri: '/LMPI/v2/reports/summary',
    });
    const get = await fetch(`${box.url}/LMPI/v2/reports/summary`, { headers });
    expect(get.status).toBe(405);
  });
});

describe('seeded history and filters', () => {
  it('serves seeded transactions by month, type and partner, with names that need escaping intact', async () => {
    const { box, client } = await start();
    box.controls.seedTransactions([
      { at: '2025-06-03T10:00:00Z', customer: 'Acme, Inc.', product: WFBS, changeUnits: 40 },
      { at: '2025-06-10T10:00:00Z', customer: 'Café "Le Rendez-vous" SARL', product: WFBS, changeUnits: 8 },
      { at: '2025-06-20T10:00:00Z', customer: 'Acme, Inc.', product: WFBS, changeUnits: -5 },
      {
        at: '2025-06-25T10:00:00Z',
        customer: 'Ærø Tandlæger ApS',
        product: WFBS,
        changeUnits: 0,
        type: 'License Convert',
      },
      {
        at: '2025-06-26T10:00:00Z',
        customer: 'Ærø Tandlæger ApS',
        product: WFBS,
        changeUnits: 3,
        type: 'Suite composition change',
      },
    ]);
    const june = await client.reportTransactions({ year: 2025, month: 6 });
    expect(june.transactions.map((t) => [t.customerCompany, t.type, t.changeUnits])).toEqual([
      ['Acme, Inc.', 'New Purchase', 40],
      ['Café "Le Rendez-vous" SARL', 'New Purchase', 8],
      ['Acme, Inc.', 'License Change', -5],
      ['Ærø Tandlæger ApS', 'License Convert', 0],
      ['Ærø Tandlæger ApS', 'Suite composition change', 3],
    ]);
    expect(june.warnings.map((w) => `${w.kind}:${w.field}`)).toEqual(['unexpected-value:type']);
    const changes = await client.reportTransactions({ year: 2025, month: 6, type: 'License Change' });
    expect(changes.transactions.map((t) => t.previousUnitsAllocated)).toEqual([40]);

    const { summary } = await client.reportCustomerSummary({ year: 2025, month: 7 });
    expect(summary.map((row) => [row.customer, row.provisioned])).toEqual([
      ['Acme, Inc.', 35],
      ['Café "Le Rendez-vous" SARL', 8],
      ['Ærø Tandlæger ApS', 3],
    ]);
    const sub = await client.reportCustomerSummary({ year: 2025, month: 7, partnerId: SUB_VENDOR.partnerId });
    expect(sub.summary.map((row) => row.customer)).toEqual(['Ærø Tandlæger ApS']);
    expect((await client.reportCustomerSummary({ year: 2025, month: 5 })).summary).toEqual([]);
  });

  it('refuses seeds it cannot place, naming the problem', async () => {
    const { box } = await start();
    expect(() =>
      box.controls.seedTransactions([{ at: 0, customer: 'Nobody Ltd', product: WFBS, changeUnits: 1 }]),
    ).toThrow(/no sandbox customer "Nobody Ltd"/);
    expect(() =>
      box.controls.seedTransactions([
        { at: '2025-07-01T00:00:00Z', customer: 'Acme, Inc.', product: WFBS, changeUnits: -1 },
      ]),
    ).toThrow(/holds 0 units/);
  });

  it('allocates a later drop around a customer whose seeded history reaches past it', async () => {
    const { box } = await start();
    box.controls.seedTransactions([
      { at: '2025-12-01T00:00:00Z', customer: 'Müller & Söhne GmbH', product: WFBS, changeUnits: 3 },
    ]);
    box.controls.setAvailable(WFBS, 110);
    const july = box.controls.transactions({ year: 2025, month: 7 });
    expect(july.reduce((sum, t) => sum + t.changeUnits, 0)).toBe(10);
    expect(july.map((t) => t.customer.name)).not.toContain('Müller & Söhne GmbH');
  });

  it('reads and seeds transactions over the loopback admin API', async () => {
    const { box } = await start();
    const seed = await fetch(`${box.url}/__sandbox/transactions`, {
      method: 'POST',
      body: JSON.stringify({
        transactions: [{ at: '2025-07-02T09:00:00Z', customer: 'Smith Plumbing', product: WFBS, changeUnits: 4 }],
      }),
    });
    expect(seed.status).toBe(200);
    const read = (await (await fetch(`${box.url}/__sandbox/transactions`)).json()) as {
      result: { customer: { name: string }; changeUnits: number }[];
    };
    expect(read.result.map((t) => [t.customer.name, t.changeUnits])).toEqual([['Smith Plumbing', 4]]);
  });
});
