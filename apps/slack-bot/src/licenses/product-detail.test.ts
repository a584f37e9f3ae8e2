import {
  analyseConsumption,
  DEFAULT_THRESHOLDS,
  forecastFrom,
  formatRunway,
  type RunwayBasis,
  rateProduct,
} from '@licensewatch/alerts';
import { type ProductProfile, parseProductCatalogue } from '@licensewatch/schema';
import { generateProductListResponse } from '@licensewatch/schema/fixtures';
import { describe, expect, it } from 'vitest';
import { productDetailMessage } from './product-detail.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 3, 9);
const CRITICAL = 10;

/** A lumpy pool: 6 seats every 4 days for 28 days (~1.5/day), 40 left now, read hourly. */
function lumpyReadings(): { at: number; available: number }[] {
  const readings: { at: number; available: number }[] = [];
  const start = NOW - 28 * DAY;
  let available = 40 + 6 * 7;
  for (let at = start; at <= NOW; at += DAY / 24) {
    if (at > start && (at - start) % (4 * DAY) === 0) available -= 6;
    readings.push({ at, available });
  }
  return readings;
}

function detailText(basis: RunwayBasis | undefined, now = NOW): string {
  const product = {
    ...(parseProductCatalogue(generateProductListResponse({ count: 1 })).data.products[0] as ProductProfile),
    available: 40,
  };
  const analysis = analyseConsumption(lumpyReadings());
  const levels = { low: 25, critical: CRITICAL, source: 'default' as const };
  const rated = rateProduct(product, () => levels, undefined);
  const message = productDetailMessage({
    rated,
    analysis,
    chartFileId: undefined,
    chartProblem: undefined,
    override: undefined,
    alert: undefined,
    handling: undefined,
    fetchedAt: NOW,
    now,
    runwayBasis: basis,
  });
  return JSON.stringify(message.blocks);
}

describe('/licenses <code>: the burn-rate line', () => {
  const analysis = analyseConsumption(lumpyReadings());
  if (analysis.status !== 'estimate') throw new Error('the lumpy pool should have an estimate');
  const pessimistic = forecastFrom(analysis, CRITICAL, 'pessimistic');
  const expected = forecastFrom(analysis, CRITICAL, 'expected');

  it('says when the critical level comes on the same (pessimistic) end the levels use, never after the runway', () => {
    expect(DEFAULT_THRESHOLDS.runwayBasis ?? 'pessimistic').toBe('pessimistic');
    expect(pessimistic && expected && pessimistic.days < expected.days).toBe(true);
    const text = detailText(undefined);
    expect(text).toContain(`critical level in ${formatRunway(pessimistic?.days ?? Number.NaN)}`);
    // The pool cannot reach its critical level after it is empty on that same end.
    const toEmpty = forecastFrom(analysis, 0, 'pessimistic');
    expect((pessimistic?.days ?? Number.POSITIVE_INFINITY) <= (toEmpty?.days ?? 0)).toBe(true);
  });

  it('follows runway_basis: expected when the thresholds file asks for it', () => {
    expect(detailText('expected')).toContain(`critical level in ${formatRunway(expected?.days ?? Number.NaN)}`);
  });
});

describe('/licenses <code>: the date it runs out', () => {
  const analysis = analyseConsumption(lumpyReadings());
  if (analysis.status !== 'estimate' || !analysis.runway) throw new Error('the lumpy pool should have a runway');
  const empty = NOW + analysis.runway.expected * DAY;

  it('gives the date the pool runs out, as a Slack date', () => {
    const text = detailText(undefined);
    expect(text).toContain(`(around <!date^${Math.floor(empty / 1000)}^{date_short_pretty}`);
  });

  it('never gives a date already past (readings a poll or more old)', () => {
    const text = detailText(undefined, empty + DAY);
    expect(text).toContain('runs out');
    expect(text).not.toContain('(around');
  });
});
