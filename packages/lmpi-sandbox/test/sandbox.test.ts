import { randomUUID } from 'node:crypto';
import { createLmpiClient, isLmpiHttpError, LmpiResponseShapeError, LmpiTimeoutError } from '@licensewatch/client';
import { lmpiHeaders } from '@licensewatch/client/signer';
import { parseProductCatalogueStrict, parseServicePlansStrict } from '@licensewatch/schema';
import { afterEach, describe, expect, it } from 'vitest';
import { LONGEST_NAME, NON_ASCII_NAME } from '../src/catalogue.js';
import { createSandbox, type PartnerRole, type Sandbox } from '../src/index.js';

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

async function start(options: Parameters<typeof createSandbox>[0] = {}): Promise<Sandbox> {
  sandbox = await createSandbox(options);
  return sandbox;
}

function clientFor(
  box: Sandbox,
  role: PartnerRole = 'distributor',
  extra: Partial<Parameters<typeof createLmpiClient>[0]> = {},
) {
  const { accessToken, secretKey } = box.credentials[role];
  return createLmpiClient({
    baseUrl: box.url,
    accessToken,
    secretKey,
    retry: { baseDelayMs: 5, maxDelayMs: 10 },
    ...extra,
  });
}

/** A raw signed request, to see the exact body and headers LMPI-like answers carry. */
async function rawGet(
  box: Sandbox,
  path: string,
  role: PartnerRole = 'distributor',
  headers: Record<string, string | undefined> = {},
) {
  const { accessToken, secretKey } = box.credentials[role];
  const signed: Record<string, string | undefined> = {
    ...lmpiHeaders({
      accessToken,
      secretKey,
      traceId: randomUUID(),
      posixTime: Math.floor(Date.now() / 1000),
      method: 'GET',
      uri: path,
    }),
    ...headers,
  };
  const clean = Object.fromEntries(Object.entries(signed).filter(([, v]) => v !== undefined)) as Record<string, string>;
  const response = await fetch(box.url + path, { headers: clean });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

describe('product list', () => {
  it('serves a documented-shape default catalogue with the edge cases', async () => {
    const box = await start();
    const { status, text } = await rawGet(box, '/LMPI/v2/partners/product');
    expect(status).toBe(200);
    const catalogue = parseProductCatalogueStrict(JSON.parse(text));
    expect(catalogue.products.length).toBeGreaterThanOrEqual(60);
    expect(catalogue.products.slice(0, 2).map((p) => p.productCode)).toEqual(['NNZBXXE1X', 'CCZBXXE1X']);
    const names = catalogue.products.map((p) => p.productName);
    expect(names).toContain(LONGEST_NAME);
    expect(LONGEST_NAME).toHaveLength(150);
    expect(names).toContain(NON_ASCII_NAME);
    expect(catalogue.products.some((p) => p.available === 0)).toBe(true);
    expect(new Set(catalogue.products.map((p) => p.version))).toEqual(new Set(['Trial', 'Full']));
    expect(new Set(catalogue.products.map((p) => p.type))).toEqual(new Set(['SaaS', 'Software', 'Suite']));
    const planCounts = catalogue.products.map((p) => p.servicePlans.length);
    expect(Math.min(...planCounts)).toBe(0);
    expect(Math.max(...planCounts)).toBeGreaterThanOrEqual(25);
    expect(catalogue.products.every((p) => p.used === 0)).toBe(true);
  });

  it('gives used to a Distributor and an ISP, not to an MSP, and refuses a Reseller', async () => {
    const box = await start();
    for (const role of ['distributor', 'isp'] as const) {
      expect(JSON.parse((await rawGet(box, '/LMPI/v2/partners/product', role)).text).products[0]).toHaveProperty(
        'used',
        0,
      );
    }
    const msp = JSON.parse((await rawGet(box, '/LMPI/v2/partners/product', 'msp')).text);
    expect(msp.products.some((p: object) => 'used' in p)).toBe(false);
    const reseller = await rawGet(box, '/LMPI/v2/partners/product', 'reseller');
    expect(reseller.status).toBe(403);
    expect(JSON.parse(reseller.text)).toEqual({
      error_subject: 'AuthorizationFailureRole',
      error_message: 'The partner role of this access token may not call this API.',
    });
    const plans = await rawGet(box, '/LMPI/v2/me/serviceplans', 'reseller');
    expect(plans.status).toBe(200);
  });

  it('serves the service plans of the catalogue as a documented top-level array (v2 without Vision One)', async () => {
    const box = await start();
    const stored = box.controls.catalogue().flatMap((p) => p.service_plans as Record<string, unknown>[]);
    const visionOne = stored.filter((plan) => plan.vision_one === true).length;
    expect(visionOne).toBeGreaterThan(0);
    const v2 = parseServicePlansStrict(JSON.parse((await rawGet(box, '/LMPI/v2/me/serviceplans')).text));
    expect(v2).toHaveLength(stored.length - visionOne);
    const v3 = parseServicePlansStrict(JSON.parse((await rawGet(box, '/LMPI/v3/me/serviceplans')).text));
    expect(v3).toHaveLength(stored.length);
  });

  it('works end to end with the real client', async () => {
    const box = await start();
    const result = await clientFor(box).listProducts();
    expect(result.products).toHaveLength(box.controls.catalogue().length);
    expect(result.warnings).toEqual([]);
  });
});

describe('general errors (reference §2.2)', () => {
  it.each([
    ['x-access-token', 400, 'MissingHeaderAccessToken'],
    ['x-posix-time', 400, 'MissingHeaderPosixTime'],
    ['x-signature', 400, 'MissingHeaderSignature'],
    ['x-traceid', 400, 'MissingHeaderTraceID'],
  ])('answers a request without %s with %i %s', async (name, status, subject) => {
    const box = await start();
    const answer = await rawGet(box, '/LMPI/v2/partners/product', 'distributor', { [name]: undefined });
    expect(answer.status).toBe(status);
    expect(JSON.parse(answer.text)).toMatchObject({ error_subject: subject, error_message: expect.any(String) });
  });

  it('answers a bad content-type, token, time and signature like LMPI', async () => {
    const box = await start();
    const cases: [Record<string, string>, number, string][] = [
      [{ 'content-type': 'text/xml' }, 415, 'InvalidHeaderContentType'],
      [{ 'x-access-token': randomUUID() }, 401, 'InvalidHeaderAccessToken'],
      [{ 'x-posix-time': String(Math.floor(Date.now() / 1000) - 20 * 60) }, 401, 'AuthenticationFailurePosixTime'],
      [{ 'x-signature': 'L6rdaydcJ32rlPVdb0vtokEwGvp7/hk/llxsGeMGaoU=' }, 401, 'AuthenticationFailureSignature'],
    ];
    for (const [headers, status, subject] of cases) {
      const answer = await rawGet(box, '/LMPI/v2/partners/product', 'distributor', headers);
      expect([answer.status, JSON.parse(answer.text).error_subject]).toEqual([status, subject]);
    }
  });

  it('signs with the right secret only: another role’s secret fails', async () => {
    const box = await start();
    const client = createLmpiClient({
      baseUrl: box.url,
      accessToken: box.credentials.distributor.accessToken,
      secretKey: box.credentials.msp.secretKey,
      retry: false,
    });
    await expect(client.listProducts()).rejects.toSatisfy((e) => isLmpiHttpError(e, 'AuthenticationFailureSignature'));
  });
});

describe('faults', () => {
  it('fails the next N requests with 500 InternalError, then recovers', async () => {
    const box = await start();
    box.controls.injectFault({ kind: 'internal-error', count: 2 });
    const result = await clientFor(box).listProducts();
    expect(result.products.length).toBeGreaterThan(0);
    expect(box.requests.map((r) => r.status)).toEqual([500, 500, 200]);
    expect(box.requests[0]).toMatchObject({ subject: 'InternalError', fault: 'internal-error' });
  });

  it('answers 429 with Retry-After and 503 with an HTML body', async () => {
    const box = await start();
    box.controls.injectFault({ kind: 'rate-limit', retryAfterSeconds: 7 });
    const limited = await rawGet(box, '/LMPI/v2/partners/product');
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '7']);
    box.controls.injectFault({ kind: 'unavailable' });
    const unavailable = await rawGet(box, '/LMPI/v2/partners/product');
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get('content-type')).toBe('text/html');
  });

  it('hangs, so that the client times out', async () => {
    const box = await start();
    box.controls.injectFault({ kind: 'hang' });
    const error = await clientFor(box, 'distributor', { timeoutMs: 200, retry: false })
      .listProducts()
      .catch((e) => e);
    expect(error).toBeInstanceOf(LmpiTimeoutError);
  });

  it('adds latency and still answers', async () => {
    const box = await start();
    box.controls.injectFault({ kind: 'latency', latencyMs: 300 });
    const started = Date.now();
    await clientFor(box).listProducts();
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('sends malformed JSON, and JSON labelled text/html', async () => {
    const box = await start();
    box.controls.injectFault({ kind: 'malformed-json' });
    await expect(clientFor(box).listProducts()).rejects.toBeInstanceOf(LmpiResponseShapeError);
    box.controls.injectFault({ kind: 'html-content-type' });
    const html = await rawGet(box, '/LMPI/v2/partners/product');
    expect(html.headers.get('content-type')).toBe('text/html');
    expect(JSON.parse(html.text).products.length).toBeGreaterThan(0);
  });

  it('drifts the schema: lower-case version, unknown type, extra field', async () => {
    const box = await start();
    box.controls.injectFault({ kind: 'schema-drift' });
    const { products, warnings } = await clientFor(box).listProducts();
    expect(products.every((p) => p.type === 'Hybrid')).toBe(true);
    const kinds = new Set(warnings.map((w) => `${w.kind}:${w.field}`));
    expect(kinds).toEqual(new Set(['normalised:version', 'unexpected-value:type', 'unknown-field:license_region']));
  });

  it('keeps a fault for a duration', async () => {
    let now = Date.now();
    const box = await start({ now: () => now });
    box.controls.injectFault({ kind: 'internal-error', forMs: 60_000 });
    expect((await rawGet(box, '/LMPI/v2/partners/product')).status).toBe(500);
    expect((await rawGet(box, '/LMPI/v2/partners/product')).status).toBe(500);
    now += 61_000;
    // The sandbox clock moved; sign with the sandbox's time so the posix-time check still passes.
    const { accessToken, secretKey } = box.credentials.distributor;
    const client = createLmpiClient({ baseUrl: box.url, accessToken, secretKey, now: () => now, retry: false });
    await expect(client.listProducts()).resolves.toMatchObject({ partnerId: expect.any(String) });
  });
});

