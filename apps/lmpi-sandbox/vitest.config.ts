import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Pact's native core reads the real process environment (PACT_DO_NOT_TRACK): forks, not threads.
    pool: 'forks',
  },
});
