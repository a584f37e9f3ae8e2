/** A CSV cell: text, a number, or empty (`null`/`undefined`). */
export type CsvValue = string | number | null | undefined;

const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One field as RFC 4180 writes it: quoted when it holds a comma, a double quote, CR or LF, with
 * inner quotes doubled; empty for null.
 *
 * @example
 * ```ts
 * csvField('Café "Le Rendez-vous", SARL') // '"Café ""Le Rendez-vous"", SARL"'
 * ```
 */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * A whole CSV document (RFC 4180): a header row, then one record per row, every line ending in
 * CRLF (the last one too), as spreadsheets and PSA imports expect. UTF-8, no byte-order mark.
 *
 * @example
 * ```ts
 * toCsv(['customer', 'units'], [['Acme, Inc.', 40]]) // 'customer,units\r\n"Acme, Inc.",40\r\n'
 * ```
 */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return [header, ...rows].map((row) => `${row.map(csvField).join(',')}\r\n`).join('');
}

/** A JSON value as CSV fields: nested objects become dotted columns, lists of values or objects are joined. */
function flatten(value: unknown, prefix: string, out: Map<string, CsvValue>): void {
  if (Array.isArray(value)) {
    const items = value.map((item) => {
      const fields = new Map<string, CsvValue>();
      flatten(item, '', fields);
      return fields;
    });
    const keys = [...new Set(items.flatMap((fields) => [...fields.keys()]))];
    if (keys.length === 1 && keys[0] === '') out.set(prefix, items.map((f) => f.get('') ?? '').join('; '));
    else for (const key of keys) out.set(`${prefix}.${key}`, items.map((f) => f.get(key) ?? '').join('; '));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) flatten(inner, prefix ? `${prefix}.${key}` : key, out);
  } else {
    out.set(prefix, typeof value === 'boolean' ? String(value) : (value as CsvValue));
  }
}

/**
 * The records a command prints as JSON, as one CSV document with the same fields: nested objects
 * become dotted columns (`levels.low`), lists are joined with `; ` (`servicePlans.name`), and a field
 * some records lack is empty in theirs. `columns` come first and are always there (a list that is
 * empty in every record still gets its columns); the others follow in first-seen order.
 *
 * @example
 * ```ts
 * recordsToCsv([{ code: 'A', levels: { low: 100 } }]) // 'code,levels.low\r\nA,100\r\n'
 * ```
 */
export function recordsToCsv(records: readonly object[], columns: readonly string[] = []): string {
  const rows = records.map((record) => {
    const fields = new Map<string, CsvValue>();
    flatten(record, '', fields);
    return fields;
  });
  const header = [...new Set([...columns, ...rows.flatMap((fields) => [...fields.keys()])])];
  return toCsv(
    header,
    rows.map((fields) => header.map((key) => fields.get(key))),
  );
}
