#!/usr/bin/env node
import { randomUUID } from 'node:crypto';
import { curlCommand, lmpiHeaders } from '@licensewatch/client';
import { readSandboxEnv } from './env.js';
import { DEV_CREDENTIALS } from './sandbox.js';

// Prints a curl command with freshly signed LMPI headers (valid for 15 minutes). Client-side helper:
// it signs with @licensewatch/client; the sandbox verifies with its own code.

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
  const method = (positional[0] ?? 'GET').toUpperCase();
  if (!['GET', 'POST', 'PUT', 'DELETE', 'PATCH'].includes(method)) {
    throw new Error(`METHOD must be GET, POST, PUT, DELETE or PATCH, got ${JSON.stringify(positional[0])}\n${USAGE}`);
  }
  const uri = positional[1] ?? '/LMPI/v2/partners/product';
  if (!uri.startsWith('/')) throw new Error(`PATH must start with /, got ${JSON.stringify(uri)}\n${USAGE}`);
  const env = readSandboxEnv();
  const base = (env.LMPI_BASE_URL ?? `http://127.0.0.1:${env.LMPI_SANDBOX_PORT}`)
    .replace(/\/+$/, '')
    .replace(/\/LMPI$/, '');
  const accessToken = env.LMPI_ACCESS_TOKEN ?? DEV_CREDENTIALS.distributor.accessToken;
  const secretKey = env.LMPI_SECRET_KEY ?? DEV_CREDENTIALS.distributor.secretKey;
  const headers = lmpiHeaders({
    accessToken,
    secretKey,
    traceId: randomUUID(),
    posixTime: Math.floor(Date.now() / 1000),
    method,
    uri,
    ...(body !== undefined ? { body } : {}),
  });
  process.stdout.write(
    `${curlCommand({ url: base + uri, method, headers, ...(body !== undefined ? { body } : {}) })}\n`,
  );
}

try {
  main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`sign: ${(error as Error).message}\n`);
  process.exit(64);
}
