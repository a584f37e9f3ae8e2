import { type LmpiFailureKind, lmpiFailureKind } from './errors.js';

const EXPLANATIONS: Record<LmpiFailureKind, { reason: string; check: string }> = {
  credentials: {
    reason: 'LMPI rejected the credentials',
    check: 'Check LMPI_ACCESS_TOKEN and LMPI_SECRET_KEY (Partners > Credentials in LMP).',
  },
  'clock-skew': {
    reason: 'LMPI rejected this server’s clock',
    check: 'Sync the host’s clock (NTP): LMPI allows 15 minutes of skew.',
  },
  forbidden: {
    reason: 'this LMPI role may not list products',
    check: 'Use Distributor, ISP or MSP credentials (Resellers cannot list products).',
  },
  'not-found': {
    reason: 'LMPI_BASE_URL does not point at LMPI',
    check: 'Set LMPI_BASE_URL to https://cspi.trendmicro.com (no path).',
  },
  'bad-request': {
    reason: 'LMPI refused the request',
    check: 'Update licensewatch; if it persists, report the trace id in the logs.',
  },
  'rate-limited': {
    reason: 'LMPI is rate limiting requests',
    check: 'Wait a minute; poll less often if it keeps happening.',
  },
  server: {
    reason: 'LMPI had an internal error',
    check: 'Usually temporary; Trend Micro support can trace the request id in the logs.',
  },
  unreachable: {
    reason: 'LMPI is unreachable',
    check: 'Check the network, DNS and proxy from this host to LMPI_BASE_URL.',
  },
  timeout: {
    reason: 'LMPI did not answer in time',
    check: 'Usually temporary; check the network path to LMPI_BASE_URL.',
  },
  'bad-response': {
    reason: 'LMPI sent data licensewatch could not read',
    check: 'The error names the product and field; report it to licensewatch.',
  },
  config: {
    reason: 'the LMPI settings are invalid',
    check: 'Check LMPI_BASE_URL, LMPI_ACCESS_TOKEN and LMPI_SECRET_KEY.',
  },
  unknown: { reason: 'something went wrong talking to LMPI', check: 'See the log for details.' },
};

/**
 * The words for a failure kind: a short reason and what to check. The one place a kind becomes text:
 * the channel notice, `/licenses`, Home and the CLI all say this sentence, also for a kind read back
 * from the outbox long after the error itself is gone.
 *
 * @example
 * ```ts
 * describeLmpiFailure('clock-skew').reason // 'LMPI rejected this server’s clock'
 * ```
 */
export function describeLmpiFailure(kind: LmpiFailureKind): { reason: string; check: string } {
  return EXPLANATIONS[kind] ?? EXPLANATIONS.unknown;
}

/**
 * What to tell a person about an LMPI failure: its kind, a short reason and what to check, chosen by
 * the error's kind (never by parsing its message); the words come from {@link describeLmpiFailure}.
 *
 * @example
 * ```ts
 * explainLmpiFailure(error) // { kind: 'credentials', reason: 'LMPI rejected the credentials', check: 'Check LMPI_ACCESS_TOKEN…' }
 * ```
 */
export function explainLmpiFailure(error: unknown): { kind: LmpiFailureKind; reason: string; check: string } {
  const kind = lmpiFailureKind(error);
  return { kind, ...describeLmpiFailure(kind) };
}
