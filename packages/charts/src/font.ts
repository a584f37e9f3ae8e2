import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { GlobalFonts } from '@napi-rs/canvas';

/** The family every chart uses: DejaVu Sans, shipped by the `dejavu-fonts-ttf` npm package. */
export const CHART_FONT = 'DejaVu Sans';

let registered = false;

/**
 * Registers the bundled DejaVu Sans with Skia once. Charts never depend on fonts installed on the
 * machine (containers often have none), so text renders the same everywhere.
 *
 * @example
 * ```ts
 * registerChartFont() // then draw with `12px "DejaVu Sans"`
 * ```
 */
export function registerChartFont(): void {
  if (registered) return;
  const require = createRequire(import.meta.url);
  const dir = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  GlobalFonts.registerFromPath(join(dir, 'DejaVuSans.ttf'), CHART_FONT);
  GlobalFonts.registerFromPath(join(dir, 'DejaVuSans-Bold.ttf'), CHART_FONT);
  registered = true;
}
