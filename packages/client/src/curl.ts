/** Quotes a value for a POSIX shell (single quotes, embedded quotes escaped). */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * A ready-to-run curl command for a signed LMPI request (for debugging credentials).
 *
 * @example
 * ```ts
 * curlCommand({ url: 'https://cspi.trendmicro.com/LMPI/v2/partners/product', method: 'GET', headers: lmpiHeaders(…) })
 * ```
 */
export function curlCommand(request: {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
}): string {
  const parts = ['curl', '-sS', '-X', request.method, shellQuote(request.url)];
  for (const [name, value] of Object.entries(request.headers)) parts.push('-H', shellQuote(`${name}: ${value}`));
  if (request.body !== undefined) parts.push('--data-raw', shellQuote(request.body));
  return parts.join(' ');
}
