import { packageConfig } from '@licensewatch/tooling/vitest';

/**
 * The delivery pipeline's unit tests: the suite `pnpm mutation` judges mutants of src/delivery with.
 * `include` is replaced, not merged (vitest's mergeConfig would append it to the shared list).
 */
const config = packageConfig();
export default { ...config, test: { ...config.test, include: ['src/delivery/**/*.test.ts'] } };
