/** JSON text for a column (`undefined` is stored as `null`). */
export const toJson = (value: unknown): string => JSON.stringify(value ?? null);

/** Parses a JSON column; SQL NULL stays `null`. */
export const fromJson = (text: string | null): unknown => (text === null ? null : JSON.parse(text));
