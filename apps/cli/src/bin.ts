#!/usr/bin/env node
import { readCliEnv } from './env.js';
import { buildProgram } from './program.js';

const io = {
  out: (text: string) => process.stdout.write(`${text}\n`),
  write: (text: string) => process.stdout.write(text),
  err: (text: string) => process.stderr.write(`${text}\n`),
  env: readCliEnv(),
  interactive: process.stdout.isTTY === true,
};

buildProgram(io)
  .run(process.argv.slice(2))
  .then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`licensewatch: unexpected error: ${(error as Error).message}\n`);
      process.exitCode = 70;
    },
  );
