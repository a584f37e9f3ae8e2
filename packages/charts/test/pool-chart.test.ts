import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { CHART_COLOURS, CHART_SIZE, renderPoolChart } from '../src/index.js';
import { chartInput, NOW } from './fixture.js';

const GOLDEN = fileURLToPath(new URL('./golden/pool-chart.png', import.meta.url));

const rgb = (hex: string) => [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));

/** Pixels within `tolerance` of a colour, in a region (x from..to as fractions of the width). */
function count(png: PNG, hex: string, from = 0, to = 1, tolerance = 40): number {
  const [r, g, b] = rgb(hex) as [number, number, number];
  let found = 0;
  for (let y = 0; y < png.height; y += 1) {
    for (let x = Math.floor(from * png.width); x < Math.floor(to * png.width); x += 1) {
      const i = (y * png.width + x) * 4;
      const d =
        Math.abs((png.data[i] ?? 0) - r) + Math.abs((png.data[i + 1] ?? 0) - g) + Math.abs((png.data[i + 2] ?? 0) - b);
      if (d <= tolerance) found += 1;
    }
  }
  return found;
}

describe('renderPoolChart', () => {
  const png = PNG.sync.read(renderPoolChart(chartInput()));

  it('is a PNG of the chart size with an opaque white background', () => {
    expect([png.width, png.height]).toEqual([CHART_SIZE.width, CHART_SIZE.height]);
    expect([...png.data.subarray(0, 4)]).toEqual([255, 255, 255, 255]);
  });

  it('draws the history, both levels and the forecast (non-empty plot area)', () => {
    expect(count(png, CHART_COLOURS.available)).toBeGreaterThan(1_500);
    expect(count(png, CHART_COLOURS.low)).toBeGreaterThan(300);
    expect(count(png, CHART_COLOURS.critical)).toBeGreaterThan(300);
    // The projection lies right of "today" (30 of 38 days in): only there.
    expect(count(png, CHART_COLOURS.forecast, 0.8, 0.97)).toBeGreaterThan(40);
  });

  it('draws no forecast without one, and says nothing of a flat pool', () => {
    const input = chartInput();
    const flat = PNG.sync.read(
      renderPoolChart({ ...input, forecast: undefined, history: input.history.map((p) => ({ ...p, available: 500 })) }),
    );
    expect(count(flat, CHART_COLOURS.forecast)).toBe(0); // not even in the legend
    expect(count(flat, CHART_COLOURS.available)).toBeGreaterThan(1_000);
  });

  it('matches the golden image within a small tolerance (fonts are bundled, so it renders the same anywhere)', () => {
    if (!existsSync(GOLDEN) || process.env.UPDATE_GOLDEN === '1') {
      // Written once (UPDATE_GOLDEN=1 to redraw after a deliberate change), then compared.
      mkdirSync(fileURLToPath(new URL('./golden/', import.meta.url)), { recursive: true });
      writeFileSync(GOLDEN, PNG.sync.write(png));
      if (process.env.CI) throw new Error(`no golden image at ${GOLDEN}: commit it`);
    }
    const golden = PNG.sync.read(readFileSync(GOLDEN));
    expect([golden.width, golden.height]).toEqual([png.width, png.height]);
    const different = pixelmatch(golden.data, png.data, undefined, png.width, png.height, { threshold: 0.1 });
    // Rendering is deterministic with the bundled font: allow anti-aliasing noise only.
    expect(different / (png.width * png.height)).toBeLessThan(0.001);
  });

  it('changes visibly when the data does (the golden comparison can fail)', () => {
    const input = chartInput();
    const other = PNG.sync.read(renderPoolChart({ ...input, low: 600, now: NOW }));
    const different = pixelmatch(png.data, other.data, undefined, png.width, png.height, { threshold: 0.1 });
    expect(different / (png.width * png.height)).toBeGreaterThan(0.001); // the golden tolerance
  });
});
