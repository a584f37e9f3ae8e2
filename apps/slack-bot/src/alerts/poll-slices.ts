// The poll hands the event loop back between its phases, so `/licenses` (answered on the same event
// loop) never waits behind a whole poll of a large catalogue. (Trends are not computed in slices: the
// consumption cache forgets the pools missing from the list it is given, and feeds only new readings.)

/**
 * Lets pending I/O (an incoming `/licenses`) run before the poll continues.
 *
 * @example
 * ```ts
 * await yieldToRequests()
 * ```
 */
export function yieldToRequests(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
