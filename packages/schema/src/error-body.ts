import { z } from 'zod';

/**
 * The LMPI error body: `{ "error_subject": "<code>", "error_message": "<human text>" }`.
 * Match on `error_subject`; the message text differs between documentation versions.
 *
 * @example
 * ```ts
 * lmpiErrorBodySchema.parse({ error_subject: 'InternalError', error_message: 'Internal server error' })
 * ```
 */
export const lmpiErrorBodySchema = z.object({
  error_subject: z.string().min(1),
  error_message: z.string(),
});

/** The wire shape of an LMPI error body. */
export type LmpiErrorBody = z.infer<typeof lmpiErrorBodySchema>;

/**
 * General error subjects (§2.2 of the reference), with the HTTP status LMPI sends them with.
 * `InvalidParameters` is a prefix: LMPI appends the field name (`InvalidParametersCount`).
 */
export const LMPI_ERROR_STATUS = {
  MissingHeaderAccessToken: 400,
  MissingHeaderPosixTime: 400,
  MissingHeaderSignature: 400,
  MissingHeaderTraceID: 400,
  InvalidParameters: 400,
  AuthenticationFailureSignature: 401,
  AuthenticationFailureAccessToken: 401,
  AuthenticationFailurePosixTime: 401,
  InvalidHeaderAccessToken: 401,
  InvalidHeaderContentType: 415,
  InternalMappingError: 500,
  CSPIError: 500,
  InternalError: 500,
  ServerException: 500,
} as const;

/** A documented general error subject. */
export type LmpiErrorSubject = keyof typeof LMPI_ERROR_STATUS;

/**
 * Reads an LMPI error body from raw response text, whatever content-type it came with
 * (LMPI labels some JSON errors `text/html`). Returns `undefined` when the text is not an error body.
 *
 * @example
 * ```ts
 * parseLmpiErrorBody('{"error_subject":"InternalError","error_message":"x"}')?.error_subject
 * // 'InternalError'
 * ```
 */
export function parseLmpiErrorBody(text: string): LmpiErrorBody | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const result = lmpiErrorBodySchema.safeParse(json);
  return result.success ? result.data : undefined;
}
