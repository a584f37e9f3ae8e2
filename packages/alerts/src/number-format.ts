// Numbers and dates written the way en-US writes them, without ICU.
//
// `Intl.NumberFormat` and `Intl.DateTimeFormat` load ICU's locale data from the node binary on first
// use: ~5 MiB of resident memory each, paid by every bot process that formats one number (measured:
// README "Start-up and memory"). The bot only ever writes en-US, so these write the same text by
// hand; number-format.test.ts pins them to Intl's output.

/** Digits after the decimal point, as in `Intl.NumberFormatOptions`. */
export interface FractionDigits {
  /** At least this many (padded with zeros). Default 0. */
  minimumFractionDigits?: number;
  /** At most this many (rounded half away from zero, trailing zeros dropped). Default 3, as Intl's. */
  maximumFractionDigits?: number;
}

/** The shortest decimal digits of a finite, non-negative number and where its decimal point sits. */
function decimalDigits(value: number): { digits: string; point: number } {
  // String(value) is the shortest text that reads back as the same number, which is also what ICU
  // rounds from (so 1.005 rounds to 1.01, as Intl does, where toFixed(2) says 1.00).
  const text = String(value);
  const e = text.indexOf('e');
  const mantissa = e === -1 ? text : text.slice(0, e);
  const exponent = e === -1 ? 0 : Number(text.slice(e + 1));
  const dot = mantissa.indexOf('.');
  const digits = dot === -1 ? mantissa : mantissa.slice(0, dot) + mantissa.slice(dot + 1);
  const point = (dot === -1 ? mantissa.length : dot) + exponent;
  return { digits, point };
}

/** Adds one to a string of decimal digits (`'199'` → `'200'`, `'99'` → `'100'`, `''` → `'1'`). */
function increment(digits: string): string {
  let at = digits.length - 1;
  while (digits[at] === '9') at -= 1; // stops before the first digit too: digits[-1] is undefined
  const carried = '0'.repeat(digits.length - at - 1);
  return at < 0 ? `1${carried}` : digits.slice(0, at) + String(Number(digits[at]) + 1) + carried;
}

/** Commas between groups of three: `'1234567'` → `'1,234,567'`. */
function groupThousands(integer: string): string {
  let out = '';
  for (let end = integer.length; end > 0; end -= 3) {
    const start = Math.max(0, end - 3);
    out = out ? `${integer.slice(start, end)},${out}` : integer.slice(start, end);
  }
  return out;
}

/**
 * A number as `Intl.NumberFormat('en-US', options)` writes it: thousands separators, rounded half
 * away from zero to at most `maximumFractionDigits` (default 3), padded to `minimumFractionDigits`
 * (default 0), `-0` for a negative number that rounds to zero, `∞` and `NaN` as Intl writes them.
 *
 * @example
 * ```ts
 * formatNumber(12500) // '12,500'
 * formatNumber(4.26, { maximumFractionDigits: 1 }) // '4.3'
 * formatNumber(2, { minimumFractionDigits: 1, maximumFractionDigits: 1 }) // '2.0'
 * ```
 */
export function formatNumber(value: number, options: FractionDigits = {}): string {
  const most = options.maximumFractionDigits ?? Math.max(3, options.minimumFractionDigits ?? 0);
  const least = Math.min(options.minimumFractionDigits ?? 0, most);
  if (Number.isNaN(value)) return 'NaN';
  const sign = value < 0 || Object.is(value, -0) ? '-' : '';
  if (!Number.isFinite(value)) return `${sign}∞`;
  const { digits, point } = decimalDigits(Math.abs(value));
  // Zeros in front so that there is an integer digit, and behind so that there is a digit past the
  // last one kept; then round on that digit, half away from zero.
  const lead = Math.max(0, 1 - point);
  let integerDigits = point + lead;
  const width = integerDigits + most;
  const padded = ('0'.repeat(lead) + digits).padEnd(width + 1, '0');
  let kept = padded.slice(0, width);
  if ((padded.charCodeAt(width) as number) >= 53 /* '5' */) {
    kept = increment(kept);
    if (kept.length > width) integerDigits += 1; // a carry out of the first digit: '99.96' → '100.0'
  }
  const integer = kept.slice(0, integerDigits);
  const fraction = kept.slice(integerDigits).replace(/0+$/, '').padEnd(least, '0');
  return `${sign}${groupThousands(integer)}${fraction ? `.${fraction}` : ''}`;
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

/**
 * A calendar month in UTC, as `Intl.DateTimeFormat('en-US', { month: 'long', year: 'numeric',
 * timeZone: 'UTC' })` writes it.
 *
 * @example
 * ```ts
 * formatMonthYear(Date.UTC(2025, 6, 1)) // 'July 2025'
 * ```
 */
export function formatMonthYear(at: number): string {
  const date = new Date(at);
  return `${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

/**
 * A day in UTC, as `Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' })`
 * writes it.
 *
 * @example
 * ```ts
 * formatMonthDay(Date.UTC(2026, 11, 3)) // 'Dec 3'
 * ```
 */
export function formatMonthDay(at: number): string {
  const date = new Date(at);
  return `${(MONTHS[date.getUTCMonth()] as string).slice(0, 3)} ${date.getUTCDate()}`;
}
