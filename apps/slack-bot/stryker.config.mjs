import { strykerConfig } from '@licensewatch/tooling/stryker';

/**
 * The delivery pipeline: the dispatcher and its stages, routing and the notifier seam, judged by their
 * unit tests (vitest.mutation.config.ts: a real SQLite store, recording and fake notifiers). The Slack and PagerDuty
 * notifiers themselves are adapters pinned by the end-to-end suites against the Slack stand-in and
 * the fake PagerDuty; those start the whole bot per test, minutes per mutant, so they stay out.
 */
export default strykerConfig({
  // The dispatcher's stages moved into their own modules (planning, claims, retry stage, the stored
  // alert group); they are still the pipeline, judged by the same unit tests.
  mutate: [
    'src/delivery/dispatcher.ts',
    'src/delivery/planning.ts',
    'src/delivery/claims.ts',
    'src/delivery/retry-stage.ts',
    'src/delivery/alert-group.ts',
    'src/delivery/routing.ts',
    'src/delivery/notifier.ts',
  ],
  vitest: { configFile: 'vitest.mutation.config.ts' },
  thresholds: { break: 80 },
});
