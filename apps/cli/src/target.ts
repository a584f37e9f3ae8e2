import { createLmpiClient, type LmpiClient, normaliseBaseUrl } from '@licensewatch/client';
import { createSandbox, type Sandbox } from '@licensewatch/lmpi-sandbox';
import type { CliEnv } from './env.js';
import { UsageError } from './exit-codes.js';

/** LMPI options shared by every command that talks to LMPI. */
export interface LmpiFlags {
  baseUrl?: string;
  accessToken?: string;
  secretKey?: string;
  timeout?: string;
}

/** A client ready to use, and the embedded sandbox behind it when no credentials were given. */
export interface LmpiTarget {
  client: LmpiClient;
  sandbox: Sandbox | undefined;
  close(): Promise<void>;
}

/**
 * Resolves where to send LMPI requests: flags beat the environment; with no settings at all, an
 * embedded sandbox (and a note on stderr). Half-given credentials are a usage error.
 */
export async function resolveTarget(flags: LmpiFlags, env: CliEnv, note: (text: string) => void): Promise<LmpiTarget> {
  const baseUrl = flags.baseUrl ?? env.baseUrl;
  const accessToken = flags.accessToken ?? env.accessToken;
  const secretKey = flags.secretKey ?? env.secretKey;
  const timeoutMs = flags.timeout === undefined ? 10_000 : Number(flags.timeout);
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
    throw new UsageError(`--timeout must be a positive number of milliseconds, got ${JSON.stringify(flags.timeout)}`);
  const given = [baseUrl, accessToken, secretKey].filter(Boolean).length;
  if (given === 0) {
    const sandbox = await createSandbox();
    note(
      `licensewatch: no LMPI settings (LMPI_BASE_URL, LMPI_ACCESS_TOKEN, LMPI_SECRET_KEY): using an embedded sandbox at ${sandbox.url}`,
    );
    const { accessToken: token, secretKey: secret } = sandbox.credentials.distributor;
    return {
      client: createLmpiClient({ baseUrl: sandbox.url, accessToken: token, secretKey: secret, timeoutMs }),
      sandbox,
      close: () => sandbox.close(),
    };
  }
  const missing = [
    ['LMPI_BASE_URL / --base-url', baseUrl],
    ['LMPI_ACCESS_TOKEN / --access-token', accessToken],
    ['LMPI_SECRET_KEY / --secret-key', secretKey],
  ]
    .filter(([, value]) => !value)
    .map(([name]) => name);
  if (missing.length > 0)
    throw new UsageError(
      `missing ${missing.join(' and ')}: give all three LMPI settings, or none to use the embedded sandbox`,
    );
  try {
    normaliseBaseUrl(baseUrl ?? '');
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return {
    client: createLmpiClient({
      baseUrl: baseUrl ?? '',
      accessToken: accessToken ?? '',
      secretKey: secretKey ?? '',
      timeoutMs,
    }),
    sandbox: undefined,
    close: async () => undefined,
  };
}
