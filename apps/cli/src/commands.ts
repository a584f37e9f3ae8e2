import {
  type AlertLevel,
  compareByName,
  compareUrgency,
  DEFAULT_THRESHOLDS,
  describeTrigger,
  forecastPools,
  formatNumber,
  formatRate,
  formatRunway,
  type HistoryPoint,
  loadThresholdsFile,
  matchesFilter,
  type PoolForecasts,
  type RatedProduct,
  type RuleResolver,
  rateProducts,
  ruleResolver,
  type ThresholdConfig,
  ThresholdsFileError,
} from '@licensewatch/alerts';
import {
  explainLmpiFailure,
  isLmpiError,
  type LmpiClient,
  type ProductListResult,
  type RemoteLmpiTarget,
  signedCurl,
} from '@licensewatch/client';
import { errorMessage, isVisionOnePlan, type ProductProfile } from '@licensewatch/schema';
import type { Palette } from './colour.js';
import { recordsToCsv } from './csv.js';
import type { CliEnv } from './env.js';
import { EXIT, UsageError } from './exit-codes.js';
import { NO_HISTORY_NOTE, readHistory } from './history.js';
import { readThresholdOverrides } from './overrides.js';
import { startSpinner } from './spinner.js';
import { renderTable } from './table.js';
import { type LmpiFlags, lmpiTargetFromFlags, loadSandbox, resolveTarget } from './target.js';

/** Where a command writes. */
export interface CliIo {
  /** A line to stdout (a newline is added). */
  out: (text: string) => void;
  /** Text to stdout exactly as given (CSV brings its own CRLF line ends). */
  write: (text: string) => void;
  err: (text: string) => void;
  env: CliEnv;
  /** stdout is a terminal: spinners allowed. */
  interactive: boolean;
  /** Colours for terminal output (plain with NO_COLOR or off a terminal). */
  palette: Palette;
}

export async function fetchProducts(
  flags: LmpiFlags,
  io: CliIo,
  json: boolean,
  quiet = false,
): Promise<{ result?: ProductListResult; code: number }> {
  // --quiet drops the informational note (embedded sandbox); errors and warnings still go to stderr.
  const target = await resolveTarget(flags, io.env, quiet ? () => undefined : io.err);
  const stop = startSpinner(process.stderr, 'asking LMPI…', 300, io.interactive);
  try {
    const result = await (target.client as LmpiClient).listProducts();
    for (const warning of result.warnings) io.err(`licensewatch: warning: LMPI drift: ${warning.message}`);
    return { result, code: EXIT.ok };
  } catch (error) {
    const { kind, reason, check } = explainLmpiFailure(error);
    io.err(`licensewatch: ${reason}: ${errorMessage(error)}\n  ${check}`);
    if (json)
      io.out(JSON.stringify({ status: 'error', error: { kind, reason, message: errorMessage(error) } }, null, 2));
    return { code: EXIT.lmpiError };
  } finally {
    stop();
    await target.close();
  }
}

export interface ProductsOptions extends LmpiFlags {
  filter?: string;
  sort: string;
  thresholds?: string;
  json?: boolean;
  csv?: boolean;
}

/** `products --csv`: the fields of `--json`, flattened; these always come first, in this order. */
const PRODUCT_CSV_COLUMNS = [
  'productId',
  'productCode',
  'productName',
  'type',
  'version',
  'available',
  'level',
  'threshold',
  'levels.low',
  'levels.critical',
  'levels.source',
  'levels.lowRunwayMs',
  'levels.criticalRunwayMs',
  'servicePlans.name',
  'servicePlans.id',
  'servicePlans.visionOne',
];

const SORTS: Record<string, (a: RatedProduct<ProductProfile>, b: RatedProduct<ProductProfile>) => number> = {
  name: (a, b) => compareByName(a.product, b.product),
  available: (a, b) => a.product.available - b.product.available || compareByName(a.product, b.product),
  urgency: (a, b) =>
    compareUrgency(
      { ...a.product, level: a.level, runwayDays: a.runwayDays },
      { ...b.product, level: b.level, runwayDays: b.runwayDays },
    ),
};

