import type { Sandbox } from './sandbox.js';

/** What the banner says besides where the sandbox listens. */
export interface SandboxBannerOptions {
  /** The Distributor credentials came from LMPI_ACCESS_TOKEN / LMPI_SECRET_KEY: name them, print neither. */
  credentialsFromEnv?: boolean;
  /** The command to try next. Default: the package's `sign` script. */
  tryCommand?: string;
}

/**
 * The start-up text of a running sandbox: URL, product count, the development credentials (or
 * that they came from the environment: then no secret is printed), what to try next and where the
 * scenario controls are.
 *
 * @example
 * ```ts
 * const sandbox = await createSandbox({ port: 4010 })
 * process.stdout.write(`${sandboxBanner(sandbox)}\n`)
 * ```
 */
export function sandboxBanner(
  sandbox: Pick<Sandbox, 'url' | 'credentials' | 'controls'>,
  options: SandboxBannerOptions = {},
): string {
  const { accessToken, secretKey } = sandbox.credentials.distributor;
  return [
    `LMPI sandbox listening on ${sandbox.url} (${sandbox.controls.catalogue().length} products)`,
    '  LMPI v2 at /LMPI/v2/… and v3 at /LMPI/v3/… (only v3 lists Trend Vision One plans; LMPI_API_VERSION=v3 to use it)',
    options.credentialsFromEnv
      ? '  credentials: LMPI_ACCESS_TOKEN / LMPI_SECRET_KEY from the environment (Distributor role)'
      : [
          '  development credentials (Distributor role; ISP, MSP and Reseller tokens are listed in the sandbox README):',
          `    LMPI_BASE_URL=${sandbox.url}`,
          `    LMPI_ACCESS_TOKEN=${accessToken}`,
          `    LMPI_SECRET_KEY=${secretKey}`,
        ].join('\n'),
    `  scenario controls: ${sandbox.url}/__sandbox/state (loopback only)`,
    `  try: ${options.tryCommand ?? 'pnpm --silent --filter @licensewatch/lmpi-sandbox sign GET /LMPI/v2/partners/product   (prints a curl command)'}`,
  ].join('\n');
}
