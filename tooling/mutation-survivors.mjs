// Re-tests a package's surviving mutants, keeping every other committed result.
//
// Why: Stryker's incremental mode keeps a *Survived* result for a static mutant (one in a
// module-level constant: a rule table, a set of codes, a regular expression; it has no per-test
// coverage) even after a new test would kill it. This drops the survivors (and the mutants no test
// covered) from `stryker-incremental.json` and runs Stryker incrementally: only they are tested
// again, the killed ones are reused. Stryker then rewrites the file; commit it.
//
// Usage, in a package: `pnpm mutation:survivors` (or `pnpm --filter <package> mutation:survivors`).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const file = 'stryker-incremental.json';
if (!existsSync(file)) {
  console.error(`${process.cwd()}: no ${file}; run \`pnpm mutation\` first.`);
  process.exit(1);
}
const report = JSON.parse(readFileSync(file, 'utf8'));
let dropped = 0;
for (const entry of Object.values(report.files)) {
  const kept = entry.mutants.filter((mutant) => mutant.status !== 'Survived' && mutant.status !== 'NoCoverage');
  dropped += entry.mutants.length - kept.length;
  entry.mutants = kept;
}
writeFileSync(file, JSON.stringify(report));
console.log(`mutation:survivors: re-testing ${dropped} surviving or uncovered mutants`);
const stryker = spawnSync('stryker', ['run'], { stdio: 'inherit', shell: false });
process.exit(stryker.status ?? 1);
