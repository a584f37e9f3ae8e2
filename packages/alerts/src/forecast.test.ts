import { describe, expect, it } from 'vitest';
import { describeForecast, forecastDepletion } from './forecast.js';

const DAY = 86_400_000;
const series = (values: number[], stepMs = DAY / 4) => values.map((available, i) => ({ at: i * stepMs, available }));

describe('forecastDepletion', () => {
  it('projects a steady decline to the level', () => {
    const forecast = forecastDepletion(series([400, 390, 380, 370, 360]), 20, { minSpanMs: 0 });
    expect(forecast?.perDay).toBeCloseTo(40);
    expect(forecast?.days).toBeCloseTo(8.5);
    expect(describeForecast(forecast ?? { days: 0, perDay: 0 }, 'critical')).toBe('critical in ~9 days');
  });

  it('says nothing for a flat or rising trend, or too few points', () => {
    expect(forecastDepletion(series([100, 100, 100, 100]), 20)).toBeUndefined();
    expect(forecastDepletion(series([100, 120, 140, 160]), 20)).toBeUndefined();
    expect(forecastDepletion(series([400, 300]), 20)).toBeUndefined();
  });
});
