/** Exit codes, stable for cron and CI. The README's table lists each one (a test compares them). */
export const EXIT = {
  ok: 0,
  low: 1,
  critical: 2,
  lmpiError: 3,
  /**
   * Bad flags, missing or malformed settings, a port already in use, an unsupported Node.js
   * (BSD sysexits EX_USAGE).
   */
  usage: 64,
  /** A bug: an error the CLI did not expect (BSD sysexits EX_SOFTWARE). */
  internal: 70,
} as const;

/** An unsupported Node.js is a usage problem: exit 64. (This module imports nothing, so bin.ts may use it before the check.) */
export const EXIT_UNSUPPORTED_RUNTIME = EXIT.usage;

/** A problem with how the CLI was called: printed as one line, exit code 64, no stack trace. */
export class UsageError extends Error {
  override name = 'UsageError';
}
