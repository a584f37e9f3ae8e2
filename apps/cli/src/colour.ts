/** ANSI colours for terminal output; identity functions when colour is off. */
export interface Palette {
  red: (text: string) => string;
  yellow: (text: string) => string;
  dim: (text: string) => string;
}

const wrap = (code: number) => (text: string) => `\x1b[${code}m${text}\x1b[0m`;
const plain = (text: string) => text;

/**
 * Colour only for a terminal (or with FORCE_COLOR), never with NO_COLOR (https://no-color.org),
 * which wins over FORCE_COLOR: the user asked for none.
 *
 * @example
 * ```ts
 * const palette = paletteFor({ noColor: false, forceColor: false }, process.stdout.isTTY === true)
 * palette.red('CRITICAL')
 * ```
 */
export function paletteFor(env: { noColor: boolean; forceColor: boolean }, terminal: boolean): Palette {
  if (env.noColor || !(terminal || env.forceColor)) return { red: plain, yellow: plain, dim: plain };
  return { red: wrap(31), yellow: wrap(33), dim: wrap(2) };
}
