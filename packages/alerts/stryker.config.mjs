import { strykerConfig } from '@licensewatch/tooling/stryker';

export default strykerConfig({
  // forecast.ts is left out while issue 18 rewrites it and its tests (its own score, 57 % on the
  // 2 December main, belongs to that work): add it back here when that lands, and refresh
  // stryker-incremental.json with `pnpm mutation`.
  mutate: ['src/**/*.ts', '!src/**/*.test.ts', '!src/index.ts', '!src/forecast.ts'],
  thresholds: { break: 85 },
});
