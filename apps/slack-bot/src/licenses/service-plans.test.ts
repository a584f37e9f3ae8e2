import type { ProductProfile, ServicePlan } from '@licensewatch/schema';
import { describe, expect, it } from 'vitest';
import { cachedServicePlanList, servicePlansText, servicePlansView } from './service-plans.js';

const product: ProductProfile = {
  productId: '3f0c9d7e-1a2b-4c3d-8e4f-5a6b7c8d9e0f',
  productCode: 'TVOAXXE1X',
  productName: 'Trend Vision One <Pro> & Co',
  type: 'SaaS',
  version: 'Full',
  available: 40,
  servicePlans: Array.from({ length: 25 }, (_, i) => ({
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    name: `${'Trend Vision One <Full> '.padEnd(140, 'x')} #${i + 1}`,
  })),
};

describe('servicePlansText', () => {
  it('lists ten plans, counts the rest, escapes names and stays within a section block', () => {
    const text = servicePlansText(product, servicePlansView(product, 'v3', []));
    const lines = text.split('\n');
    expect(lines[0]).toBe('*Service plans* (25, 25 Trend Vision One)');
    expect(lines.filter((l) => l.startsWith('• '))).toHaveLength(10);
    expect(lines).toContain('… and 15 more (`licensewatch plans --product TVOAXXE1X` lists all)');
    expect(text).toContain('Trend Vision One &lt;Full&gt;');
    expect(text).not.toContain('<Full>');
    expect(text.length).toBeLessThanOrEqual(3_000); // Block Kit section text limit
  });

  it('says under v2 that a Vision One pool’s plans are left out', () => {
    const empty = { ...product, servicePlans: [] };
    const text = servicePlansText(empty, servicePlansView(empty, 'v2', []));
    expect(text).toBe(
      '*Service plans* (0)\nNone listed by LMPI.\n:information_source: LMPI v2 leaves Trend Vision One plans out: set `LMPI_API_VERSION=v3` to see them.',
    );
    const other = { ...empty, productName: 'Worry-Free Business Security' };
    expect(servicePlansText(other, servicePlansView(other, 'v2', []))).not.toContain('LMPI v2 leaves');
  });
});

describe('cachedServicePlanList', () => {
  it('asks LMPI once per TTL and does not cache a failure', async () => {
    let calls = 0;
    let fail = true;
    const clock = { now: 0 };
    const plans: ServicePlan[] = [];
    const list = cachedServicePlanList(
      {
        listServicePlans: async () => {
          calls += 1;
          if (fail) throw new Error('LMPI down');
          return { servicePlans: plans, warnings: [], traceId: 't' };
        },
      },
      { ttlMs: 60_000, now: () => clock.now },
    );
    await expect(list()).rejects.toThrow('LMPI down');
    fail = false;
    expect(await list()).toBe(plans);
    expect(await list()).toBe(plans);
    expect(calls).toBe(2);
    clock.now += 60_000;
    await list();
    expect(calls).toBe(3);
  });
});
