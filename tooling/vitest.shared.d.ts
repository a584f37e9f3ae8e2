import type { ViteUserConfig } from 'vitest/config';

/** The vitest settings every package shares, merged with the package's own `overrides`. */
export declare function packageConfig(overrides?: ViteUserConfig): ViteUserConfig;

/** Each workspace package entry point mapped to its TypeScript source, for tests (none with `LICENSEWATCH_TEST_DIST=1`). */
export declare function sourceAliases(cwd?: string): { find: RegExp; replacement: string }[];
