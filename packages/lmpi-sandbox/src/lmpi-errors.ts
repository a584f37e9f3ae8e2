import { LMPI_ERROR_STATUS, type LmpiErrorSubject } from '@licensewatch/schema';

/** An error answer exactly as LMPI sends it: a status and `{ error_subject, error_message }`. */
export interface LmpiErrorAnswer {
  status: number;
  subject: string;
  message: string;
}

/** Messages as the LMPI documentation words them (2024 version, paraphrased where not captured). */
const MESSAGES: Record<LmpiErrorSubject, string> = {
  MissingHeaderAccessToken: 'The x-access-token header is missing.',
  MissingHeaderPosixTime: 'The x-posix-time header is missing.',
  MissingHeaderSignature: 'The x-signature header is missing.',
  MissingHeaderTraceID: 'The x-traceid header is missing.',
  InvalidParameters: 'A parameter is invalid.',
  AuthenticationFailureSignature: 'The signature verification failed.',
  AuthenticationFailureAccessToken: 'The access token is not configured. Contact your administrator.',
  AuthenticationFailurePosixTime: 'The x-posix-time is out of the allowed range.',
  InvalidHeaderAccessToken: 'The x-access-token is invalid.',
  InvalidHeaderContentType: 'The supplied content-type is not supported.',
  InternalMappingError: 'Internal mapping error.',
  CSPIError: 'Unknown CSPI error.',
  InternalError: 'Internal server error.',
  ServerException: 'Internal server error.',
};

/**
 * The documented answer for a general error subject.
 *
 * @example
 * ```ts
 * lmpiError('MissingHeaderTraceID') // { status: 400, subject: 'MissingHeaderTraceID', message: '…' }
 * ```
 */
export function lmpiError(subject: LmpiErrorSubject, message = MESSAGES[subject]): LmpiErrorAnswer {
  return { status: LMPI_ERROR_STATUS[subject], subject, message };
}

/**
 * What the sandbox answers a Reseller on an endpoint its role may not call. LMPI documents the role
 * matrix but not this answer; the sandbox chooses 403 with `AuthorizationFailureRole` (named after
 * the documented AuthenticationFailure* family). Clients should treat any 403 as "role not allowed".
 */
export const ROLE_NOT_ALLOWED: LmpiErrorAnswer = {
  status: 403,
  subject: 'AuthorizationFailureRole',
  message: 'The partner role of this access token may not call this API.',
};
