#!/usr/bin/env node
// The `licensewatch` entry point: checks the Node.js version first, and only then loads the CLI.
// Nothing of the CLI is imported statically here, so no native module (better-sqlite3) loads on an
// unsupported Node (where it would crash the process instead of failing with a message).
import { EXIT_UNSUPPORTED_RUNTIME } from './exit-codes.js';
import { supportedNodeRange, unsupportedNode } from './runtime-check.js';

const problem = unsupportedNode(process.versions.node, supportedNodeRange());
if (problem) {
  process.stderr.write(`licensewatch: ${problem}\n`);
  process.exit(EXIT_UNSUPPORTED_RUNTIME);
}
await import('./main.js');
