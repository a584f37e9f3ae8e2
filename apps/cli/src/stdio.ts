// Output to a reader that may go away: `licensewatch products | head -1` closes the pipe after one
// line, and the next write fails with EPIPE. That is the reader's choice, not an error: the CLI stops
// writing to that stream and finishes quietly with the exit code its command returns.

/** A writable standard stream (process.stdout, process.stderr). */
interface StdStream {
  write(text: string): boolean;
  on(event: 'error', listener: (error: NodeJS.ErrnoException) => void): unknown;
}

/** Writes to a standard stream until its reader closes it; later writes are dropped, never thrown. */
export interface ClosableOutput {
  write(text: string): void;
  /** True once the reader went away (EPIPE). */
  readonly closed: boolean;
}

/**
 * Wraps a standard stream so that a closed pipe (EPIPE) ends its output quietly. Any other stream
 * error is rethrown (an unexpected error, exit 70).
 *
 * @example
 * ```ts
 * const stdout = closableOutput(process.stdout)
 * stdout.write('CODE  NAME\n') // after `| head -1` went away: dropped, no crash
 * ```
 */
export function closableOutput(stream: StdStream): ClosableOutput {
  let closed = false;
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE') throw error;
    closed = true;
  });
  return {
    write(text) {
      if (!closed) stream.write(text);
    },
    get closed() {
      return closed;
    },
  };
}
