import { describe, expect, it } from 'vitest';
import { describeForecast, formatRunway } from './forecast.js';

describe('describeForecast', () => {
  it('says "runs out" unless told what is reached, and "within a day" under one day', () => {
    expect(describeForecast({ days: 0.4 })).toBe('runs out within a day');
    expect(describeForecast({ days: 0 }, 'critical')).toBe('critical within a day');
  });

  it('says "~1 day" from exactly one day, and days in the plural from there on', () => {
    expect(describeForecast({ days: 1 })).toBe('runs out in ~1 day');
    expect(describeForecast({ days: 1.4 }, 'critical')).toBe('critical in ~1 day');
    expect(describeForecast({ days: 1.6 })).toBe('runs out in ~2 days');
    expect(describeForecast({ days: 12.2, runwayBasis: 'expected' })).toBe('runs out in ~12 days');
  });

  it('says "as little as" for the pessimistic end, so it is not read as the expected time', () => {
    expect(describeForecast({ days: 6.4, runwayBasis: 'pessimistic' }, 'critical')).toBe(
      'critical in as little as ~6 days',
    );
    expect(describeForecast({ days: 1, runwayBasis: 'pessimistic' })).toBe('runs out in as little as ~1 day');
  });
});

describe('formatRunway', () => {
  it('shows a dash when there is no runway (nothing consumed, or no end in sight)', () => {
    expect(formatRunway(undefined)).toBe('—');
    expect(formatRunway(Number.POSITIVE_INFINITY)).toBe('—');
    expect(formatRunway(Number.NaN)).toBe('—');
  });

  it('shows days under 60 days (under 1 day as "<1 d"), weeks under a year, and ">1 y" beyond', () => {
    expect(formatRunway(0)).toBe('<1 d');
    expect(formatRunway(0.99)).toBe('<1 d');
    expect(formatRunway(1)).toBe('~1 d');
    expect(formatRunway(59.4)).toBe('~59 d');
    expect(formatRunway(60)).toBe('~9 w');
    expect(formatRunway(364)).toBe('~52 w');
    expect(formatRunway(365)).toBe('>1 y');
    expect(formatRunway(2_000)).toBe('>1 y');
  });
});
