/** A column of a text table. */
export interface Column<T> {
  title: string;
  value: (row: T) => string;
  align?: 'left' | 'right';
  /** Cut longer values with an ellipsis. */
  max?: number;
}

const width = (text: string) => Array.from(text).length;

function truncateCell(text: string, max: number | undefined): string {
  if (max === undefined || width(text) <= max) return text;
  return `${Array.from(text)
    .slice(0, max - 1)
    .join('')}…`;
}

/**
 * Renders rows as an aligned table with a header line.
 *
 * @example
 * ```ts
 * renderTable(products, [{ title: 'CODE', value: (p) => p.productCode }])
 * ```
 */
export function renderTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const cells = rows.map((row) => columns.map((c) => truncateCell(c.value(row).replace(/[\r\n\t]/g, ' '), c.max)));
  const widths = columns.map((c, i) => Math.max(width(c.title), ...cells.map((r) => width(r[i] ?? ''))));
  const line = (values: string[]) =>
    values
      .map((v, i) => {
        const pad = ' '.repeat((widths[i] ?? 0) - width(v));
        return columns[i]?.align === 'right' ? pad + v : v + pad;
      })
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.title)), ...cells.map(line)].join('\n');
}
