import type { ConsumerAttribution } from '@licensewatch/alerts';
import { describe, expect, it } from 'vitest';
import { triggerEvent } from './pagerduty/events.js';
import { consumersLine, digestMessage } from './slack/render.js';
import type { ProductAlertView } from './views.js';

const consumers: ConsumerAttribution = {
  year: 2025,
  month: 7,
  top: [
    { customer: '<!channel> Acme & Co', units: 40 },
    { customer: '<https://evil.example|Globex>', units: 25 },
    { customer: null, units: 5 },
  ],
  others: { customers: 3, units: 12 },
  total: 82,
};

const alert: ProductAlertView = {
  product: { productId: 'p1', productCode: 'NNZBXXE1X', productName: 'Apex One' },
  reason: 'alert',
  level: 'low',
  available: 80,
  previousAvailable: 500,
  threshold: 100,
  forecast: undefined,
  episode: { id: 'p1:1', startedAt: 1, peak: 'low' },
  at: Date.UTC(2025, 6, 20),
  note: undefined,
  consumers,
};

describe('who drained it, rendered', () => {
  it('names the top consumers in Slack with names escaped: no mention, ping or link survives', () => {
    const line = consumersLine(consumers);
    expect(line).toBe(
      ':busts_in_silhouette: this month: &lt;!channel&gt; Acme &amp; Co +40, &lt;https://evil.example|Globex&gt; +25, _unnamed customer_ +5, 3 others +12',
    );
    const message = JSON.stringify(digestMessage([alert]).blocks);
    expect(message).toContain('this month: &lt;!channel&gt;');
    expect(message).not.toMatch(/<!channel>|<https:/);
  });

  it('says when no customer took licenses, and puts plain names in PagerDuty custom details', () => {
    expect(consumersLine({ ...consumers, top: [], others: undefined, total: 0 })).toContain('no licenses allocated');
    const details = triggerEvent(
      { ...alert, episode: { id: 'p1:1', startedAt: 1, peak: 'low' } },
      'k'.repeat(32),
      'lmpi',
    ).payload?.custom_details;
    expect(details).toMatchObject({
      top_consumers_month: '2025-07',
      top_consumers: '<!channel> Acme & Co +40, <https://evil.example|Globex> +25, unnamed customer +5, 3 others +12',
    });
  });
});
