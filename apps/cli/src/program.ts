import { readFileSync } from 'node:fs';
import { Argument, Command, CommanderError, Option } from 'commander';
import { chartCommand } from './chart.js';
import { type CliIo, checkCommand, productsCommand, sandboxCommand, signCommand } from './commands.js';
import { completionScript, SHELLS, type Shell } from './completion.js';
import { EXIT, UsageError } from './exit-codes.js';
import { transactionsCommand, usageCommand } from './reports.js';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

function lmpiOptions(command: Command): Command {
  return command
    .addOption(new Option('--base-url <url>', 'LMPI host, e.g. https://cspi.trendmicro.com (env LMPI_BASE_URL)'))
    .addOption(new Option('--access-token <guid>', 'partner access token (env LMPI_ACCESS_TOKEN)'))
    .addOption(
      new Option('--secret-key <key>', 'partner secret key; prefer the env LMPI_SECRET_KEY (flags show in ps)'),
    )
    .addOption(new Option('--timeout <ms>', 'per-attempt timeout in milliseconds').default('10000'));
}

/**
 * Builds the `licensewatch` command line. `run` resolves with the exit code instead of exiting, so
 * the caller decides (the bin exits; tests could call it in-process).
 */
export function buildProgram(io: CliIo): { run: (argv: string[]) => Promise<number> } {
  let exitCode: number = EXIT.ok;
  const program = new Command('licensewatch')
    .description('Trend Micro license availability from LMPI: for terminals, cron jobs and CI.')
    .version(version, '-V, --version', 'print the version')
    // Handled before parsing (bin.ts), so it works before or after the command; listed here for --help.
    .option('--env-file <path>', 'load settings from this file (default: ./.env when present); the environment wins')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.out(text.trimEnd()), writeErr: (text) => io.err(text.trimEnd()) });

  lmpiOptions(
    program
      .command('products')
      .description('list the products you can provision, with available licenses')
      .option('--filter <text>', 'only products whose name or code contains the text (case and accents ignored)')
      .addOption(
        new Option('--sort <field>', 'sort by (urgency: critical, low, ok; fewest first)')
          .choices(['available', 'name', 'urgency'])
          .default('name'),
      )
      .option('--thresholds <file>', 'threshold file (YAML, as for the Slack bot) for the level of each product')
      .option('--json', 'print JSON instead of a table'),
  ).action(async (options) => {
    exitCode = await productsCommand(options, io);
  });

  lmpiOptions(
    program
      .command('check')
      .description('evaluate thresholds once; exit 0 ok, 1 some low, 2 some critical, 3 LMPI error')
      .option('--thresholds <file>', 'threshold file (YAML, as for the Slack bot)')
      .option('--low <n>', 'low at or below n licenses (overrides the file default)')
      .option('--warning <n>', 'deprecated: the old name of --low')
      .option('--critical <n>', 'critical at or below n licenses (overrides the file default)')
      .option('--json', 'print JSON instead of text')
      .option('-q, --quiet', 'print nothing when every product is ok (for cron: mail only on trouble)'),
  ).action(async (options) => {
    exitCode = await checkCommand(options, io);
  });

  lmpiOptions(
    program
      .command('chart')
      .description("write a product's 30-day availability chart (levels, forecast) as PNG; needs DATABASE_URL")
      .argument('<code>', 'product code, e.g. AAAQXXE1X')
      .requiredOption('-o, --output <file.png>', 'where to write the PNG')
      .option('--thresholds <file>', 'threshold file (YAML, as for the Slack bot)'),
  ).action(async (code: string, options) => {
    exitCode = await chartCommand(code, options, io);
  });

  lmpiOptions(
    program
      .command('transactions')
      .description('who was allocated what: LMPI customer transactions of one month (units, no pricing)')
      .requiredOption('--month <YYYY-MM>', 'report month (UTC), e.g. 2025-07')
      .option('--product <code>', 'only this product code (looked up with the product list)')
      .option('--type <type>', 'only "New Purchase", "License Change" or "License Convert"')
      .option('--json', 'print JSON instead of a table')
      .option('--csv', 'print CSV (RFC 4180, CRLF) for spreadsheets and PSA imports'),
  ).action(async (options) => {
    exitCode = await transactionsCommand(options, io);
  });

  lmpiOptions(
    program
      .command('usage')
      .description("LMP's customer summary of one month: provisioned vs used per customer and product")
      .requiredOption('--month <YYYY-MM>', 'report month (UTC); LMP summarises a past month, usually the last one')
      .option('--customer <text>', 'only customers whose name contains the text (case and accents ignored)')
      .option('--json', 'print JSON instead of a table')
      .option('--csv', 'print CSV (RFC 4180, CRLF) for spreadsheets and PSA imports'),
  ).action(async (options) => {
    exitCode = await usageCommand(options, io);
  });

  program
    .command('sign')
    .description('print a curl command with signed LMPI headers (never prints the secret)')
    .argument('<METHOD>', 'HTTP method, e.g. GET')
    .argument('<path>', 'path and query, e.g. /LMPI/v2/partners/product')
    .option('--body <json>', 'request body, signed byte for byte')
    .option('--base-url <url>', 'LMPI host (env LMPI_BASE_URL; default the local sandbox on 4010)')
    .option('--access-token <guid>', 'env LMPI_ACCESS_TOKEN')
    .option('--secret-key <key>', 'env LMPI_SECRET_KEY')
    .action(async (method: string, path: string, options) => {
      exitCode = await signCommand(method, path, options, io);
    });

  program
    .command('sandbox')
    .description('run the local LMPI sandbox (development credentials are printed)')
    .option('--port <n>', 'port to listen on', '4010')
    .option('--host <address>', 'address to bind', '127.0.0.1')
    .action(async (options) => {
      exitCode = await sandboxCommand(options, io);
    });

  program
    .command('completion')
    .description('print a shell completion script (bash, zsh or fish)')
    .addArgument(new Argument('<shell>', 'the shell').choices(SHELLS))
    .action((shell: Shell) => {
      io.out(completionScript(shell, program).trimEnd());
    });

  return {
    run: async (argv) => {
      try {
        await program.parseAsync(argv, { from: 'user' });
        return exitCode;
      } catch (error) {
        if (error instanceof CommanderError) {
          // --help and --version end here too, with exit code 0.
          return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
        }
        if (error instanceof UsageError) {
          io.err(`licensewatch: ${error.message}`);
          return EXIT.usage;
        }
        throw error;
      }
    },
  };
}
