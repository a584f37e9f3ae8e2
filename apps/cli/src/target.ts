import {
  createLmpiClient,
  importEmbeddedSandbox,
  isLmpiError,
  type LmpiClient,
  type LmpiSettingNames,
  type LmpiTargetSettings,
  lmpiTargetFromEnv,
  type RemoteLmpiTarget,
  type SandboxLmpiTarget,
} from '@licensewatch/client';
import type { Sandbox } from '@licensewatch/lmpi-sandbox';
import type { CliEnv } from './env.js';
import { UsageError } from './exit-codes.js';

/** LMPI options shared by every command that talks to LMPI. */
export interface LmpiFlags {
  baseUrl?: string;
  accessToken?: string;
  secretKey?: string;
  /** `v2` or `v3` (env LMPI_API_VERSION; default v2). */
  apiVersion?: string;
  timeout?: string;
}

/** A client ready to use, and the embedded sandbox behind it when no credentials were given. */
export interface LmpiTarget {
  client: LmpiClient;
  sandbox: Sandbox | undefined;
  close(): Promise<void>;
}

const NAMES: LmpiSettingNames = {
  baseUrl: 'LMPI_BASE_URL / --base-url',
  accessToken: 'LMPI_ACCESS_TOKEN / --access-token',
  secretKey: 'LMPI_SECRET_KEY / --secret-key',
  apiVersion: 'LMPI_API_VERSION / --api-version',
};

/**
 * Where LMPI requests go, by the client's one rule (`lmpiTargetFromEnv`): flags beat the
 * environment; all three → that LMPI, none → the embedded sandbox, some → a usage error naming each
 * missing setting.
 *
 * @example
 * ```ts
 * const target = lmpiTargetFromFlags(options, io.env) // { kind: 'sandbox', apiVersion: 'v2' } with nothing set
 * ```
 */
export function lmpiTargetFromFlags(flags: LmpiTargetSettings, env: CliEnv): LmpiTargetOf {
  const resolved = lmpiTargetFromEnv(
    {
      baseUrl: flags.baseUrl ?? env.baseUrl,
      accessToken: flags.accessToken ?? env.accessToken,
      secretKey: flags.secretKey ?? env.secretKey,
      apiVersion: flags.apiVersion ?? env.apiVersion,
    },
    NAMES,
  );
  if (resolved.target) return resolved.target;
  const missing =
    resolved.missing.length > 0
      ? [
          `missing ${resolved.missing.map((key) => NAMES[key]).join(' and ')}: give all three LMPI settings, or none to use the embedded sandbox`,
        ]
      : [];
  const others = resolved.problems.filter((problem) => !problem.includes(': missing; set all three'));
  throw new UsageError([...others, ...missing].join('; '));
}

/** Where LMPI requests go, with the API version to speak. */
export type LmpiTargetOf = RemoteLmpiTarget | SandboxLmpiTarget;

/**
 * The embedded sandbox's package, loaded only when it is needed (it is an optional dependency).
 *
 * @example
 * ```ts
 * const { createSandbox } = await loadSandbox()
 * ```
 */
export async function loadSandbox(): Promise<typeof import('@licensewatch/lmpi-sandbox')> {
  try {
    return await importEmbeddedSandbox(() => import('@licensewatch/lmpi-sandbox'));
  } catch (error) {
    // Not installed: "… is not installed: set LMPI_BASE_URL, …", exit 64 like any missing setting.
    if (isLmpiError(error)) throw new UsageError(error.message);
    throw error;
  }
}

/**
 * Resolves where to send LMPI requests and builds the client; with no settings at all, starts an
 * embedded sandbox (and says so on stderr).
 *
 * @example
 * ```ts
 * const target = await resolveTarget(options, io.env, io.err)
 * try { await target.client.listProducts() } finally { await target.close() }
 * ```
 */
export async function resolveTarget(flags: LmpiFlags, env: CliEnv, note: (text: string) => void): Promise<LmpiTarget> {
  const timeoutMs = flags.timeout === undefined ? 10_000 : Number(flags.timeout);
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
    throw new UsageError(`--timeout must be a positive number of milliseconds, got ${JSON.stringify(flags.timeout)}`);
  const target = lmpiTargetFromFlags(flags, env);
  const { apiVersion } = target;
  if (target.kind === 'remote') {
    const { baseUrl, accessToken, secretKey } = target;
    return {
      client: createLmpiClient({ baseUrl, accessToken, secretKey, timeoutMs, apiVersion }),
      sandbox: undefined,
      close: async () => undefined,
    };
  }
  const { createSandbox } = await loadSandbox();
  const sandbox = await createSandbox();
  // The sandbox's 30-day demo history comes with the customer transactions that explain it, so
  // `transactions` and `usage` agree with the bot's local mode (which seeds the same history).
  sandbox.recordHistory(sandbox.demoHistory(Date.now()));
  note(
    `licensewatch: no LMPI settings (LMPI_BASE_URL, LMPI_ACCESS_TOKEN, LMPI_SECRET_KEY): using an embedded sandbox at ${sandbox.url}${apiVersion === 'v3' ? ' (LMPI v3)' : ''}`,
  );
  const { accessToken, secretKey } = sandbox.credentials.distributor;
  return {
    client: createLmpiClient({ baseUrl: sandbox.url, accessToken, secretKey, timeoutMs, apiVersion }),
    sandbox,
    close: () => sandbox.close(),
  };
}
