import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration.js';

describe('parseDuration', () => {
  it('reads every unit, any case, with spaces and decimals; a bare number is seconds', () => {
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('5m')).toBe(300_000);
    expect(parseDuration('1.5h')).toBe(5_400_000);
    expect(parseDuration('1.25h')).toBe(4_500_000);
    expect(parseDuration('2D')).toBe(172_800_000);
    expect(parseDuration(' 1 w ')).toBe(604_800_000);
    expect(parseDuration('90')).toBe(90_000);
  });

  it('returns undefined for anything else', () => {
    for (const text of ['', 'soon', '5 minutes', '-5m', '5m later', 'h', '1e3s']) {
      expect(parseDuration(text), text).toBeUndefined();
    }
  });
});

describe('formatDuration', () => {
  it('uses seconds below two minutes, minutes below two hours, hours below two days, then days', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(90_000)).toBe('90 s');
    expect(formatDuration(119_000)).toBe('119 s');
    expect(formatDuration(120_000)).toBe('2 min');
    expect(formatDuration(5 * 60_000)).toBe('5 min');
    expect(formatDuration(119 * 60_000)).toBe('119 min');
    expect(formatDuration(2 * 3_600_000)).toBe('2 h');
    expect(formatDuration(47 * 3_600_000)).toBe('47 h');
    expect(formatDuration(48 * 3_600_000)).toBe('2 days');
    expect(formatDuration(14 * 86_400_000)).toBe('14 days');
  });

  it('rounds to the nearest unit', () => {
    expect(formatDuration(1_499)).toBe('1 s');
    expect(formatDuration(150 * 1000 + 29_000)).toBe('3 min');
    expect(formatDuration(2.5 * 3_600_000)).toBe('3 h');
  });
});
