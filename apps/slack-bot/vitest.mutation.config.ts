import { packageConfig } from '@licensewatch/tooling/vitest';

/** The delivery pipeline's unit tests, the suite `pnpm mutation` judges mutants of src/delivery with. */
export default packageConfig({ test: { include: ['src/delivery/**/*.test.ts'] } });
