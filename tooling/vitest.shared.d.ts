import type { ViteUserConfig } from 'vitest/config';

/** The vitest settings every package shares, merged with the package's own `overrides`. */
export declare function packageConfig(overrides?: ViteUserConfig): ViteUserConfig;
