import { randomUUID } from 'node:crypto';
import { errorMessage } from '@licensewatch/schema';
import { type LmpiApiVersion, parseLmpiApiVersion } from './api-version.js';
import { normaliseBaseUrl } from './client.js';
import { curlCommand } from './curl.js';
import { LmpiConfigError } from './errors.js';
import { lmpiHeaders } from './signer.js';

/** A real LMPI (or anything that answers like one) and the partner credentials for it. */
export interface RemoteLmpiTarget {
  kind: 'remote';
  /** Normalised: no trailing `/` or `/LMPI`. */
  baseUrl: string;
  accessToken: string;
  secretKey: string;
  /** The API version to speak: `v2` unless `LMPI_API_VERSION` chose `v3`. */
  apiVersion: LmpiApiVersion;
}

/** No LMPI settings at all: the caller starts (or signs for) the embedded LMPI sandbox. */
export interface SandboxLmpiTarget {
  kind: 'sandbox';
  /** The sandbox serves both versions side by side; this is the one to speak. */
  apiVersion: LmpiApiVersion;
}

/** Where LMPI requests go. */
export type LmpiTarget = RemoteLmpiTarget | SandboxLmpiTarget;

/** The LMPI settings as given (environment, flags, or both merged by the caller). */
export interface LmpiTargetSettings {
  baseUrl?: string | undefined;
  accessToken?: string | undefined;
  secretKey?: string | undefined;
  /** `v2` (default when blank) or `v3`. Independent of the other three: it applies to the sandbox too. */
  apiVersion?: string | undefined;
}

/** How each setting is called in messages; default the environment variable names. */
export type LmpiSettingNames = Record<Exclude<keyof LmpiTargetSettings, 'apiVersion'>, string> & {
  apiVersion?: string;
};

/** The environment variable of each LMPI setting. */
export const LMPI_SETTING_NAMES = {
  baseUrl: 'LMPI_BASE_URL',
  accessToken: 'LMPI_ACCESS_TOKEN',
  secretKey: 'LMPI_SECRET_KEY',
  apiVersion: 'LMPI_API_VERSION',
} as const satisfies LmpiSettingNames;

/** Either a target, or the problem (naming each setting at fault and the fix) and which are missing. */
export type LmpiTargetResolution =
  | { target: LmpiTarget; problems: []; missing: [] }
  | {
      target: undefined;
      problems: [string, ...string[]];
      missing: Exclude<keyof LmpiTargetSettings, 'apiVersion'>[];
    };

const blank = (value: string | undefined) => value === undefined || value.trim() === '';

/**
 * The one rule for where licensewatch sends LMPI requests: all three settings given → that LMPI;
 * none given → the embedded sandbox; some → a problem naming each missing one. A base URL that is
 * not an http(s) URL is a problem too. Empty or blank values count as not given. The API version
 * (`v2` when not given) applies to either target; any value but `v2`/`v3` is a problem naming both.
 *
 * @example
 * ```ts
 * const { target, problems } = lmpiTargetFromEnv({
 *   baseUrl: process.env.LMPI_BASE_URL,
 *   accessToken: process.env.LMPI_ACCESS_TOKEN,
 *   secretKey: process.env.LMPI_SECRET_KEY,
 *   apiVersion: process.env.LMPI_API_VERSION, // 'v2' when unset
 * })
 * if (!target) throw new Error(problems.join('\n'))
 * if (target.kind === 'remote') createLmpiClient({ ...target })
 * ```
 */
export function lmpiTargetFromEnv(
  settings: LmpiTargetSettings,
  names: LmpiSettingNames = LMPI_SETTING_NAMES,
): LmpiTargetResolution {
  const keys = ['baseUrl', 'accessToken', 'secretKey'] as const;
  const missing = keys.filter((key) => blank(settings[key]));
  let apiVersion: LmpiApiVersion;
  try {
    apiVersion = parseLmpiApiVersion(settings.apiVersion, names.apiVersion ?? LMPI_SETTING_NAMES.apiVersion);
  } catch (error) {
    const problem = errorMessage(error);
    const others = missing.length > 0 && missing.length < keys.length ? [missingProblem(missing, names)] : [];
    return { target: undefined, problems: [problem, ...others], missing: others.length > 0 ? missing : [] };
  }
  if (missing.length === keys.length) return { target: { kind: 'sandbox', apiVersion }, problems: [], missing: [] };
  if (missing.length > 0) return { target: undefined, missing, problems: [missingProblem(missing, names)] };
  let baseUrl: string;
  try {
    baseUrl = normaliseBaseUrl((settings.baseUrl ?? '').trim());
  } catch (error) {
    return { target: undefined, problems: [`${names.baseUrl}: ${errorMessage(error)}`], missing: [] };
  }
  return {
    target: {
      kind: 'remote',
      baseUrl,
      accessToken: (settings.accessToken ?? '').trim(),
      secretKey: (settings.secretKey ?? '').trim(),
      apiVersion,
    },
    problems: [],
    missing: [],
  };
}

