import { strykerConfig } from '@licensewatch/tooling/stryker';

export default strykerConfig({
  // testing.ts is the test helper other packages use (a schema per test), not store behaviour.
  mutate: ['src/**/*.ts', '!src/**/*.test.ts', '!src/index.ts', '!src/testing.ts'],
  thresholds: { break: 80 },
});
