import { packageConfig } from '@licensewatch/tooling/vitest';

export default packageConfig();
