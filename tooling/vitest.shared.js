import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, mergeConfig } from 'vitest/config';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Where each entry point of the workspace's packages comes from in tests: its TypeScript source,
 * not its built `dist`. Packages export `dist` (what Node and users load); without this, a test of
 * the bot after editing `packages/alerts/src` would silently run the last build. Derived from each
 * package's `exports` (`./dist/x.d.ts` is built from `src/x.ts`), so a new subpath is covered too.
 * Child processes a test starts (the CLI's bin, `node -e`) still load `dist`: build for those.
 * `LICENSEWATCH_TEST_DIST=1` turns it off, to test what would be published.
 *
 * @example
 * ```js
 * sourceAliases() // [{ find: /^@licensewatch\/alerts$/, replacement: '/…/packages/alerts/src/index.ts' }, …]
 * ```
 * @param {string} [cwd] the tested package's folder (vitest runs in it)
 * @returns {{ find: RegExp, replacement: string }[]}
 */
export function sourceAliases(cwd = process.cwd()) {
  if (process.env.LICENSEWATCH_TEST_DIST) return [];
  const testedFile = join(cwd, 'package.json');
  const tested = existsSync(testedFile) ? JSON.parse(readFileSync(testedFile, 'utf8')) : {};
  // Only what the tested package may import: a package it does not depend on must stay unresolvable,
  // as it is for its users (the client's test that the sandbox is optional imports it and expects failure).
  const reachable = new Set([
    tested.name,
    ...Object.keys(tested.dependencies ?? {}),
    ...Object.keys(tested.devDependencies ?? {}),
    ...Object.keys(tested.peerDependencies ?? {}),
    ...Object.keys(tested.optionalDependencies ?? {}),
  ]);
  const aliases = [];
  for (const entry of readdirSync(join(root, 'packages'), { withFileTypes: true })) {
    const manifestFile = join(root, 'packages', entry.name, 'package.json');
    if (!entry.isDirectory() || !existsSync(manifestFile)) continue;
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    if (!reachable.has(manifest.name)) continue;
    // The tested package itself: its own folder (in Stryker's sandbox, the mutated copy).
    const home = manifest.name === tested.name ? cwd : join(root, 'packages', entry.name);
    for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
      if (typeof target !== 'object' || typeof target.types !== 'string') continue; // ./package.json
      const source = join(home, target.types.replace(/^\.\/dist\//, 'src/').replace(/\.d\.ts$/, '.ts'));
      if (!existsSync(source)) continue;
      const name = subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`;
      aliases.push({ find: new RegExp(`^${name.replace(/[/.]/g, '\\$&')}$`), replacement: source });
    }
  }
  return aliases;
}

/**
 * The vitest settings every package shares: tests next to the code and in test/, run in forked
 * processes (Pact's native core and better-sqlite3 read the real process; threads share too much),
 * with room for the tests that start servers and processes under a parallel run, and the
 * workspace's packages loaded from source ({@link sourceAliases}). Every benchmark's smoke run
 * (`test/benchmarks.smoke.test.ts`, see bench.shared.js) is one of those tests.
 * Plain JavaScript: vitest loads a workspace package's config helper through Node, untranspiled.
 *
 * @example
 * ```ts
 * // packages/x/vitest.config.ts
 * export default packageConfig({ test: { globalSetup: ['./test/setup.ts'] } })
 * ```
 * @param {import('vitest/config').ViteUserConfig} [overrides]
 */
export function packageConfig(overrides = {}) {
  return mergeConfig(
    defineConfig({
      resolve: { alias: sourceAliases() },
      test: {
        include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
        // Benchmark smoke runs (`*.smoke.test.ts`) run the built `dist/` in child processes: they cover
        // no source a mutant changes, and Stryker's sandbox has no `dist/`. Stryker's workers set
        // STRYKER_MUTATOR_WORKER; everywhere else (`pnpm test`, CI) they run.
        ...(process.env.STRYKER_MUTATOR_WORKER ? { exclude: ['**/node_modules/**', '**/*.smoke.test.ts'] } : {}),
        pool: 'forks',
        testTimeout: 20_000,
      },
    }),
    overrides,
  );
}
