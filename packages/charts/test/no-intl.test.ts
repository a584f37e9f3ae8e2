import { afterEach, describe, expect, it } from 'vitest';
import { renderPoolChart } from '../src/index.js';
import { chartInput } from './fixture.js';

// In a file of its own: Chart.js caches the Intl formatters it builds for the life of the module, so
// a chart drawn (or a Chart.js formatter called) earlier in the same file could hide a new one.
describe('drawing a chart', () => {
  const original = { NumberFormat: Intl.NumberFormat, DateTimeFormat: Intl.DateTimeFormat };
  afterEach(() => {
    Intl.NumberFormat = original.NumberFormat;
    Intl.DateTimeFormat = original.DateTimeFormat;
  });

  it("never builds an Intl formatter (ICU's locale data costs the bot ~5 MiB of RSS per kind)", () => {
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
    expect(built).toEqual([]);
    // The counting proxies do see a formatter built while they are in place.
    new Intl.NumberFormat('en-US').format(1);
    expect(built).toEqual(['NumberFormat']);
  });
});
