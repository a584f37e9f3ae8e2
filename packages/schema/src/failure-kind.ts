/**
 * Every kind of LMPI failure licensewatch tells people about, from the client (which classifies an
 * error) through the alert engine and the outbox (which carry the kind) to each surface (which words it
 * with the client's `describeLmpiFailure`). It lives here because both `client` and `alerts` depend on
 * `schema` and neither on the other.
 */
export const LMPI_FAILURE_KINDS = [
  'credentials',
  'clock-skew',
  'forbidden',
  'not-found',
  'bad-request',
  'rate-limited',
  'server',
  'unreachable',
  'timeout',
  'bad-response',
  'config',
  'unknown',
] as const;

/** What kind of LMPI failure happened: what the operator should check, not how it was detected. */
export type LmpiFailureKind = (typeof LMPI_FAILURE_KINDS)[number];

const KINDS: ReadonlySet<string> = new Set(LMPI_FAILURE_KINDS);

/**
 * True when `value` is one of {@link LMPI_FAILURE_KINDS}; for kinds read back from storage.
 *
 * @example
 * ```ts
 * isLmpiFailureKind('clock-skew') // true
 * isLmpiFailureKind('ECONNRESET') // false
 * ```
 */
export function isLmpiFailureKind(value: unknown): value is LmpiFailureKind {
  return typeof value === 'string' && KINDS.has(value);
}
