import { type Tick, Ticks } from 'chart.js';
import { describe, expect, it } from 'vitest';
import { countTickLabel } from '../src/pool-chart.js';

// Chart.js's own numeric formatter with the en-US locale and no extra format options. (The chart
// passes no locale, so Chart.js used the process's default one; countTickLabel writes en-US always.)
const chartJsScale = { chart: { options: { locale: 'en-US' } }, options: { ticks: {} } };
const chartJsLabel = (value: number, index: number, ticks: Tick[]) =>
  Ticks.formatters.numeric.call(chartJsScale as never, value, index, ticks);

describe('countTickLabel', () => {
  it("writes every y-axis label as Chart.js's numeric formatter does", () => {
    let compared = 0;
    for (const step of [
      0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2500, 5000, 1e5,
    ]) {
      for (let count = 2; count <= 11; count += 1) {
        const ticks: Tick[] = Array.from({ length: count }, (_, at) => ({ value: Math.round(at * step * 1e6) / 1e6 }));
        ticks.forEach((tick, index) => {
          expect(countTickLabel(tick.value, index, ticks)).toBe(chartJsLabel(tick.value, index, ticks));
          compared += 1;
        });
      }
    }
    // Ticks that do not start at zero, with fractional values under whole steps, negative values and
    // two or three ticks: every branch of the step and decimals choice.
    const uneven: number[][] = [
      [2.5, 3.5, 4.5, 5.5],
      [0.5, 1.5, 2.5],
      [-2, -1, 0, 1, 2],
      [-0.25, 0, 0.25],
      [998, 999, 1000, 1001],
      [1250, 1500, 1750],
      [0.001, 0.002],
      [7],
      [12.5, 25, 37.5, 50, 62.5],
      [100.5, 101.5],
    ];
    for (const values of uneven) {
      const ticks: Tick[] = values.map((value) => ({ value }));
      ticks.forEach((tick, index) => {
        expect(countTickLabel(tick.value, index, ticks)).toBe(chartJsLabel(tick.value, index, ticks));
        compared += 1;
      });
    }
    expect(compared).toBeGreaterThan(1300);
    // The cases a reader sees: decimals only where the step needs them.
    const halves: Tick[] = [0, 0.5, 1, 1.5, 2].map((value) => ({ value }));
    expect(halves.map((tick, index) => countTickLabel(tick.value, index, halves))).toEqual([
      '0',
      '0.5',
      '1.0',
      '1.5',
      '2.0',
    ]);
    const thousands: Tick[] = [0, 500, 1000, 1500].map((value) => ({ value }));
    expect(countTickLabel(1500, 3, thousands)).toBe('1,500');
  });
});
