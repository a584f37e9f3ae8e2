import { describe, expect, it } from 'vitest';
import { SchemaViolationError } from './errors.js';
import { sampleServicePlanListResponse } from './fixtures/index.js';
import { parseServicePlans, parseServicePlansStrict } from './service-plans.js';

describe('service plan list', () => {
  it('parses the documented top-level array and normalises versions', () => {
    const plans = parseServicePlansStrict(sampleServicePlanListResponse);
    expect(plans.map((p) => [p.name, p.version, p.initialLicensePeriodMonths, p.autoRenewal])).toEqual([
      ['WFBS-SVC Full 12 months', 'Full', 12, true],
      ['WFBS-SVC Trial 1 month', 'Trial', 1, false],
    ]);
  });

  it('tolerates drift in display fields with warnings', () => {
    const drifted = [{ ...sampleServicePlanListResponse[0], initial_license_period_month: 48, vision_one: true }];
    const { data, warnings } = parseServicePlans(drifted);
    expect(data[0]?.initialLicensePeriodMonths).toBe(48);
    expect(warnings.map((w) => `${w.kind}:${w.field}`)).toEqual([
      'unexpected-value:initial_license_period_month',
      'unknown-field:vision_one',
    ]);
    expect(() => parseServicePlansStrict(drifted)).toThrow(SchemaViolationError);
  });

  it('rejects a plan without an id, naming the plan', () => {
    const { service_plan_id: _id, ...withoutId } = sampleServicePlanListResponse[0] ?? {};
    expect(() => parseServicePlans([withoutId])).toThrow(
      /service plan "WFBS-SVC Full 12 months": field "service_plan_id" is missing/,
    );
  });

  it('rejects an object where the documentation promises an array', () => {
    expect(() => parseServicePlans({ plans: [] })).toThrow(/expected a JSON array of service plans/);
  });
});
