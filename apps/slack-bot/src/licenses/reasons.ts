import { explainLmpiFailure } from '@licensewatch/client';

/**
 * What to tell a Slack user about an LMPI failure, from the error's code (never its message).
 *
 * @example
 * ```ts
 * failureReason(error).reason // 'LMPI rejected the credentials'
 * ```
 */
export const failureReason = explainLmpiFailure;
