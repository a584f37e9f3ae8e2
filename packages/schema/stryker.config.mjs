import { strykerConfig } from '@licensewatch/tooling/stryker';

export default strykerConfig({
  // fixtures/ is test data (documented samples, generators), not behaviour.
  mutate: ['src/**/*.ts', '!src/**/*.test.ts', '!src/index.ts', '!src/fixtures/**'],
  thresholds: { break: 85 },
});
