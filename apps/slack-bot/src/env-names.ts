// Which environment variable names belong to the bot, and what a name it does not know was meant to be.

/**
 * Prefixes of the bot's own settings: a variable starting with one of these that the bot does not
 * know is a typo or a leftover (generic prefixes such as `LOG_`, `DATA_` or `DATABASE_` are left
 * out: other software in the same environment uses them).
 */
export const SETTING_PREFIXES = [
  'SLACK_',
  'LMPI_',
  'LICENSEWATCH_',
  'PAGERDUTY_',
  'OUTBOX_',
  'ALERT_',
  'POLL_',
  'THRESHOLDS_',
  'ADMIN_',
  'HISTORY_',
  'METRICS_',
  'CACHE_',
  'LOCAL_',
] as const;

/**
 * Variables with those prefixes that belong to the rest of the project, not the bot: the LMPI
 * sandbox's (which `pnpm dev` and compose set next to the bot's), compose's port binding and the
 * test database directory.
 */
export const OTHER_PROJECT_VARIABLES = new Set([
  'LMPI_SANDBOX_PORT',
  'LMPI_SANDBOX_HOST',
  'LMPI_SANDBOX_CATALOGUE',
  'LICENSEWATCH_BIND',
  'LICENSEWATCH_TEST_PGDATA',
]);

/** A variable the bot does not know, and the known one it is closest to (when one is close). */
export interface UnknownVariable {
  name: string;
  suggestion: string | undefined;
}

/** Edit distance (insertions, deletions, substitutions, adjacent swaps). */
function distance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j += 1) (rows[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i += 1) {
    const row = rows[i] as number[];
    const above = rows[i - 1] as number[];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min((above[j] as number) + 1, (row[j - 1] as number) + 1, (above[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        row[j] = Math.min(row[j] as number, ((rows[i - 2] as number[])[j - 2] as number) + 1);
    }
  }
  return (rows[a.length] as number[])[b.length] as number;
}

/**
 * The known name closest to `name`, if it is close enough to be a typo (at most 3 edits, and
 * fewer than a third of the name).
 *
 * @example
 * ```ts
 * didYouMean('SLACK_BOT_TOKN', ['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN']) // 'SLACK_BOT_TOKEN'
 * ```
 */
export function didYouMean(name: string, known: readonly string[]): string | undefined {
  let best: { name: string; edits: number } | undefined;
  for (const candidate of known) {
    const edits = distance(name, candidate);
    if (!best || edits < best.edits) best = { name: candidate, edits };
  }
  if (!best || best.edits > Math.min(3, Math.floor(name.length / 3))) return undefined;
  return best.name;
}

/**
 * The variables set in `env` that carry one of the bot's prefixes but that it does not know,
 * each with the known name it most likely meant.
 *
 * @example
 * ```ts
 * unknownVariables({ SLACK_SIGNIN_SECRET: 's' }, ['SLACK_SIGNING_SECRET'])
 * // [{ name: 'SLACK_SIGNIN_SECRET', suggestion: 'SLACK_SIGNING_SECRET' }]
 * ```
 */
export function unknownVariables(
  env: Readonly<Record<string, string | undefined>>,
  known: readonly string[],
): UnknownVariable[] {
  const knownSet = new Set(known);
  return Object.keys(env)
    .filter((name) => SETTING_PREFIXES.some((prefix) => name.startsWith(prefix)))
    .filter((name) => !knownSet.has(name) && !OTHER_PROJECT_VARIABLES.has(name))
    .sort()
    .map((name) => ({ name, suggestion: didYouMean(name, known) }));
}