describe('scenario controls', () => {
  it('sets, drains (on the sandbox clock) and floors available counts', async () => {
    let now = Date.now();
    const box = await start({ now: () => now });
    const { accessToken, secretKey } = box.credentials.distributor;
    const client = createLmpiClient({ baseUrl: box.url, accessToken, secretKey, now: () => now });
    const available = async (code: string) =>
      (await client.listProducts()).products.find((p) => p.productCode === code)?.available;

    box.controls.setAvailable('NNZBXXE1X', 100);
    expect(await available('NNZBXXE1X')).toBe(100);
    box.controls.drain('NNZBXXE1X', 30);
    now += 2 * 60_000;
    expect(await available('NNZBXXE1X')).toBe(40);
    now += 10 * 60_000;
    expect(await available('NNZBXXE1X')).toBe(0);
    box.controls.setAvailable('NNZBXXE1X', 500);
    now += 60_000;
    expect(await available('NNZBXXE1X')).toBe(500);
  });

  it('adds and removes products, and reset restores the default', async () => {
    const box = await start();
    const initial = box.controls.catalogue().length;
    box.controls.removeProduct('CCZBXXE1X');
    box.controls.addProduct({
      product_id: randomUUID(),
      product_code: 'ZZZZXXE1X',
      product_name: 'Added in a test',
      type: 'SaaS',
      version: 'Full',
      available: 3,
      service_plans: [],
    });
    const codes = (await clientFor(box).listProducts()).products.map((p) => p.productCode);
    expect(codes).toContain('ZZZZXXE1X');
    expect(codes).not.toContain('CCZBXXE1X');
    expect(() => box.controls.removeProduct('NOPE')).toThrow(/no product with code or id "NOPE"/);
    box.controls.reset();
    expect(box.controls.catalogue()).toHaveLength(initial);
  });

  it('takes the same controls over the loopback admin API', async () => {
    const box = await start();
    interface AdminAnswer {
      ok: boolean;
      error?: string;
      result?: { products?: Record<string, unknown>[]; length?: number };
    }
    const admin = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${box.url}/__sandbox${path}`, {
        method,
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      return { status: response.status, json: (await response.json()) as AdminAnswer };
    };
    expect((await admin('PUT', '/products/NNZBXXE1X/available', { available: 7 })).status).toBe(200);
    expect((await admin('POST', '/faults', { kind: 'internal-error', count: 1 })).status).toBe(200);
    expect((await rawGet(box, '/LMPI/v2/partners/product')).status).toBe(500);
    const state = await admin('GET', '/state');
    expect(state.json.result?.products?.[0]).toMatchObject({ product_code: 'NNZBXXE1X', available: 7 });
    expect((await admin('PUT', '/products', { products: [] })).status).toBe(200);
    expect(JSON.parse((await rawGet(box, '/LMPI/v2/partners/product')).text).products).toEqual([]);
    const bad = await admin('POST', '/faults', { kind: 'meteor-strike' });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toContain('kind');
    expect((await admin('PUT', '/products/NOPE/available', { available: 1 })).status).toBe(404);
    expect((await admin('GET', '/requests')).json.result?.length).toBeGreaterThan(0);
  });
});

describe('request log', () => {
  it('logs method, path, trace id and outcome, never a secret', async () => {
    const lines: string[] = [];
    const logger = {
      info: (fields: object, msg?: string) => lines.push(JSON.stringify({ ...fields, msg })),
      warn: () => undefined,
    };
    const box = await start({ logger });
    const result = await clientFor(box).listProducts();
    await rawGet(box, '/LMPI/v2/partners/product', 'distributor', { 'x-signature': 'AAAA' });
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({
      method: 'GET',
      path: '/LMPI/v2/partners/product',
      traceId: result.traceId,
      status: 200,
    });
    expect(JSON.parse(lines[1] ?? '{}')).toMatchObject({ status: 401, subject: 'AuthenticationFailureSignature' });
    const all = lines.join('\n');
    for (const credentials of Object.values(box.credentials)) expect(all).not.toContain(credentials.secretKey);
  });

  it('logs a request it could not handle with the error itself (message and stack), not just its text', async () => {
    const warnings: { fields: { err?: unknown }; msg: string | undefined }[] = [];
    const logger = {
      info: () => undefined,
      warn: (fields: object, msg?: string) => warnings.push({ fields, msg }),
    };
    const box = await start({ logger });
    // Over the 1 MiB body limit: the sandbox stops reading and the request fails.
    await fetch(`${box.url}/LMPI/v2/partners/product`, { method: 'POST', body: new Uint8Array(1_100_000) }).catch(
      () => undefined,
    );
    for (let i = 0; i < 50 && warnings.length === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(warnings[0]?.msg).toBe('sandbox request failed');
    const err = warnings[0]?.fields.err;
    expect(err).toBeInstanceOf(Error);
    expect(err).toHaveProperty('message', 'request body too large');
    expect(err).toHaveProperty('stack', expect.stringMatching(/\n\s+at /));
  });
});
