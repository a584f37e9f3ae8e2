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
