// The mutation-score check `pnpm test` runs in every package with a stryker.config.mjs.
//
// It runs Stryker incrementally from the package's committed `stryker-incremental.json` (the result
// of the last full or incremental `pnpm mutation`): only mutants in code that changed since, or
// covered by tests that changed since, are tested again; every other result is reused. Stryker's
// `thresholds.break` then fails the run when the package's score is below its floor.
//
// Time box: a check that has to re-test more than a few minutes' worth of mutants means the
// committed results are stale (code changed without `pnpm mutation`); it stops and says so rather
// than stretching every CI run. MUTATION_CHECK_TIMEOUT_MS overrides the 6-minute box.
//
// The committed file is never rewritten here: Stryker reads and writes its incremental file, so
// this works on a copy under reports/ (ignored by git). Commit the refreshed file with
// `pnpm mutation` when you change a package.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const committed = 'stryker-incremental.json';
const copy = join('reports', 'mutation', 'check-incremental.json');

if (!existsSync(committed)) {
  console.error(
    `${process.cwd()}: no ${committed}. Run \`pnpm mutation\` once (a full run) and commit the file it writes.`,
  );
  process.exit(1);
}
mkdirSync(join('reports', 'mutation'), { recursive: true });
copyFileSync(committed, copy);

const timeoutMs = Number(process.env.MUTATION_CHECK_TIMEOUT_MS ?? 6 * 60_000);
const started = performance.now();
const stryker = spawnSync(
  'stryker',
  ['run', '--incrementalFile', copy, '--reporters', 'clear-text,json', '--logLevel', 'warn'],
  { stdio: 'inherit', shell: false, timeout: timeoutMs, killSignal: 'SIGINT' },
);
const seconds = ((performance.now() - started) / 1000).toFixed(1);
if (stryker.error?.code === 'ETIMEDOUT') {
  console.error(
    `mutation check stopped after ${seconds} s: stryker-incremental.json is out of date with the code. ` +
      'Run `pnpm mutation` (or `pnpm --filter <package> mutation`) and commit the file it refreshes.',
  );
  process.exit(1);
}
if (stryker.error) {
  console.error(`mutation check could not start Stryker: ${stryker.error.message}`);
  process.exit(1);
}
console.log(`mutation check: ${seconds} s (exit ${stryker.status})`);
process.exit(stryker.status ?? 1);
