import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from './exit-codes.js';

// The one module of the CLI that reads process.env.

/** LMPI settings (flags override them) and the bot's database, from the environment. */
export interface CliEnv {
  baseUrl: string | undefined;
  accessToken: string | undefined;
  secretKey: string | undefined;
  /** `LMPI_API_VERSION` as given (`v2` or `v3`; checked where the target is resolved). */
  apiVersion: string | undefined;
  /** The Slack bot's DATABASE_URL: threshold overrides set with `/licenses threshold` are read from it. */
  databaseUrl: string | undefined;
  /** `NO_COLOR` is set (to anything non-empty): never colour. */
  noColor: boolean;
  /** `FORCE_COLOR` is set (and not `0`): colour even when stdout is not a terminal, unless NO_COLOR. */
  forceColor: boolean;
}

/** Reads LMPI_BASE_URL, LMPI_ACCESS_TOKEN, LMPI_SECRET_KEY, LMPI_API_VERSION, DATABASE_URL, NO_COLOR and FORCE_COLOR (empty counts as unset). */
export function readCliEnv(source: NodeJS.ProcessEnv = process.env): CliEnv {
  const value = (name: string) => (source[name]?.trim() ? source[name]?.trim() : undefined);
  const force = value('FORCE_COLOR');
  return {
    baseUrl: value('LMPI_BASE_URL'),
    accessToken: value('LMPI_ACCESS_TOKEN'),
    secretKey: value('LMPI_SECRET_KEY'),
    apiVersion: value('LMPI_API_VERSION'),
    databaseUrl: value('DATABASE_URL'),
    noColor: value('NO_COLOR') !== undefined,
    forceColor: force !== undefined && force !== '0' && force !== 'false',
  };
}

/**
 * Takes `--env-file PATH` (or `--env-file=PATH`) out of the arguments, wherever it stands, so every
 * command accepts it.
 *
 * @example
 * ```ts
 * takeEnvFileFlag(['check', '--env-file', 'prod.env']) // { args: ['check'], envFile: 'prod.env' }
 * ```
 */
export function takeEnvFileFlag(argv: readonly string[]): { args: string[]; envFile: string | undefined } {
  const args: string[] = [];
  let envFile: string | undefined;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (arg === '--') {
      args.push(...argv.slice(i));
      break;
    }
    if (arg === '--env-file') {
      envFile = argv[i + 1];
      if (envFile === undefined || envFile.startsWith('-')) throw new UsageError('--env-file needs a path');
      i += 1;
    } else if (arg.startsWith('--env-file=')) envFile = arg.slice('--env-file='.length);
    else args.push(arg);
  }
  return { args, envFile };
}

/**
 * Loads settings from `envFile` (an error when it does not exist), or else from `.env` in the
 * working directory when there is one. Variables already in the environment win over the file.
 *
 * @returns the file loaded, if any.
 * @example
 * ```ts
 * loadEnvFile(takeEnvFileFlag(argv).envFile)
 * ```
 */
export function loadEnvFile(envFile: string | undefined, cwd = process.cwd()): string | undefined {
  const path = resolve(cwd, envFile ?? '.env');
  if (!existsSync(path)) {
    if (envFile !== undefined) throw new UsageError(`--env-file ${envFile}: no such file`);
    return undefined;
  }
  process.loadEnvFile(path);
  return path;
}
