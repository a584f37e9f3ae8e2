import { type LmpiFailureKind, lmpiFailureKind } from '@licensewatch/client';

/** One line saying why LMPI data is missing or old, and what to check. Chosen by error kind. */
const REASONS: Record<LmpiFailureKind, { reason: string; check: string }> = {
  credentials: {
    reason: 'LMPI rejected the credentials',
    check: 'Check LMPI_ACCESS_TOKEN and LMPI_SECRET_KEY (Partners > Credentials in LMP).',
  },
  'clock-skew': {
    reason: 'LMPI rejected this server’s clock',
    check: 'Sync the bot host’s clock (NTP): LMPI allows 15 minutes of skew.',
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
    check: 'Wait a minute; raise CACHE_TTL if it keeps happening.',
  },
  server: {
    reason: 'LMPI had an internal error',
    check: 'Usually temporary; Trend Micro support can trace the request id in the logs.',
  },
  unreachable: {
    reason: 'LMPI is unreachable',
    check: 'Check the network, DNS and proxy from the bot host to LMPI_BASE_URL.',
  },
  timeout: {
    reason: 'LMPI did not answer in time',
    check: 'Usually temporary; check the network path to LMPI_BASE_URL.',
  },
  'bad-response': {
    reason: 'LMPI sent data licensewatch could not read',
    check: 'See the bot log for the product and field; report it to licensewatch.',
  },
  config: {
    reason: 'the LMPI settings are invalid',
    check: 'Check LMPI_BASE_URL, LMPI_ACCESS_TOKEN and LMPI_SECRET_KEY.',
  },
  unknown: { reason: 'something went wrong talking to LMPI', check: 'See the bot log for details.' },
};

/**
 * What to tell a Slack user about an LMPI failure, from the error's code (never its message).
 *
 * @example
 * ```ts
 * failureReason(error).reason // 'LMPI rejected the credentials'
 * ```
 */
export function failureReason(error: unknown): { kind: LmpiFailureKind; reason: string; check: string } {
  const kind = lmpiFailureKind(error);
  return { kind, ...REASONS[kind] };
}
