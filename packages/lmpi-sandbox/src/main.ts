#!/usr/bin/env node
import { pino } from 'pino';
import { sandboxBanner } from './banner.js';
import { loadCatalogueFile } from './catalogue.js';
import { readSandboxEnv } from './env.js';
import { createSandbox } from './sandbox.js';

async function main(): Promise<void> {
  const env = readSandboxEnv();
  const logger = pino({ level: env.LOG_LEVEL, redact: ['secretKey', 'headers["x-signature"]'] });
  let catalogue: ReturnType<typeof loadCatalogueFile>['products'] | undefined;
  if (env.LMPI_SANDBOX_CATALOGUE) {
    const loaded = loadCatalogueFile(env.LMPI_SANDBOX_CATALOGUE);
    for (const warning of loaded.warnings) logger.warn({ file: env.LMPI_SANDBOX_CATALOGUE }, warning);
    catalogue = loaded.products;
  }
  const fromEnv = env.LMPI_ACCESS_TOKEN && env.LMPI_SECRET_KEY;
  const sandbox = await createSandbox({
    port: env.LMPI_SANDBOX_PORT,
    host: env.LMPI_SANDBOX_HOST,
    logger,
    ...(catalogue ? { catalogue } : {}),
    ...(fromEnv
      ? {
          credentials: {
            distributor: {
              accessToken: env.LMPI_ACCESS_TOKEN ?? '',
              secretKey: env.LMPI_SECRET_KEY ?? '',
              partnerId: '6c1f8a52-4d1e-4b8e-9a57-2f0d3c9e8b41',
            },
          },
        }
      : {}),
  });
  // Handlers before the banner: whoever reads "listening" may signal at once.
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'sandbox stopping');
    sandbox.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.stdout.write(`${sandboxBanner(sandbox, { credentialsFromEnv: Boolean(fromEnv) })}\n`);
}

/** A listen failure as the setting to change: the port or host comes from the environment. */
function startProblem(error: unknown): string {
  const { code, message, port, address } = error as NodeJS.ErrnoException & { port?: number; address?: string };
  if (code === 'EADDRINUSE')
    return `port ${port ?? ''} is already in use${address ? ` on ${address}` : ''}: stop what uses it, or set LMPI_SANDBOX_PORT to a free port`;
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
    return `cannot listen on ${address ?? (error as { hostname?: string }).hostname ?? 'that address'}: not an address of this machine; set LMPI_SANDBOX_HOST (default 127.0.0.1)`;
  return message;
}

main().catch((error: unknown) => {
  process.stderr.write(`lmpi-sandbox: ${startProblem(error)}\n`);
  process.exit(64);
});
