/** One reason a response cannot be used, located precisely enough to act on. */
export interface SchemaIssue {
  /** JSON path into the response, e.g. `products[3].available`. */
  path: string;
  /** Human label of the record at fault, e.g. `product NNZBXXE1X (1b6c…)`, when known. */
  record?: string;
  /** The field at fault, e.g. `available`. */
  field?: string;
  message: string;
}

/**
 * A response arrived but cannot be used: a field we depend on is missing or has the wrong type,
 * or (for strict parsing) anything deviates from the documented contract.
 *
 * @example
 * ```ts
 * try { parseProductCatalogue(json) } catch (error) {
 *   if (isSchemaViolationError(error)) console.error(error.issues.map((i) => i.message))
 * }
 * ```
 */
export class SchemaViolationError extends Error {
  override readonly name = 'SchemaViolationError';
  readonly code = 'ERR_LMPI_SCHEMA_VIOLATION';
  readonly issues: readonly SchemaIssue[];

  constructor(what: string, issues: readonly SchemaIssue[]) {
    const shown = issues.slice(0, 5).map((issue) => issue.message);
    const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : '';
    super(`${what} does not match the LMPI contract: ${shown.join('; ')}${more}`);
    this.issues = issues;
  }
}

/**
 * True for a {@link SchemaViolationError}, also across package copies (matches on `code`).
 *
 * @example
 * ```ts
 * if (isSchemaViolationError(error)) showIssues(error.issues)
 * ```
 */
export function isSchemaViolationError(value: unknown): value is SchemaViolationError {
  return value instanceof Error && (value as { code?: unknown }).code === 'ERR_LMPI_SCHEMA_VIOLATION';
}

/**
 * The message of anything thrown, for a person to read: an `Error`'s message, else the value as text.
 * For logs, pass the error itself (`logger.warn({ err: error }, …)`) so stack, cause and code survive.
 *
 * @example
 * ```ts
 * try { await readFile(path) } catch (error) { console.error(`cannot read ${path}: ${errorMessage(error)}`) }
 * ```
 */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  try {
    return String(error);
  } catch {
    return 'unknown error'; // e.g. an object without a prototype, which has no toString
  }
}
