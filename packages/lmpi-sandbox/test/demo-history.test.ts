import { analyseConsumption } from '@licensewatch/alerts';
import { describe, expect, it } from 'vitest';
import { defaultCatalogue } from '../src/fixtures.js';
import { demoHistory } from '../src/index.js';

const NOW = Date.UTC(2026, 10, 28, 12);

describe('demoHistory', () => {
  const series = demoHistory(defaultCatalogue(), NOW);
  const byCode = new Map(series.map((s) => [s.productCode, s]));

  it('gives every product 30 days of hourly readings ending near its current count, the same every time', () => {
    expect(series).toHaveLength(64);
    expect(series.every((s) => s.points.length === 720)).toBe(true);
    expect(
      series.every((s) => (s.points.at(-1)?.at ?? 0) < NOW && (s.points[0]?.at ?? 0) === NOW - 30 * 86_400_000),
    ).toBe(true);
    expect(demoHistory(defaultCatalogue(), NOW)).toEqual(series);
  });

  it('tells a story: pools about to run dry, refills, and flat pools', () => {
    const analysed = series.map((s) => ({ code: s.productCode, analysis: analyseConsumption(s.points) }));
    const runways = analysed.flatMap(({ code, analysis }) =>
      analysis.status === 'estimate' && analysis.daysToZero !== undefined ? [[code, analysis.daysToZero] as const] : [],
    );
    expect(runways.filter(([, days]) => days <= 3).map(([code]) => code)).toContain('AAAUXXE1X');
    expect(runways.filter(([, days]) => days > 3 && days <= 14).map(([code]) => code)).toContain('AAASXXE1X');
    const refilled = analysed.filter(({ analysis }) => analysis.status === 'estimate' && analysis.refills.length > 0);
    expect(refilled.length).toBeGreaterThanOrEqual(5);
    const flat = analysed.filter(({ analysis }) => analysis.status === 'estimate' && analysis.perDay === 0);
    expect(flat.length).toBeGreaterThanOrEqual(10);
    expect(byCode.get('AAADXXE1X')?.points.at(-1)?.available).toBe(0); // an empty pool stays empty
  });
});
