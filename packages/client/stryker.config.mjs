import { strykerConfig } from '@licensewatch/tooling/stryker';

export default strykerConfig({
  // The Pact consumer tests run too: vitest's `forks` pool (tooling/vitest.shared.js) gives Pact's
  // native core a real process, as it needs.
  mutate: ['src/**/*.ts', '!src/**/*.test.ts', '!src/index.ts'],
  thresholds: { break: 85 },
});
