import { packageConfig } from '@licensewatch/tooling/vitest';
import type { ViteUserConfig } from 'vitest/config';

/**
 * The delivery pipeline's unit tests: the suite `pnpm mutation` judges mutants of src/delivery with.
 * `include` is replaced, not merged (vitest's mergeConfig would append it to the shared list).
 */
const config = packageConfig();
const mutationConfig: ViteUserConfig = { ...config, test: { ...config.test, include: ['src/delivery/**/*.test.ts'] } };
export default mutationConfig;
