import { describe, expect, it } from 'vitest';
import { SchemaViolationError } from './errors.js';
import {
  sampleServicePlanListResponse,
  sampleV3ProductListResponse,
  visionOneServicePlanListResponse,
} from './fixtures/index.js';
import { type ProductProfile, parseProductCatalogue, parseProductCatalogueStrict } from './product-profiles.js';
import { parseServicePlans, parseServicePlansStrict } from './service-plans.js';
import { isVisionOnePlan, productServicePlans, unmatchedServicePlans } from './vision-one.js';

const visionOne: ProductProfile = {
  productId: '3f0c9d7e-1a2b-4c3d-8e4f-5a6b7c8d9e0f',
  productCode: 'TVOAXXE1X',
  productName: 'Trend Vision One',
  type: 'SaaS',
  version: 'Full',
  available: 40,
  servicePlans: [{ id: 'b1b2b3b4-0000-4000-8000-000000000001', name: 'Trend Vision One Trial 1 month' }],
};

describe('v3 service plan list', () => {
  it('parses strictly, Vision One plan included, with the same types as v2', () => {
    const plans = parseServicePlansStrict(visionOneServicePlanListResponse, { apiVersion: 'v3' });
    expect(plans).toHaveLength(3);
    expect(plans[2]).toEqual({
      servicePlanId: 'e5a7c2d1-8b3f-4c6e-9a1d-2f4b6c8e0a13',
      name: 'Trend Vision One Full 12 months',
      product: 'Trend Vision One',
      productCode: 'TVOAXXE1X',
      version: 'Full',
      initialLicensePeriodMonths: 12,
      dataCenterCode: 'US',
      dataCenter: 'United States',
      autoRenewal: true,
    });
    expect(parseServicePlans(visionOneServicePlanListResponse, { apiVersion: 'v3' }).warnings).toEqual([]);
  });

  it('keeps a Vision One plan found in a v2 list, with a warning naming it (v2 is documented to omit them)', () => {
    const { data, warnings } = parseServicePlans(visionOneServicePlanListResponse, { apiVersion: 'v2' });
    expect(data.map((p) => p.name)).toContain('Trend Vision One Full 12 months');
    expect(warnings.map((w) => w.message)).toEqual([
      'service plan "Trend Vision One Full 12 months": a Trend Vision One plan in an LMPI v2 list, which is documented to leave them out; kept',
    ]);
  });

  it('tolerates a Vision One plan without a licence period (vague for Vision One), never dropping it', () => {
    const { initial_license_period_month: _p, ...noPeriod } = visionOneServicePlanListResponse[2] ?? {};
    const { data, warnings } = parseServicePlans([noPeriod], { apiVersion: 'v3' });
    expect(data[0]).toMatchObject({ name: 'Trend Vision One Full 12 months', initialLicensePeriodMonths: null });
    expect(warnings.map((w) => `${w.kind}:${w.field}`)).toEqual(['missing-field:initial_license_period_month']);
    expect(() => parseServicePlansStrict([noPeriod], { apiVersion: 'v3' })).toThrow(
      /LMPI v3 service plan list response/,
    );
  });

  it('names the version in errors', () => {
    expect(() => parseServicePlans({}, { apiVersion: 'v3' })).toThrow(SchemaViolationError);
    expect(() => parseServicePlans({}, { apiVersion: 'v3' })).toThrow(/^LMPI v3 service plan list response/);
  });
});

describe('v3 product list', () => {
  it('parses into the same types as v2, the Vision One pool with its plan, drift reported as for v2', () => {
    const { data, warnings } = parseProductCatalogue(sampleV3ProductListResponse);
    expect(data.products.map((p) => [p.productCode, p.version, p.servicePlans.length])).toEqual([
      ['NNZBXXE1X', 'Full', 1],
      ['AAZBXXE1X', 'Full', 0],
      ['TVOAXXE1X', 'Full', 1],
    ]);
    // The documented sample's lower-case "full" (v2 and v3 alike) is normalised, not silently.
    expect(warnings.map((w) => `${w.kind}:${w.field}`)).toEqual([
      'normalised:version',
      'normalised:version',
      'normalised:version',
    ]);
    expect(() => parseProductCatalogueStrict(sampleV3ProductListResponse)).toThrow(/version/);
    const documented = {
      ...sampleV3ProductListResponse,
      products: sampleV3ProductListResponse.products.map((p) => ({ ...p, version: 'Full' })),
    };
    expect(parseProductCatalogueStrict(documented).products[2]?.servicePlans[0]?.name).toBe(
      'Trend Vision One Full 12 months',
    );
  });

  it('keeps a version sent as a code ("valid version type" in v3 could mean 0/1) with a warning', () => {
    const coded = {
      ...sampleV3ProductListResponse,
      products: [{ ...sampleV3ProductListResponse.products[2], version: '1' }],
    };
    const { data, warnings } = parseProductCatalogue(coded);
    expect(data.products[0]?.version).toBe('1');
    expect(warnings.map((w) => w.kind)).toEqual(['unexpected-value']);
  });
});

describe('isVisionOnePlan', () => {
  it('recognises Vision One by plan or product name', () => {
    expect(isVisionOnePlan({ name: 'Trend Vision One Full 12 months' })).toBe(true);
    expect(isVisionOnePlan({ name: 'Endpoint Full', product: 'Trend Micro VisionOne' })).toBe(true);
    expect(isVisionOnePlan({ name: 'WFBS-SVC Full 12 months', product: 'Worry-Free' })).toBe(false);
  });
});

describe('productServicePlans', () => {
  it('joins the product list refs with the service plan list by id and product code, dropping none', () => {
    const list = parseServicePlansStrict(visionOneServicePlanListResponse);
    const plans = productServicePlans(visionOne, list);
    expect(plans.map((p) => [p.name, p.visionOne, p.listedIn.join('+'), p.details?.dataCenterCode ?? null])).toEqual([
      ['Trend Vision One Trial 1 month', true, 'product-list', null],
      ['Trend Vision One Full 12 months', true, 'service-plan-list', 'US'],
    ]);
  });

  it('adds details to a plan listed in both', () => {
    const [plan] = parseServicePlansStrict(sampleServicePlanListResponse);
    const product = { ...visionOne, productCode: 'NNZBXXE1X', productName: 'WFBS', servicePlans: [] as never[] };
    const withRef = { ...product, servicePlans: [{ id: plan?.servicePlanId ?? '', name: plan?.name ?? '' }] };
    const joined = productServicePlans(withRef, plan ? [plan] : []);
    expect(joined).toHaveLength(1);
    expect(joined[0]).toMatchObject({ visionOne: false, listedIn: ['product-list', 'service-plan-list'] });
    expect(joined[0]?.details?.autoRenewal).toBe(true);
  });

  it('reports plans whose product is not in the catalogue', () => {
    const list = parseServicePlansStrict(visionOneServicePlanListResponse);
    const wfbs = { productCode: 'NNZBXXE1X', servicePlans: [] };
    expect(unmatchedServicePlans([wfbs], list).map((p) => p.name)).toEqual(['Trend Vision One Full 12 months']);
    expect(unmatchedServicePlans([wfbs, visionOne], list)).toEqual([]);
  });
});
