import { strykerConfig } from '@licensewatch/tooling/stryker';

/**
 * Only the delivery pipeline (dispatcher, routing, notifiers), judged by its unit tests
 * (vitest.mutation.config.ts): the end-to-end suites run the built bot in child processes, so they
 * cannot see a mutant in the sandbox's sources and would only add minutes per mutant.
 */
export default strykerConfig({
  mutate: [
    'src/delivery/dispatcher.ts',
    'src/delivery/routing.ts',
    'src/delivery/notifier.ts',
    'src/delivery/slack/notifier.ts',
    'src/delivery/pagerduty/notifier.ts',
    'src/delivery/pagerduty/events.ts',
  ],
  vitest: { configFile: 'vitest.mutation.config.ts' },
  thresholds: { break: 80 },
});