/** What the bot's database adds: the rules in force and, when there is a database, its history. */
export interface BotView {
  ruleFor: RuleResolver;
  history: Map<string, HistoryPoint[]> | undefined;
  /** Which end of the runway interval thresholds use (the thresholds file's `runway_basis`). */
  basis?: ThresholdConfig['runwayBasis'];
}

/**
 * The rule for each product: the threshold file (or defaults) and the overrides set in Slack, read
 * from DATABASE_URL when given (before asking LMPI: a bad database fails fast), as the bot resolves
 * them; and the bot's recorded history, for runways.
 */
export async function levelsFor(config: ThresholdConfig, io: CliIo): Promise<BotView> {
  const basis = config.runwayBasis;
  if (!io.env.databaseUrl) return { ruleFor: ruleResolver(config), history: undefined, basis };
  const overrides = await readThresholdOverrides(io.env.databaseUrl);
  const history = await readHistory(io.env.databaseUrl, Date.now());
  return { ruleFor: ruleResolver(config, overrides), history, basis };
}

/**
 * Forecasts (runways) when the bot's history is available, none otherwise: `forecastPools`, the
 * function the bot's poller forecasts with, so the CLI rates by runway as `/licenses` and alerts do.
 */
function forecastsOf(view: BotView, products: readonly ProductProfile[]): PoolForecasts | undefined {
  return view.history
    ? forecastPools(products, view.history, view.ruleFor, Date.now(), { basis: view.basis })
    : undefined;
}

/** `licensewatch products`: the product profiles as a table or JSON, with their level. */
export async function productsCommand(options: ProductsOptions, io: CliIo): Promise<number> {
  const sort = SORTS[options.sort];
  if (!sort)
    throw new UsageError(`--sort must be "available", "name" or "urgency", got ${JSON.stringify(options.sort)}`);
  if (options.json && options.csv) throw new UsageError('--json and --csv cannot be used together');
  const view = await levelsFor(thresholdConfig(options), io);
  const { result, code } = await fetchProducts(options, io, options.json === true);
  if (!result) return code;
  const pools = forecastsOf(view, result.products);
  const perDay = (r: RatedProduct) => pools?.estimates.get(r.product.productId)?.perDay;
  const rated = rateProducts(result.products, view.ruleFor, pools?.forecasts)
    .filter((r) => !options.filter || matchesFilter(r.product, options.filter))
    .sort(sort);
  const products = rated.map((r) => r.product);
  const withLevels = rated.map((r) => ({
    ...r.product,
    // Trend Vision One plans marked: LMPI v3 lists them, v2 leaves them out.
    servicePlans: r.product.servicePlans.map((plan) => ({
      ...plan,
      visionOne: isVisionOnePlan({ name: plan.name, product: r.product.productName }),
    })),
    level: r.level,
    threshold: r.threshold,
    levels: r.levels,
    ...(view.history
      ? { runwayDays: r.runwayDays ?? null, runway: r.forecast?.runway ?? null, perDay: perDay(r) ?? null }
      : {}),
  }));
  if (options.json) {
    io.out(JSON.stringify({ partnerId: result.partnerId, products: withLevels, warnings: result.warnings }, null, 2));
    return EXIT.ok;
  }
  if (options.csv) {
    io.write(recordsToCsv(withLevels, PRODUCT_CSV_COLUMNS));
    return EXIT.ok;
  }
  type Row = (typeof rated)[number];
  io.out(
    renderTable<Row>(rated, [
      { title: 'CODE', value: (r) => r.product.productCode },
      { title: 'NAME', value: (r) => r.product.productName, max: 60 },
      { title: 'TYPE', value: (r) => r.product.type ?? '-' },
      { title: 'VERSION', value: (r) => r.product.version ?? '-' },
      { title: 'AVAILABLE', value: (r) => formatNumber(r.product.available), align: 'right' },
      { title: 'PLANS', value: (r) => String(r.product.servicePlans.length), align: 'right' },
      { title: 'LEVEL', value: (r) => LABEL[r.level] },
      // Only with the bot's history (DATABASE_URL): the burn rate and the days until zero.
      ...(view.history
        ? [
            { title: 'RATE', value: (r: Row) => formatRate(perDay(r) ?? 0), align: 'right' as const },
            { title: 'RUNWAY', value: (r: Row) => formatRunway(r.runwayDays), align: 'right' as const },
          ]
        : []),
    ]),
  );
  if (!view.history) io.err(NO_HISTORY_NOTE);
  const critical = rated.filter((r) => r.level === 'critical').length;
  const low = rated.filter((r) => r.level === 'low').length;
  io.err(
    `${products.length} of ${result.products.length} products · ${critical} critical, ${low} low · partner ${result.partnerId ?? 'unknown'}`,
  );
  return EXIT.ok;
}

