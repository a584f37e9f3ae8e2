import { describe, expect, it } from 'vitest';
import { isLmpiError } from './errors.js';
import { importEmbeddedSandbox, isPackageNotInstalled, lmpiTargetFromEnv, signedCurl } from './target.js';

const remote = {
  baseUrl: 'https://cspi.trendmicro.com/LMPI/',
  accessToken: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
  secretKey: 'example-secret',
};

describe('lmpiTargetFromEnv', () => {
  it('uses the sandbox when nothing is set (blank counts as unset)', () => {
    expect(lmpiTargetFromEnv({})).toEqual({ target: { kind: 'sandbox', apiVersion: 'v2' }, problems: [], missing: [] });
    expect(lmpiTargetFromEnv({ baseUrl: ' ', accessToken: '', secretKey: undefined }).target).toEqual({
      kind: 'sandbox',
      apiVersion: 'v2',
    });
  });

  it('uses the given LMPI when all three are set, with a normalised base URL', () => {
    expect(lmpiTargetFromEnv(remote).target).toEqual({
      kind: 'remote',
      baseUrl: 'https://cspi.trendmicro.com',
      accessToken: remote.accessToken,
      secretKey: remote.secretKey,
      apiVersion: 'v2',
    });
  });

  it('takes the API version for either target, and refuses others naming the allowed values', () => {
    expect(lmpiTargetFromEnv({ ...remote, apiVersion: 'v3' }).target).toMatchObject({
      kind: 'remote',
      apiVersion: 'v3',
    });
    expect(lmpiTargetFromEnv({ apiVersion: 'V3' }).target).toEqual({ kind: 'sandbox', apiVersion: 'v3' });
    const wrong = lmpiTargetFromEnv({ ...remote, apiVersion: '3' });
    expect(wrong.target).toBeUndefined();
    expect(wrong.problems).toEqual([
      'LMPI_API_VERSION must be v2 or v3 (v3 lists Trend Vision One service plans), got "3"',
    ]);
    const both = lmpiTargetFromEnv({ baseUrl: remote.baseUrl, apiVersion: 'v4' });
    expect(both.problems).toHaveLength(2);
    expect(both.missing).toEqual(['accessToken', 'secretKey']);
  });

  it('names each missing variable when only some are set', () => {
    const half = lmpiTargetFromEnv({ baseUrl: remote.baseUrl });
    expect(half.target).toBeUndefined();
    expect(half.missing).toEqual(['accessToken', 'secretKey']);
    expect(half.problems).toEqual([
      'LMPI_ACCESS_TOKEN, LMPI_SECRET_KEY: missing; set all three LMPI_* variables, or none to use the embedded sandbox',
    ]);
    const named = lmpiTargetFromEnv(
      { accessToken: 't', secretKey: 's' },
      { baseUrl: '--base-url', accessToken: '--access-token', secretKey: '--secret-key' },
    );
    expect(named.problems[0]).toMatch(/^--base-url: missing/);
  });

  it('refuses a base URL that is not http(s), naming the variable and never the secret', () => {
    const result = lmpiTargetFromEnv({ ...remote, baseUrl: 'cspi' });
    expect(result.target).toBeUndefined();
    expect(result.problems[0]).toMatch(/^LMPI_BASE_URL: .*is not a URL/);
    expect(result.problems.join()).not.toContain(remote.secretKey);
  });
});

describe('signedCurl', () => {
  it('signs for the target, with the access token but never the secret', () => {
    const curl = signedCurl(remote, {
      method: 'get',
      path: '/LMPI/v2/partners/product',
      traceId: 'trace',
      now: 1363797148_000,
    });
    expect(curl).toBe(
      "curl -sS -X GET 'https://cspi.trendmicro.com/LMPI/v2/partners/product' -H 'x-access-token: aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee' -H 'x-posix-time: 1363797148' -H 'x-signature: L6rdaydcJ32rlPVdb0vtokEwGvp7/hk/llxsGeMGaoU=' -H 'x-traceid: trace' -H 'content-type: application/json; charset=utf-8'",
    );
    expect(curl).not.toContain(remote.secretKey);
  });

  it.each([
    [{ method: 'FETCH', path: '/LMPI/x' }, 'METHOD must be GET, POST, PUT, DELETE or PATCH'],
    [{ method: 'GET', path: 'LMPI/x' }, 'PATH must start with /'],
    [{ method: 'POST', path: '/LMPI/x', body: '{oops' }, '--body must be JSON'],
  ])('refuses %j with a config error', (request, message) => {
    let caught: unknown;
    try {
      signedCurl(remote, request);
    } catch (error) {
      caught = error;
    }
    expect(isLmpiError(caught) && caught.code).toBe('ERR_LMPI_CONFIG');
    expect(caught).toHaveProperty('message', expect.stringContaining(message));
  });
});

