/** Exit codes, stable for cron and CI. */
export const EXIT = {
  ok: 0,
  low: 1,
  critical: 2,
  lmpiError: 3,
  /** Bad flags, missing or malformed settings (BSD sysexits EX_USAGE). */
  usage: 64,
} as const;

/** A problem with how the CLI was called: printed as one line, exit code 64, no stack trace. */
export class UsageError extends Error {
  override name = 'UsageError';
}