export interface CheckOptions extends LmpiFlags {
  thresholds?: string;
  low?: string;
  /** Deprecated: the old name of `low`. */
  warning?: string;
  critical?: string;
  json?: boolean;
  quiet?: boolean;
}

function level(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,9}$/.test(text))
    throw new UsageError(`${flag} must be a whole number of licenses, got ${JSON.stringify(text)}`);
  return Number(text);
}

export function thresholdConfig(
  options: Pick<CheckOptions, 'thresholds' | 'low' | 'warning' | 'critical'>,
): ThresholdConfig {
  let config = DEFAULT_THRESHOLDS;
  if (options.thresholds) {
    try {
      config = loadThresholdsFile(options.thresholds);
    } catch (error) {
      if (error instanceof ThresholdsFileError) throw new UsageError(error.message);
      throw error;
    }
  }
  if (options.low !== undefined && options.warning !== undefined)
    throw new UsageError('give --low only (--warning is its old name)');
  const low = level(options.low, '--low') ?? level(options.warning, '--warning') ?? config.default.low;
  const critical = level(options.critical, '--critical') ?? Math.min(config.default.critical, low);
  if (critical > low) throw new UsageError(`--critical (${critical}) must not be above --low (${low})`);
  return { ...config, default: { ...config.default, low, critical } };
}

const LABEL: Record<AlertLevel, string> = { critical: 'CRITICAL', low: 'LOW', ok: 'OK' };

function colouredLabel(level: AlertLevel, palette: Palette): string {
  const label = LABEL[level].padEnd(8);
  return level === 'critical' ? palette.red(label) : level === 'low' ? palette.yellow(label) : label;
}

/** `licensewatch check`: evaluates thresholds once; exit 0 ok, 1 low, 2 critical, 3 LMPI error. */
export async function checkCommand(options: CheckOptions, io: CliIo): Promise<number> {
  const view = await levelsFor(thresholdConfig(options), io);
  const { result, code } = await fetchProducts(options, io, options.json === true, options.quiet === true);
  if (!result) return code;
  const rated = rateProducts(result.products, view.ruleFor, forecastsOf(view, result.products)?.forecasts);
  const counts = { ok: 0, low: 0, critical: 0 };
  for (const r of rated) counts[r.level] += 1;
  const status: AlertLevel = counts.critical > 0 ? 'critical' : counts.low > 0 ? 'low' : 'ok';
  const notOk = rated.filter((r) => r.level !== 'ok'); // already in the urgency order
  if (options.quiet && status === 'ok') return EXIT.ok; // cron mails only on trouble
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
            levelSource: r.levels.source,
          })),
        },
        null,
        2,
      ),
    );
  } else {
    for (const r of notOk) {
      io.out(
        `${colouredLabel(r.level, io.palette)} ${r.product.productCode}  ${r.product.productName}: ${r.product.available} available (${r.trigger?.kind === 'runway' ? describeTrigger(r.trigger, r.product.available) : `${r.level} at <= ${r.threshold}`})`,
      );
    }
    io.out(
      `licensewatch check: ${status.toUpperCase()}: ${result.products.length} products, ${counts.critical} critical, ${counts.low} low`,
    );
    if (!view.history) io.err(NO_HISTORY_NOTE);
  }
  return status === 'critical' ? EXIT.critical : status === 'low' ? EXIT.low : EXIT.ok;
}