function missingProblem(
  missing: readonly Exclude<keyof LmpiTargetSettings, 'apiVersion'>[],
  names: LmpiSettingNames,
): string {
  return `${missing.map((key) => names[key]).join(', ')}: missing; set all three LMPI_* variables, or none to use the embedded sandbox`;
}

/** What to sign: method, path (and query) exactly as sent, and the body byte for byte. */
export interface SignedCurlRequest {
  method: string;
  path: string;
  body?: string | undefined;
  /** Default: a random UUID. */
  traceId?: string;
  /** Epoch ms. Default: `Date.now()`. */
  now?: number;
}

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'];

/**
 * A curl command with freshly signed LMPI headers (valid for 15 minutes): the access token is in
 * it (curl needs it), the secret key never is.
 *
 * @throws {LmpiConfigError} for a method other than GET/POST/PUT/DELETE/PATCH, a path not starting
 * with `/`, or a body that is not JSON; the message says which.
 * @example
 * ```ts
 * signedCurl(target, { method: 'GET', path: '/LMPI/v2/partners/product' })
 * // curl -sS -X GET 'https://cspi.trendmicro.com/LMPI/v2/partners/product' -H 'x-access-token: …' …
 * ```
 */
export function signedCurl(target: Omit<RemoteLmpiTarget, 'kind' | 'apiVersion'>, request: SignedCurlRequest): string {
  const method = request.method.toUpperCase();
  if (!METHODS.includes(method))
    throw new LmpiConfigError(`METHOD must be GET, POST, PUT, DELETE or PATCH, got ${JSON.stringify(request.method)}`);
  if (!request.path.startsWith('/'))
    throw new LmpiConfigError(
      `PATH must start with /, e.g. /LMPI/v2/partners/product, got ${JSON.stringify(request.path)}`,
    );
  const { body } = request;
  if (body !== undefined) {
    try {
      JSON.parse(body);
    } catch {
      throw new LmpiConfigError('--body must be JSON (it is signed byte for byte as given)');
    }
  }
  const headers = lmpiHeaders({
    accessToken: target.accessToken,
    secretKey: target.secretKey,
    traceId: request.traceId ?? randomUUID(),
    posixTime: Math.floor((request.now ?? Date.now()) / 1000),
    method,
    uri: request.path,
    ...(body !== undefined ? { body } : {}),
  });
  const base = normaliseBaseUrl(target.baseUrl);
  return curlCommand({ url: base + request.path, method, headers, ...(body !== undefined ? { body } : {}) });
}

/** The package that `{ kind: 'sandbox' }` stands for. */
export const SANDBOX_PACKAGE = '@licensewatch/lmpi-sandbox';

/**
 * Whether `error` is the module-resolution failure of importing `packageName` itself (not one of its
 * own imports): how an app tells "this optional package is not installed" from a broken one.
 *
 * @example
 * ```ts
 * try { await import('@licensewatch/lmpi-sandbox') }
 * catch (error) { if (!isPackageNotInstalled(error, '@licensewatch/lmpi-sandbox')) throw error }
 * ```
 */
export function isPackageNotInstalled(error: unknown, packageName: string): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return (
    (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
    typeof message === 'string' &&
    message.includes(`'${packageName}'`)
  );
}

/**
 * Runs an app's dynamic `import('@licensewatch/lmpi-sandbox')` (the app writes the import, so its
 * bundler and type checker see it); when the package is not installed, as in a production install,
 * throws one clear {@link LmpiConfigError} instead of a module-resolution stack trace.
 *
 * @throws {LmpiConfigError} "the embedded LMPI sandbox is not installed: set LMPI_BASE_URL, …"
 * @example
 * ```ts
 * if (target.kind === 'sandbox') {
 *   const { createSandbox } = await importEmbeddedSandbox(() => import('@licensewatch/lmpi-sandbox'))
 *   const sandbox = await createSandbox()
 * }
 * ```
 */
export async function importEmbeddedSandbox<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (!isPackageNotInstalled(error, SANDBOX_PACKAGE)) throw error;
    throw new LmpiConfigError(
      `the embedded LMPI sandbox (${SANDBOX_PACKAGE}) is not installed: set LMPI_BASE_URL, LMPI_ACCESS_TOKEN, LMPI_SECRET_KEY`,
    );
  }
}
