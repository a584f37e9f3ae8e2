import { strykerConfig } from '@licensewatch/tooling/stryker';

export default strykerConfig({
  mutate: ['src/**/*.ts', '!src/**/*.test.ts', '!src/index.ts'],
  thresholds: { break: 85 },
});