export interface SignOptions {
  body?: string;
  baseUrl?: string;
  accessToken?: string;
  secretKey?: string;
}

/**
 * `licensewatch sign`: prints a curl command with freshly signed LMPI headers; never the secret.
 * With no LMPI settings it signs for `licensewatch sandbox` (its default port and development
 * credentials); some but not all settings are a usage error, as for every other command.
 */
export async function signCommand(method: string, path: string, options: SignOptions, io: CliIo): Promise<number> {
  const request = { method, path, body: options.body };
  const sign = (target: RemoteLmpiTarget) => {
    try {
      return signedCurl(target, request);
    } catch (error) {
      if (isLmpiError(error)) throw new UsageError(error.message); // bad METHOD, PATH or --body
      throw error;
    }
  };
  sign({ kind: 'remote', baseUrl: 'http://127.0.0.1', accessToken: '-', secretKey: '-', apiVersion: 'v2' }); // check the request first
  const target = lmpiTargetFromFlags(options, io.env);
  let remote = target.kind === 'remote' ? target : undefined;
  if (!remote) {
    const { DEV_CREDENTIALS } = await loadSandbox();
    const { accessToken, secretKey } = DEV_CREDENTIALS.distributor;
    remote = {
      kind: 'remote',
      baseUrl: 'http://127.0.0.1:4010',
      accessToken,
      secretKey,
      apiVersion: target.apiVersion,
    };
    io.err(
      'licensewatch: no LMPI settings: signing for the local sandbox with its development credentials (licensewatch sandbox)',
    );
  }
  io.out(sign(remote));
  io.err('licensewatch: the signature is valid for 15 minutes');
  return EXIT.ok;
}

/** A port in use or a host not on this machine, as one line naming the flag to change (exit 64). */
function listenProblem(error: unknown, port: number, host: string): UsageError | undefined {
  const { code } = error as NodeJS.ErrnoException;
  if (code === 'EADDRINUSE')
    return new UsageError(
      `port ${port} is already in use on ${host}: stop what uses it, or choose another with --port`,
    );
  if (code === 'EADDRNOTAVAIL')
    return new UsageError(`cannot listen on ${host}: no such address on this machine; choose another with --host`);
  return undefined;
}

/**
 * A `JSON.stringify` replacer writing an error as pino's `err` serializer does (type, message, stack,
 * code) instead of `{}`: the sandbox logs `{ err: error }` when a request fails.
 */
function errorFields(_key: string, value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  const code = 'code' in value ? value.code : undefined;
  return { type: value.name, message: value.message, stack: value.stack, ...(code !== undefined ? { code } : {}) };
}

/** `licensewatch sandbox`: runs the LMPI sandbox until interrupted. */
export async function sandboxCommand(options: { port: string; host: string }, io: CliIo): Promise<number> {
  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port must be a port number, got ${JSON.stringify(options.port)}`);
  const logger = {
    info: (fields: object, message?: string) => io.err(JSON.stringify({ ...fields, msg: message }, errorFields)),
    warn: (fields: object, message?: string) =>
      io.err(JSON.stringify({ level: 'warn', ...fields, msg: message }, errorFields)),
  };
  const { createSandbox, sandboxBanner } = await loadSandbox();
  const sandbox = await createSandbox({ port, host: options.host, logger }).catch((error: unknown) => {
    throw listenProblem(error, port, options.host) ?? error;
  });
  const { accessToken, secretKey } = sandbox.credentials.distributor;
  io.out(
    sandboxBanner(sandbox, {
      tryCommand: `LMPI_BASE_URL=${sandbox.url} LMPI_ACCESS_TOKEN=${accessToken} LMPI_SECRET_KEY=${secretKey} licensewatch products`,
    }),
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await sandbox.close();
  return EXIT.ok;
}
