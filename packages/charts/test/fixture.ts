import type { HistoryPoint } from '@licensewatch/alerts';
import type { PoolChartInput } from '../src/index.js';

export const NOW = Date.UTC(2026, 10, 28, 12);

/** 30 days of 5-minute readings: 40 a day consumed, a 600-license refill 12 days ago. */
export function refilledHistory(): HistoryPoint[] {
  const history: HistoryPoint[] = [];
  let available = 900;
  for (let i = 30 * 288; i >= 0; i -= 1) {
    available -= 40 / 288;
    if (i === 12 * 288) available += 600;
    history.push({ at: NOW - i * 300_000, available: Math.round(available) });
  }
  return history;
}

export function chartInput(): PoolChartInput {
  const history = refilledHistory();
  const from = history[history.length - 1] as HistoryPoint;
  return {
    title: 'Apex One as a Service (AAAQXXE1X)',
    history,
    now: NOW,
    low: 100,
    critical: 20,
    forecast: { perDay: 40, from },
    subtitle: 'demo data',
  };
}
