import { defineConfig, mergeConfig } from 'vitest/config';

/**
 * The vitest settings every package shares: tests next to the code and in test/, run in forked
 * processes (Pact's native core and better-sqlite3 read the real process; threads share too much),
 * with room for the tests that start servers and processes under a parallel run. Every benchmark's
 * smoke run (`test/benchmarks.smoke.test.ts`, see bench.shared.js) is one of those tests.
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
