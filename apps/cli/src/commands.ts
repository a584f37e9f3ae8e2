import { randomUUID } from 'node:crypto';
import {
  type AlertLevel,
  DEFAULT_THRESHOLDS,
  loadThresholdsFile,
  ruleResolver,
  type ThresholdConfig,
  ThresholdsFileError,
  targetLevel,
} from '@licensewatch/alerts';
import {
  curlCommand,
  explainLmpiFailure,
  type LmpiClient,
  lmpiHeaders,
  type ProductListResult,
} from '@licensewatch/client';
import { createSandbox, DEV_CREDENTIALS } from '@licensewatch/lmpi-sandbox';
import type { CliEnv } from './env.js';
import { EXIT, UsageError } from './exit-codes.js';
import { startSpinner } from './spinner.js';
import { renderTable } from './table.js';
import { type LmpiFlags, resolveTarget } from './target.js';

/** Where a command writes. */
export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env: CliEnv;
  /** stdout is a terminal: spinners allowed. */
  interactive: boolean;
}

async function fetchProducts(
  flags: LmpiFlags,
  io: CliIo,
  json: boolean,
): Promise<{ result?: ProductListResult; code: number }> {
  const target = await resolveTarget(flags, io.env, io.err);
  const stop = startSpinner(process.stderr, 'asking LMPI…', 300, io.interactive);
  try {
    const result = await (target.client as LmpiClient).listProducts();
    for (const warning of result.warnings) io.err(`licensewatch: warning: LMPI drift: ${warning.message}`);
    return { result, code: EXIT.ok };
  } catch (error) {
    const { kind, reason, check } = explainLmpiFailure(error);
    io.err(`licensewatch: ${reason}: ${(error as Error).message}\n  ${check}`);
    if (json)
      io.out(JSON.stringify({ status: 'error', error: { kind, reason, message: (error as Error).message } }, null, 2));
    return { code: EXIT.lmpiError };
  } finally {
    stop();
    await target.close();
  }
}

export interface ProductsOptions extends LmpiFlags {
  filter?: string;
  sort: string;
  json?: boolean;
}

/** `licensewatch products`: the product profiles as a table or JSON. */
export async function productsCommand(options: ProductsOptions, io: CliIo): Promise<number> {
  if (options.sort !== 'available' && options.sort !== 'name')
    throw new UsageError(`--sort must be "available" or "name", got ${JSON.stringify(options.sort)}`);
  const { result, code } = await fetchProducts(options, io, options.json === true);
  if (!result) return code;
  const needle = options.filter?.toLowerCase();
  const products = result.products
    .filter(
      (p) => !needle || p.productName.toLowerCase().includes(needle) || p.productCode.toLowerCase().includes(needle),
    )
    .sort(
      (a, b) =>
        (options.sort === 'available' ? a.available - b.available : 0) || a.productName.localeCompare(b.productName),
    );
  if (options.json) {
    io.out(JSON.stringify({ partnerId: result.partnerId, products, warnings: result.warnings }, null, 2));
    return EXIT.ok;
  }
  io.out(
    renderTable(products, [
      { title: 'CODE', value: (p) => p.productCode },
      { title: 'NAME', value: (p) => p.productName, max: 60 },
      { title: 'TYPE', value: (p) => p.type ?? '-' },
      { title: 'VERSION', value: (p) => p.version ?? '-' },
      { title: 'AVAILABLE', value: (p) => p.available.toLocaleString('en-US'), align: 'right' },
      { title: 'PLANS', value: (p) => String(p.servicePlans.length), align: 'right' },
    ]),
  );
  io.err(`${products.length} of ${result.products.length} products · partner ${result.partnerId ?? 'unknown'}`);
  return EXIT.ok;
}

export interface CheckOptions extends LmpiFlags {
  thresholds?: string;
  warning?: string;
  critical?: string;
  json?: boolean;
}

function level(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,9}$/.test(text))
    throw new UsageError(`${flag} must be a whole number of licenses, got ${JSON.stringify(text)}`);
  return Number(text);
}

function thresholdConfig(options: CheckOptions): ThresholdConfig {
  let config = DEFAULT_THRESHOLDS;
  if (options.thresholds) {
    try {
      config = loadThresholdsFile(options.thresholds);
    } catch (error) {
      if (error instanceof ThresholdsFileError) throw new UsageError(error.message);
      throw error;
    }
  }
  const warning = level(options.warning, '--warning') ?? config.default.warning;
  const critical = level(options.critical, '--critical') ?? Math.min(config.default.critical, warning);
  if (critical > warning) throw new UsageError(`--critical (${critical}) must not be above --warning (${warning})`);
  return { ...config, default: { ...config.default, warning, critical } };
}

const LABEL: Record<AlertLevel, string> = { critical: 'CRITICAL', warning: 'LOW', ok: 'OK' };

