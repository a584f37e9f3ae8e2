import { type Tick, Ticks } from 'chart.js';
import { afterEach, describe, expect, it } from 'vitest';
import { renderPoolChart } from '../src/index.js';
import { countTickLabel } from '../src/pool-chart.js';
import { chartInput } from './fixture.js';

// Chart.js's own numeric formatter, as the linear scale calls it (en-US, no extra format options).
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
    expect(compared).toBeGreaterThan(1000);
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

describe('drawing a chart', () => {
  const original = { NumberFormat: Intl.NumberFormat, DateTimeFormat: Intl.DateTimeFormat };
  afterEach(() => {
    Intl.NumberFormat = original.NumberFormat;
    Intl.DateTimeFormat = original.DateTimeFormat;
  });

  it("never builds an Intl formatter (ICU's locale data would cost the bot ~5 MiB of RSS per kind)", () => {
    const built: string[] = [];
    const counting = <T extends object>(name: string, target: T): T =>
      new Proxy(target, {
        construct(target, args) {
          built.push(name);
          return Reflect.construct(target as never, args);
        },
        apply(callable, self, args) {
          built.push(name);
          return Reflect.apply(callable as never, self, args);
        },
      });
    Intl.NumberFormat = counting('NumberFormat', original.NumberFormat);
    Intl.DateTimeFormat = counting('DateTimeFormat', original.DateTimeFormat);
    const png = renderPoolChart(chartInput());
    expect(png.length).toBeGreaterThan(1000);
    // The counting proxies do see a formatter built while they are in place.
    expect(built).toEqual([]);
    new Intl.NumberFormat('en-US').format(1);
    expect(built).toEqual(['NumberFormat']);
  });
});
