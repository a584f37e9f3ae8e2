/**
 * The StrykerJS settings every mutation-tested package shares, merged with the package's own
 * `mutate` list and score thresholds. `pnpm mutation` (root) runs the packages one at a time.
 *
 * Why each setting (see the root README, "Mutation testing"):
 * - `checkers: []`, `tsconfigFile: ''`: TypeScript 7 is native and has no JavaScript compiler API,
 *   so Stryker's TypeScript checker and its tsconfig rewriting cannot run. Vitest transpiles
 *   without type checks anyway; a mutant that does not type-check simply fails its tests.
 * - `tempDirName: '../../.stryker-tmp'`: each package's tsconfig `extends` `../../tooling/...`;
 *   a sandbox two levels below the repository root keeps that relative path valid.
 * - `concurrency: 1`: the CI machine (and the shared dev machine) has two cores.
 * - `incremental`: the result of the last full run is committed per package
 *   (`stryker-incremental.json`); a run only re-tests mutants whose code or covering tests changed.
 *
 * @example
 * ```js
 * // packages/x/stryker.config.mjs
 * export default strykerConfig({ mutate: ['src/**\/*.ts', '!src/**\/*.test.ts'], thresholds: { break: 85 } });
 * ```
 * @param {{ mutate: string[], thresholds: { break: number, high?: number, low?: number } } & Record<string, unknown>} options
 * @returns {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export function strykerConfig({ thresholds, ...overrides }) {
  return {
    packageManager: 'pnpm',
    testRunner: 'vitest',
    plugins: ['@stryker-mutator/vitest-runner'],
    vitest: { configFile: 'vitest.config.ts' },
    checkers: [],
    tsconfigFile: '',
    coverageAnalysis: 'perTest',
    tempDirName: '../../.stryker-tmp',
    cleanTempDir: 'always',
    concurrency: 1,
    timeoutMS: 10_000,
    incremental: true,
    incrementalFile: 'stryker-incremental.json',
    reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
    htmlReporter: { fileName: 'reports/mutation/index.html' },
    jsonReporter: { fileName: 'reports/mutation/mutation.json' },
    clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true, skipFull: true },
    thresholds: { high: 90, low: thresholds.break, ...thresholds },
    ...overrides,
  };
}