/** `licensewatch check`: evaluates thresholds once; exit 0 ok, 1 warning, 2 critical, 3 LMPI error. */
export async function checkCommand(options: CheckOptions, io: CliIo): Promise<number> {
  const config = thresholdConfig(options);
  const { result, code } = await fetchProducts(options, io, options.json === true);
  if (!result) return code;
  const ruleFor = ruleResolver(config);
  const rated = result.products.map((product) => {
    const rule = ruleFor(product);
    const at = targetLevel('ok', product.available, rule);
    return {
      product,
      level: at,
      threshold: at === 'critical' ? rule.critical : at === 'warning' ? rule.warning : undefined,
    };
  });
  const counts = { ok: 0, warning: 0, critical: 0 };
  for (const r of rated) counts[r.level] += 1;
  const status: AlertLevel = counts.critical > 0 ? 'critical' : counts.warning > 0 ? 'warning' : 'ok';
  const notOk = rated
    .filter((r) => r.level !== 'ok')
    .sort((a, b) =>
      a.level === b.level ? a.product.available - b.product.available : a.level === 'critical' ? -1 : 1,
    );
  if (options.json) {
    io.out(
      JSON.stringify(
        {
          status,
          checkedAt: new Date().toISOString(),
          partnerId: result.partnerId,
          counts,
          products: notOk.map((r) => ({
            productId: r.product.productId,
            productCode: r.product.productCode,
            productName: r.product.productName,
            available: r.product.available,
            level: r.level,
            threshold: r.threshold,
          })),
        },
        null,
        2,
      ),
    );
  } else {
    for (const r of notOk) {
      io.out(
        `${LABEL[r.level].padEnd(8)} ${r.product.productCode}  ${r.product.productName}: ${r.product.available} available (${r.level} at <= ${r.threshold})`,
      );
    }
    io.out(
      `licensewatch check: ${status.toUpperCase()}: ${result.products.length} products, ${counts.critical} critical, ${counts.warning} low`,
    );
  }
  return status === 'critical' ? EXIT.critical : status === 'warning' ? EXIT.warning : EXIT.ok;
}

export interface SignOptions {
  body?: string;
  baseUrl?: string;
  accessToken?: string;
  secretKey?: string;
}

/** `licensewatch sign`: prints a curl command with freshly signed LMPI headers; never the secret. */
export function signCommand(method: string, path: string, options: SignOptions, io: CliIo): number {
  const upper = method.toUpperCase();
  if (!['GET', 'POST', 'PUT', 'DELETE', 'PATCH'].includes(upper))
    throw new UsageError(`METHOD must be GET, POST, PUT, DELETE or PATCH, got ${JSON.stringify(method)}`);
  if (!path.startsWith('/'))
    throw new UsageError(`PATH must start with /, e.g. /LMPI/v2/partners/product, got ${JSON.stringify(path)}`);
  if (options.body !== undefined) {
    try {
      JSON.parse(options.body);
    } catch {
      throw new UsageError('--body must be JSON (it is signed byte for byte as given)');
    }
  }
  const accessToken = options.accessToken ?? io.env.accessToken;
  const secretKey = options.secretKey ?? io.env.secretKey;
  if (Boolean(accessToken) !== Boolean(secretKey))
    throw new UsageError(
      'give both LMPI_ACCESS_TOKEN and LMPI_SECRET_KEY (or the flags), or neither for the sandbox defaults',
    );
  const base = (options.baseUrl ?? io.env.baseUrl ?? 'http://127.0.0.1:4010')
    .replace(/\/+$/, '')
    .replace(/\/LMPI$/, '');
  if (!accessToken)
    io.err(
      'licensewatch: no LMPI credentials: signing with the sandbox development credentials (licensewatch sandbox)',
    );
  const headers = lmpiHeaders({
    accessToken: accessToken ?? DEV_CREDENTIALS.distributor.accessToken,
    secretKey: secretKey ?? DEV_CREDENTIALS.distributor.secretKey,
    traceId: randomUUID(),
    posixTime: Math.floor(Date.now() / 1000),
    method: upper,
    uri: path,
    ...(options.body !== undefined ? { body: options.body } : {}),
  });
  io.out(
    curlCommand({
      url: base + path,
      method: upper,
      headers,
      ...(options.body !== undefined ? { body: options.body } : {}),
    }),
  );
  io.err('licensewatch: the signature is valid for 15 minutes');
  return EXIT.ok;
}

/** `licensewatch sandbox`: runs the LMPI sandbox until interrupted. */
export async function sandboxCommand(options: { port: string; host: string }, io: CliIo): Promise<number> {
  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port must be a port number, got ${JSON.stringify(options.port)}`);
  const logger = {
    info: (fields: object, message?: string) => io.err(JSON.stringify({ ...fields, msg: message })),
    warn: (fields: object, message?: string) => io.err(JSON.stringify({ level: 'warn', ...fields, msg: message })),
  };
  const sandbox = await createSandbox({ port, host: options.host, logger });
  const { accessToken, secretKey } = sandbox.credentials.distributor;
  io.out(
    [
      `LMPI sandbox listening on ${sandbox.url} (${sandbox.controls.catalogue().length} products)`,
      `  LMPI_BASE_URL=${sandbox.url}`,
      `  LMPI_ACCESS_TOKEN=${accessToken}`,
      `  LMPI_SECRET_KEY=${secretKey}   (development credentials)`,
      `  try: LMPI_BASE_URL=${sandbox.url} LMPI_ACCESS_TOKEN=${accessToken} LMPI_SECRET_KEY=${secretKey} licensewatch products`,
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await sandbox.close();
  return EXIT.ok;
}
