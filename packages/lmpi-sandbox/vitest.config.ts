import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Pact's native core reads the real process environment (PACT_DO_NOT_TRACK): forks, not threads.
    pool: 'forks',
    // Some tests start processes (start, sign, curl); under a parallel test run they need more than 5 s.
    testTimeout: 20_000,
  },
});
