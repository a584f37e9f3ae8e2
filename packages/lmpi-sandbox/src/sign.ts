#!/usr/bin/env node
import { lmpiTargetFromEnv, signedCurl } from '@licensewatch/client';
import { errorMessage } from '@licensewatch/schema';
import { readSandboxEnv } from './env.js';
import { DEV_CREDENTIALS } from './sandbox.js';

// Prints a curl command with freshly signed LMPI headers (valid for 15 minutes). Client-side helper:
// it signs with @licensewatch/client's signedCurl (as the CLI's `sign` does); the sandbox verifies
// with its own code. Unset settings default to this sandbox and its development credentials, so
// the client's target rule always sees all three and only checks the URL.

const USAGE = `usage: pnpm --filter @licensewatch/lmpi-sandbox sign [METHOD] [PATH] [--body JSON]
  defaults: GET /LMPI/v2/partners/product
  credentials: LMPI_ACCESS_TOKEN / LMPI_SECRET_KEY, else the sandbox development defaults
  target: LMPI_BASE_URL, else http://127.0.0.1:$LMPI_SANDBOX_PORT (4010)`;

function main(argv: string[]): void {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const bodyAt = argv.indexOf('--body');
  const body = bodyAt >= 0 ? argv[bodyAt + 1] : undefined;
  if (bodyAt >= 0 && body === undefined) throw new Error('--body needs a JSON value');
  const positional = bodyAt >= 0 ? argv.filter((_, i) => i !== bodyAt && i !== bodyAt + 1) : argv;
  const env = readSandboxEnv();
  const { target, problems } = lmpiTargetFromEnv({
    baseUrl: env.LMPI_BASE_URL ?? `http://127.0.0.1:${env.LMPI_SANDBOX_PORT}`,
    accessToken: env.LMPI_ACCESS_TOKEN ?? DEV_CREDENTIALS.distributor.accessToken,
    secretKey: env.LMPI_SECRET_KEY ?? DEV_CREDENTIALS.distributor.secretKey,
  });
  if (target?.kind !== 'remote') throw new Error(problems.join('\n'));
  const curl = signedCurl(target, {
    method: positional[0] ?? 'GET',
    path: positional[1] ?? '/LMPI/v2/partners/product',
    body,
  });
  process.stdout.write(`${curl}\n`);
}

try {
  main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`sign: ${errorMessage(error)}\n${USAGE}\n`);
  process.exit(64);
}
