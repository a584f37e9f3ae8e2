import { packageConfig } from '@licensewatch/tooling/vitest';

export default packageConfig({ test: { globalSetup: ['./test/pact-global-setup.ts'] } });
