#!/usr/bin/env node
// Compares the pact the consumer tests just wrote (.pact-out/) with the committed one (pacts/ at the
// repository root). A client change that alters the contract fails the test command until the new
// pact is regenerated (`pnpm --filter @licensewatch/client pact:update`) and committed.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const generatedDir = fileURLToPath(new URL('../.pact-out/', import.meta.url));
const committedDir = fileURLToPath(new URL('../../../pacts/', import.meta.url));
const update = process.argv.includes('--update');

/** Canonical form: interactions sorted, so that test order cannot make a difference. */
function canonical(file) {
  const pact = JSON.parse(readFileSync(file, 'utf8'));
  pact.interactions = [...pact.interactions].sort((a, b) =>
    `${a.description}|${JSON.stringify(a.providerStates)}`.localeCompare(
      `${b.description}|${JSON.stringify(b.providerStates)}`,
    ),
  );
  return JSON.stringify(pact, null, 2);
}

const generated = existsSync(generatedDir) ? readdirSync(generatedDir).filter((f) => f.endsWith('.json')) : [];
if (generated.length === 0) {
  console.error('check-pact: the consumer pact tests wrote no pact file to .pact-out/ (did they run?)');
  process.exit(1);
}

let stale = 0;
for (const name of generated) {
  const fresh = join(generatedDir, name);
  const committed = join(committedDir, name);
  if (update) {
    mkdirSync(committedDir, { recursive: true });
    copyFileSync(fresh, committed);
    console.log(`check-pact: updated pacts/${name}`);
  } else if (!existsSync(committed)) {
    console.error(`check-pact: pacts/${name} is not committed. Run: pnpm --filter @licensewatch/client pact:update`);
    stale += 1;
  } else if (canonical(fresh) !== canonical(committed)) {
    console.error(`check-pact: pacts/${name} differs from what the consumer tests generate.`);
    console.error(
      '  The client contract changed. Run: pnpm --filter @licensewatch/client pact:update, review and commit the pact.',
    );
    stale += 1;
  } else {
    console.log(`check-pact: pacts/${name} is up to date`);
  }
}
process.exit(stale === 0 ? 0 : 1);
