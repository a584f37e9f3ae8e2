// The CLI proper, loaded by bin.ts once the Node.js version is known to be supported.

import { errorMessage } from '@licensewatch/schema';
import { paletteFor } from './colour.js';
import { loadEnvFile, readCliEnv, takeEnvFileFlag } from './env.js';
import { EXIT, UsageError } from './exit-codes.js';
import { buildProgram } from './program.js';
import { closableOutput } from './stdio.js';

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
// `| head -1` may close stdout (or stderr) early: the rest of the output is dropped, quietly.
const stdout = closableOutput(process.stdout);
const stderr = closableOutput(process.stderr);
const io = {
  out: (text: string) => stdout.write(`${text}\n`),
  write: (text: string) => stdout.write(text),
  err: (text: string) => stderr.write(`${text}\n`),
  env,
  interactive,
  palette: paletteFor(env, interactive),
};

// Anything thrown outside a command's promise (a stream error other than a closed pipe) is still a
// bug: one line and exit 70, the documented code, rather than a stack trace and exit 1.
process.on('uncaughtException', (error) => {
  stderr.write(`licensewatch: unexpected error: ${error.message}\n`);
  process.exit(EXIT.internal);
});

buildProgram(io)
  .run(args)
  .then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      stderr.write(`licensewatch: unexpected error: ${errorMessage(error)}\n`);
      process.exitCode = EXIT.internal;
    },
  );
