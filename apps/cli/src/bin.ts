#!/usr/bin/env node
import { paletteFor } from './colour.js';
import { loadEnvFile, readCliEnv, takeEnvFileFlag } from './env.js';
import { EXIT, UsageError } from './exit-codes.js';
import { buildProgram } from './program.js';

let args: string[];
try {
  const taken = takeEnvFileFlag(process.argv.slice(2));
  loadEnvFile(taken.envFile); // before the environment is read; real variables win over the file
  args = taken.args;
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  process.stderr.write(`licensewatch: ${error.message}\n`);
  process.exit(EXIT.usage);
}

const env = readCliEnv();
const interactive = process.stdout.isTTY === true;
const io = {
  out: (text: string) => process.stdout.write(`${text}\n`),
  write: (text: string) => process.stdout.write(text),
  err: (text: string) => process.stderr.write(`${text}\n`),
  env,
  interactive,
  palette: paletteFor(env, interactive),
};

buildProgram(io)
  .run(args)
  .then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`licensewatch: unexpected error: ${(error as Error).message}\n`);
      process.exitCode = 70;
    },
  );