describe('importEmbeddedSandbox', () => {
  it('returns the module when it is installed', async () => {
    expect(await importEmbeddedSandbox(async () => ({ createSandbox: 1 }))).toEqual({ createSandbox: 1 });
  });

  it('says how to do without it when the sandbox package is not installed', async () => {
    const missing = Object.assign(
      new Error("Cannot find package '@licensewatch/lmpi-sandbox' imported from /srv/bot/dist/runtime.js"),
      { code: 'ERR_MODULE_NOT_FOUND' },
    );
    await expect(importEmbeddedSandbox(() => Promise.reject(missing))).rejects.toMatchObject({
      code: 'ERR_LMPI_CONFIG',
      message: expect.stringContaining('is not installed: set LMPI_BASE_URL, LMPI_ACCESS_TOKEN, LMPI_SECRET_KEY'),
    });
    // The client itself does not depend on the sandbox: a real import from here fails as in production.
    const specifier = '@licensewatch/lmpi-sandbox';
    await expect(importEmbeddedSandbox(() => import(/* @vite-ignore */ specifier))).rejects.toMatchObject({
      code: 'ERR_LMPI_CONFIG',
    });
    const other = Object.assign(new Error("Cannot find package 'pino'"), { code: 'ERR_MODULE_NOT_FOUND' });
    await expect(importEmbeddedSandbox(() => Promise.reject(other))).rejects.toBe(other);
  });
});

describe('settings as people paste them', () => {
  it('trims the credentials it signs with, and the base URL', () => {
    const result = lmpiTargetFromEnv({
      baseUrl: '  https://cspi.trendmicro.com  ',
      accessToken: ` ${remote.accessToken}\n`,
      secretKey: '\texample-secret ',
    });
    expect(result).toEqual({
      target: {
        kind: 'remote',
        baseUrl: 'https://cspi.trendmicro.com',
        accessToken: remote.accessToken,
        secretKey: 'example-secret',
        apiVersion: 'v2',
      },
      problems: [],
      missing: [],
    });
  });

  it('reports a bad API version alone when nothing else is set, and with what is missing otherwise', () => {
    expect(lmpiTargetFromEnv({ apiVersion: 'v9' })).toEqual({
      target: undefined,
      problems: [expect.stringContaining('v9')],
      missing: [],
    });
    expect(lmpiTargetFromEnv({ ...remote, apiVersion: 'v9' })).toMatchObject({
      problems: [expect.any(String)],
      missing: [],
    });
    const partial = lmpiTargetFromEnv({ baseUrl: remote.baseUrl, apiVersion: 'v9' });
    expect(partial.missing).toEqual(['accessToken', 'secretKey']);
    expect(partial.problems).toHaveLength(2);
    expect(partial.problems[1]).toMatch(/^LMPI_ACCESS_TOKEN, LMPI_SECRET_KEY: missing; set all three/);
  });
});

describe('signedCurl with a body', () => {
  it('sends and signs the body as given, for every method LMPI knows', () => {
    const body = '{"year":2026,"month":12}';
    for (const method of ['post', 'PUT', 'delete', 'Patch']) {
      const curl = signedCurl(remote, { method, path: '/LMPI/v2/reports/transactions', body, traceId: 't', now: 0 });
      expect(curl).toContain(`-X ${method.toUpperCase()} `);
      expect(curl.endsWith(` --data-raw '${body}'`)).toBe(true);
    }
    expect(signedCurl(remote, { method: 'GET', path: '/LMPI/x', traceId: 't', now: 0 })).not.toContain('--data-raw');
  });
});

describe('importEmbeddedSandbox with CommonJS resolution', () => {
  it('recognises a missing sandbox by the CommonJS code too, and rethrows anything else', async () => {
    const missing = Object.assign(new Error("Cannot find module '@licensewatch/lmpi-sandbox'"), {
      code: 'MODULE_NOT_FOUND',
    });
    await expect(importEmbeddedSandbox(() => Promise.reject(missing))).rejects.toMatchObject({
      code: 'ERR_LMPI_CONFIG',
    });
    const noCode = new Error("Cannot find module '@licensewatch/lmpi-sandbox'");
    await expect(importEmbeddedSandbox(() => Promise.reject(noCode))).rejects.toBe(noCode);
    const noMessage = Object.assign(Object.create(null), { code: 'ERR_MODULE_NOT_FOUND' });
    await expect(importEmbeddedSandbox(() => Promise.reject(noMessage))).rejects.toBe(noMessage);
  });
});

describe('isPackageNotInstalled', () => {
  const notFound = (message: string, code = 'ERR_MODULE_NOT_FOUND') => Object.assign(new Error(message), { code });

  it('tells the named package missing from a missing import inside it or another package', () => {
    expect(
      isPackageNotInstalled(notFound("Cannot find package '@x/optional' imported from /a.js"), '@x/optional'),
    ).toBe(true);
    expect(isPackageNotInstalled(notFound("Cannot find module '@x/optional'", 'MODULE_NOT_FOUND'), '@x/optional')).toBe(
      true,
    );
    expect(isPackageNotInstalled(notFound("Cannot find package 'pino' imported from /x.js"), '@x/optional')).toBe(
      false,
    );
    expect(isPackageNotInstalled(notFound("Cannot find package '@x/optional'", 'EACCES'), '@x/optional')).toBe(false);
    expect(isPackageNotInstalled(undefined, '@x/optional')).toBe(false);
    expect(isPackageNotInstalled({ code: 'ERR_MODULE_NOT_FOUND' }, '@x/optional')).toBe(false);
  });
});
