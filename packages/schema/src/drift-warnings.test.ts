// What a caller sees when LMPI drifts: every tolerated deviation is a warning, every fatal one an
// issue, each saying where it is (JSON path, the record by name), what came, what the documentation
// expects and what the parser did about it. Operators act on these lines, so they are pinned whole.
import { describe, expect, it } from 'vitest';
import { parseCustomerSummary, parseCustomerSummaryStrict } from './customer-summary.js';
import type { DriftWarning } from './drift.js';
import { errorMessage, isSchemaViolationError, type SchemaIssue } from './errors.js';
import {
  distributorProductListResponse,
  monthCustomerSummaryResponse,
  monthTransactionReportResponse,
  sampleServicePlanListResponse,
} from './fixtures/index.js';
import { parseProductCatalogue, parseProductCatalogueStrict } from './product-profiles.js';
import { parseServicePlans, parseServicePlansStrict } from './service-plans.js';
import { parseTransactionReport, parseTransactionReportStrict } from './transaction-report.js';

type Row = Record<string, unknown>;

/** One line per warning or issue: its kind (`issue` for a fatal one), JSON path and message. */
const lines = (found: readonly (DriftWarning | SchemaIssue)[]) =>
  found.map((w) => `${'kind' in w ? w.kind : 'issue'} ${w.path} | ${w.message}`);

/** The issues of the SchemaViolationError `parse` throws. */
function issuesOf(parse: () => unknown): readonly SchemaIssue[] {
  try {
    parse();
  } catch (error) {
    if (isSchemaViolationError(error)) return error.issues;
    throw error;
  }
  throw new Error('expected a SchemaViolationError');
}

describe('product list drift', () => {
  it('reports each unusable display field, dropped plan and odd partner id, and keeps the products', () => {
    const body = structuredClone(distributorProductListResponse) as unknown as { products: Row[] } & Row;
    Object.assign(body.products[0] as Row, {
      type: 7,
      version: 'Beta',
      used: '3',
      service_plans: [{ name: 5, id: 'x' }, 'plan', { name: 'ok', id: 'not-a-guid' }],
    });
    Object.assign(body.products[1] as Row, { service_plans: { name: 'x' } });
    body.partner_id = 'not-a-guid';
    body.extra = 1;
    const { data, warnings } = parseProductCatalogue(body);
    expect(data.partnerId).toBe('not-a-guid');
    expect(data.products.map((p) => [p.productCode, p.available, p.servicePlans.map((plan) => plan.name)])).toEqual([
      ['NNZBXXE1X', 120, ['ok']],
      ['CCZBXXE1X', 35, []],
    ]);
    expect(lines(warnings)).toEqual([
      'unexpected-value $.partner_id | field "partner_id" value string "not-a-guid" is not a GUID; kept as received',
      'invalid-field $.products[0].type | product NNZBXXE1X (1b6c4e7a-93d2-4f0b-8c55-0a7e2d9f4b13): field "type" should be one of SaaS, Software, Suite, got number 7; ignored',
      'unexpected-value $.products[0].version | product NNZBXXE1X (1b6c4e7a-93d2-4f0b-8c55-0a7e2d9f4b13): field "version" value string "Beta" is not one of Trial, Full; kept as received',
      'invalid-field $.products[0].used | product NNZBXXE1X (1b6c4e7a-93d2-4f0b-8c55-0a7e2d9f4b13): field "used" should be a non-negative integer, got string "3"; ignored',
      'unexpected-value $.products[0].service_plans[0].id | product NNZBXXE1X (1b6c4e7a-93d2-4f0b-8c55-0a7e2d9f4b13) service_plans[0]: field "id" value string "x" is not a GUID; kept as received',
      'invalid-field $.products[0].service_plans[0].name | product NNZBXXE1X (1b6c4e7a-93d2-4f0b-8c55-0a7e2d9f4b13) service_plans[0]: field "name" should be a name of 1-150 characters, got number 5; item dropped',
      'invalid-field $.products[0].service_plans[1] | product NNZBXXE1X (1b6c4e7a-93d2-4f0b-8c55-0a7e2d9f4b13) service_plans[1]: expected an object, got string "plan"; item dropped',
      'unexpected-value $.products[0].service_plans[2].id | product NNZBXXE1X (1b6c4e7a-93d2-4f0b-8c55-0a7e2d9f4b13) service_plans[2]: field "id" value string "not-a-guid" is not a GUID; kept as received',
      'invalid-field $.products[1].service_plans | product CCZBXXE1X (7e2a9c14-6b3f-4d8a-a1e5-3c9b0f7d2e64): field "service_plans" should be an array of { name, id }, got an object; treated as empty',
      'unknown-field $.extra | undocumented field "extra" ignored',
    ]);
    // A dropped plan is the product's problem: the warning names the product and its field.
    expect(warnings.filter((w) => w.message.endsWith('item dropped')).map((w) => [w.record, w.field])).toEqual([
      ['product NNZBXXE1X (1b6c4e7a-93d2-4f0b-8c55-0a7e2d9f4b13)', 'service_plans'],
      ['product NNZBXXE1X (1b6c4e7a-93d2-4f0b-8c55-0a7e2d9f4b13)', 'service_plans'],
    ]);
  });

  it('rejects products missing what alerts depend on, naming each by what it still has', () => {
    const body = structuredClone(distributorProductListResponse) as unknown as { products: Row[] };
    const [first, second] = body.products as [Row, Row];
    delete first.product_name;
    delete first.product_code;
    second.product_id = '';
    second.product_name = 4;
    expect(lines(issuesOf(() => parseProductCatalogue(body)))).toEqual([
      'issue $.products[0].product_code | product 1b6c4e7a-93d2-4f0b-8c55-0a7e2d9f4b13: field "product_code" is missing (expected a 9-character product code)',
      'issue $.products[0].product_name | product 1b6c4e7a-93d2-4f0b-8c55-0a7e2d9f4b13: field "product_name" is missing (expected a name of 1-150 characters)',
      'issue $.products[1].product_id | product CCZBXXE1X: field "product_id" should be a GUID, got string ""',
      'issue $.products[1].product_name | product CCZBXXE1X: field "product_name" should be a name of 1-150 characters, got number 4',
    ]);
  });

  it('reads a partner id that is not a string as unknown, and says so', () => {
    const body = { ...structuredClone(distributorProductListResponse), partner_id: 42 };
    const { data, warnings } = parseProductCatalogue(body);
    expect(data.partnerId).toBeNull();
    expect(lines(warnings)).toEqual([
      'invalid-field $.partner_id | field "partner_id" should be a GUID, got number 42; partner unknown',
    ]);
    const { partner_id: _gone, ...withoutPartner } = structuredClone(distributorProductListResponse);
    expect(parseProductCatalogue(withoutPartner).warnings.map((w) => [w.kind, w.field])).toEqual([
      ['missing-field', 'partner_id'],
    ]);
  });

  it('says what it got instead of a product list', () => {
    expect(lines(issuesOf(() => parseProductCatalogue([])))).toEqual([
      'issue $ | expected a JSON object with "products", got an array',
    ]);
    expect(lines(issuesOf(() => parseProductCatalogue({ products: {} })))).toEqual([
      'issue $.products | field "products" should be an array, got an object',
    ]);
  });
});

describe('service plan list drift', () => {
  it('falls back to empty or null display fields with a warning each, and keeps an unknown version', () => {
    const body = structuredClone(sampleServicePlanListResponse) as unknown as Row[];
    Object.assign(body[0] as Row, {
      product: 3,
      product_code: 4,
      version: '',
      initial_license_period_month: 'x',
      data_center_code: 1,
      data_center: 2,
      auto_renewal: 'yes',
    });
    Object.assign(body[1] as Row, { version: 'Beta' });
    const { data, warnings } = parseServicePlans(body);
    expect(data[0]).toMatchObject({
      name: 'WFBS-SVC Full 12 months',
      product: '',
      productCode: '',
      version: null,
      initialLicensePeriodMonths: null,
      dataCenterCode: null,
      dataCenter: null,
      autoRenewal: null,
    });
    expect(data[1]?.version).toBe('Beta');
    expect(lines(warnings)).toEqual([
      'invalid-field $[0].product | service plan "WFBS-SVC Full 12 months": field "product" should be a product name of 1-100 characters, got number 3; ignored',
      'invalid-field $[0].product_code | service plan "WFBS-SVC Full 12 months": field "product_code" should be a 9-character product code, got number 4; ignored',
      'invalid-field $[0].version | service plan "WFBS-SVC Full 12 months": field "version" should be one of trial, full, got string ""; ignored',
      'invalid-field $[0].initial_license_period_month | service plan "WFBS-SVC Full 12 months": field "initial_license_period_month" should be a whole number of months (1-36), got string "x"; ignored',
      'invalid-field $[0].data_center_code | service plan "WFBS-SVC Full 12 months": field "data_center_code" should be a data centre code, got number 1; ignored',
      'invalid-field $[0].data_center | service plan "WFBS-SVC Full 12 months": field "data_center" should be a data centre name, got number 2; ignored',
      'invalid-field $[0].auto_renewal | service plan "WFBS-SVC Full 12 months": field "auto_renewal" should be a boolean, got string "yes"; ignored',
      'unexpected-value $[1].version | service plan "WFBS-SVC Trial 1 month": field "version" value string "Beta" is not one of trial, full; kept as received',
    ]);
  });

  it('rejects plans without a usable id or name, and anything that is not a plan, naming each', () => {
    const body = structuredClone(sampleServicePlanListResponse) as unknown[];
    delete (body[0] as Row).name;
    (body[1] as Row).service_plan_id = '';
    body.push(5);
    expect(lines(issuesOf(() => parseServicePlans(body)))).toEqual([
      'issue $[0].name | service plan "a3d0c6e2-5b7f-4e19-b2c4-7f1e9d3a6b80": field "name" is missing (expected a name of 1-150 characters)',
      'issue $[1].service_plan_id | service plan "WFBS-SVC Trial 1 month": field "service_plan_id" should be a GUID, got string ""',
      'issue $[2] | service plan [2]: expected an object, got number 5',
    ]);
    expect(lines(issuesOf(() => parseServicePlans({ plans: [] })))).toEqual([
      'issue $ | expected a JSON array of service plans, got an object',
    ]);
  });
});

describe('transaction report drift', () => {
  it('ignores each unusable field of a row with a warning, and keeps the row', () => {
    const body = structuredClone(monthTransactionReportResponse) as unknown as { transaction: Row[] };
    Object.assign(body.transaction[0] as Row, {
      vendor_company_name: 1,
      created_by: 2,
      customer_company: 3,
      version: '',
      units_allocated: 'many',
      previous_units_allocated: true,
      unit: 5,
      previous_start_charge_date: 7,
      new_start_charge_date: 8,
    });
    const { data, warnings } = parseTransactionReport(body);
    expect(data.transactions[0]).toMatchObject({
      productName: 'Worry-Free Business Security Services',
      vendorCompanyName: null,
      createdBy: null,
      customerCompany: null,
      version: null,
      unit: null,
      previousStartChargeDate: null,
      newStartChargeDate: null,
    });
    expect(data.transactions[0]).not.toHaveProperty('unitsAllocated');
    expect(lines(warnings)).toEqual([
      'invalid-field $.transaction[0].vendor_company_name | transaction[0] (Worry-Free Business Security Services): field "vendor_company_name" should be a company name, got number 1; ignored',
      'invalid-field $.transaction[0].created_by | transaction[0] (Worry-Free Business Security Services): field "created_by" should be a name, got number 2; ignored',
      'invalid-field $.transaction[0].customer_company | transaction[0] (Worry-Free Business Security Services): field "customer_company" should be a customer company name, got number 3; ignored',
      'invalid-field $.transaction[0].version | transaction[0] (Worry-Free Business Security Services): field "version" should be one of Trial, Full, got string ""; ignored',
      'invalid-field $.transaction[0].previous_units_allocated | transaction[0] (Worry-Free Business Security Services): field "previous_units_allocated" should be a whole number of units (string or integer), got boolean true; ignored',
      'invalid-field $.transaction[0].units_allocated | transaction[0] (Worry-Free Business Security Services): field "units_allocated" should be a whole number of units (string or integer), got string "many"; ignored',
      'invalid-field $.transaction[0].unit | transaction[0] (Worry-Free Business Security Services): field "unit" should be a unit label, got number 5; ignored',
      'invalid-field $.transaction[0].previous_start_charge_date | transaction[0] (Worry-Free Business Security Services): field "previous_start_charge_date" should be a date, got number 7; ignored',
      'invalid-field $.transaction[0].new_start_charge_date | transaction[0] (Worry-Free Business Security Services): field "new_start_charge_date" should be a date, got number 8; ignored',
    ]);
  });

  it('rejects rows without a product name, and anything that is not a row, naming each', () => {
    const body = structuredClone(monthTransactionReportResponse) as unknown as { transaction: unknown[] };
    delete (body.transaction[0] as Row).product_name;
    (body.transaction[1] as Row).product_name = 5;
    body.transaction.push(3);
    expect(lines(issuesOf(() => parseTransactionReport(body)))).toEqual([
      'issue $.transaction[0].product_name | transaction[0] (Müller & Söhne GmbH): field "product_name" is missing (expected a product name of 1-150 characters)',
      'issue $.transaction[1].product_name | transaction[1] (Acme, Inc.): field "product_name" should be a product name of 1-150 characters, got number 5',
      'issue $.transaction[7] | transaction[7]: expected an object, got number 3',
    ]);
  });

  it('reads a null list as an empty report and says so; anything but an object is refused', () => {
    const { data, warnings } = parseTransactionReport({ transaction: null, x: 1 });
    expect(data.transactions).toEqual([]);
    expect(lines(warnings)).toEqual([
      'normalised $.transaction | field "transaction" is null; read as an empty report',
      'unknown-field $.x | undocumented field "x" ignored',
    ]);
    expect(lines(issuesOf(() => parseTransactionReport([])))).toEqual([
      'issue $ | expected a JSON object with "transaction", got an array',
    ]);
  });
});

describe('customer summary drift', () => {
  it('ignores each unusable field of a row with a warning, and marks usage unreadable rather than 0', () => {
    const body = structuredClone(monthCustomerSummaryResponse) as unknown as { summary: Row[] };
    Object.assign(body.summary[0] as Row, {
      customer: 1,
      city: 2,
      state: 3,
      owned_by_vendor: 4,
      created_by_vendor: 5,
      service_plan: 6,
      unit: 7,
      used: 'x',
    });
    const { data, warnings } = parseCustomerSummary(body);
    expect(data.summary[0]).toEqual({
      customer: null,
      city: null,
      state: null,
      ownedByVendor: null,
      createdByVendor: null,
      productName: 'Worry-Free Business Security Services',
      servicePlan: null,
      provisioned: 30,
      usage: 'unreadable',
      unit: null,
    });
    expect(lines(warnings)).toEqual([
      'invalid-field $.summary[0].customer | summary[0] (Worry-Free Business Security Services): field "customer" should be a customer name, got number 1; ignored',
      'invalid-field $.summary[0].city | summary[0] (Worry-Free Business Security Services): field "city" should be a city, got number 2; ignored',
      'invalid-field $.summary[0].state | summary[0] (Worry-Free Business Security Services): field "state" should be a state, got number 3; ignored',
      'invalid-field $.summary[0].owned_by_vendor | summary[0] (Worry-Free Business Security Services): field "owned_by_vendor" should be a vendor name, got number 4; ignored',
      'invalid-field $.summary[0].created_by_vendor | summary[0] (Worry-Free Business Security Services): field "created_by_vendor" should be a vendor name, got number 5; ignored',
      'invalid-field $.summary[0].service_plan | summary[0] (Worry-Free Business Security Services): field "service_plan" should be a service plan name, got number 6; ignored',
      'invalid-field $.summary[0].used | summary[0] (Worry-Free Business Security Services): field "used" should be a whole number of units, or null when usage is not reported, got string "x"; ignored',
      'invalid-field $.summary[0].unit | summary[0] (Worry-Free Business Security Services): field "unit" should be a unit label, got number 7; ignored',
    ]);
  });

  it('rejects rows without a product name or a readable provisioned count, naming customer and product', () => {
    const body = structuredClone(monthCustomerSummaryResponse) as unknown as { summary: Row[] };
    delete (body.summary[0] as Row).product_name;
    (body.summary[1] as Row).provisioned = 'x';
    delete (body.summary[2] as Row).provisioned;
    expect(lines(issuesOf(() => parseCustomerSummary(body)))).toEqual([
      'issue $.summary[0].product_name | summary[0] (Müller & Söhne GmbH): field "product_name" is missing (expected a product name of 1-150 characters)',
      'issue $.summary[1].provisioned | summary[1] (Acme, Inc. / Worry-Free Business Security Services): field "provisioned" should be a whole number of units (integer or string), got string "x"',
      'issue $.summary[2].provisioned | summary[2] (Café "Le Rendez-vous" SARL / Cloud App Security): field "provisioned" is missing (expected a whole number of units (integer or string))',
    ]);
    expect(lines(issuesOf(() => parseCustomerSummary({ summary: 'a' })))).toEqual([
      'issue $.summary | field "summary" should be an array, got string "a"',
    ]);
  });
});

describe('strict parses (contract tests) name where the contract broke', () => {
  it('lists undocumented keys, at the top level and inside a product', () => {
    const top = issuesOf(() =>
      parseProductCatalogueStrict({ ...distributorProductListResponse, region: 'EU', zone: 1 }),
    );
    expect(top).toEqual([{ path: '$', field: undefined, message: expect.stringMatching(/ \(region, zone\)$/) }]);
    const body = structuredClone(distributorProductListResponse) as unknown as { products: Row[] };
    (body.products[0] as Row).region = 'EU';
    const [inProduct] = issuesOf(() => parseProductCatalogueStrict(body));
    expect(inProduct).toEqual({
      path: '$.products[0]',
      record: 'product NNZBXXE1X (1b6c4e7a-93d2-4f0b-8c55-0a7e2d9f4b13)',
      field: undefined,
      message: expect.stringMatching(/^product NNZBXXE1X \(1b6c4e7a-93d2-4f0b-8c55-0a7e2d9f4b13\): .* \(region\)$/),
    });
  });

  it('names the field of a missing list, and the nested field of a bad plan reference', () => {
    const [missing] = issuesOf(() =>
      parseProductCatalogueStrict({ partner_id: distributorProductListResponse.partner_id }),
    );
    expect(missing).toMatchObject({ path: '$.products', field: 'products' });
    expect(missing?.message).toMatch(/^field "products": /);
    const body = structuredClone(distributorProductListResponse) as unknown as { products: { service_plans: Row[] }[] };
    (body.products[1]?.service_plans as Row[])[0] = { name: 'x', id: 'y' };
    const [plan] = issuesOf(() => parseProductCatalogueStrict(body));
    expect(plan).toMatchObject({
      path: '$.products[1].service_plans[0].id',
      record: 'product CCZBXXE1X (7e2a9c14-6b3f-4d8a-a1e5-3c9b0f7d2e64)',
      field: 'service_plans.0.id',
    });
    expect(plan?.message).toMatch(
      /^product CCZBXXE1X \(7e2a9c14-6b3f-4d8a-a1e5-3c9b0f7d2e64\): field "service_plans\.0\.id" /,
    );
  });

  it('names service plans of a top-level array, and the version in the error', () => {
    const body = structuredClone(sampleServicePlanListResponse) as unknown as Row[];
    (body[1] as Row).extra = 1;
    const error = (() => {
      try {
        parseServicePlansStrict(body, { apiVersion: 'v3' });
      } catch (thrown) {
        if (isSchemaViolationError(thrown)) return thrown;
        throw thrown;
      }
      throw new Error('expected a SchemaViolationError');
    })();
    expect(error.message).toMatch(/^LMPI v3 service plan list response does not match the LMPI contract: /);
    expect(error.issues).toEqual([
      {
        path: '$[1]',
        record: 'service plan "WFBS-SVC Trial 1 month"',
        field: undefined,
        message: expect.stringMatching(/^service plan "WFBS-SVC Trial 1 month": .* \(extra\)$/),
      },
    ]);
  });
});

describe('what every message says', () => {
  it('names the document in the error, for each kind of response', () => {
    const messageOf = (parse: () => unknown) => {
      try {
        parse();
      } catch (error) {
        return errorMessage(error);
      }
      return '';
    };
    expect(messageOf(() => parseProductCatalogue(null))).toMatch(/^product list response does not match /);
    expect(messageOf(() => parseProductCatalogue({ products: 'x' }))).toMatch(/^product list response does not /);
    expect(messageOf(() => parseProductCatalogue({ products: [{}] }))).toMatch(/^product list response does not /);
    expect(messageOf(() => parseProductCatalogueStrict({}))).toMatch(/^product list response does not match /);
    expect(messageOf(() => parseServicePlans({}))).toMatch(/^LMPI v2 service plan list response does not match /);
    expect(messageOf(() => parseTransactionReport({ transaction: [{}] }))).toMatch(
      /^transaction report response does not match /,
    );
    expect(messageOf(() => parseTransactionReportStrict({}))).toMatch(/^transaction report response does not /);
    expect(messageOf(() => parseCustomerSummary({ summary: [{}] }))).toMatch(
      /^customer summary report response does not match /,
    );
    expect(messageOf(() => parseCustomerSummaryStrict({}))).toMatch(/^customer summary report response does not /);
  });

  it('shows long values cut at 40 characters, and null as null', () => {
    const body = structuredClone(sampleServicePlanListResponse) as unknown as Row[];
    Object.assign(body[0] as Row, { data_center: null, product_code: 'P'.repeat(41) });
    Object.assign(body[1] as Row, { product_code: 'P'.repeat(40), auto_renewal: [true] });
    expect(parseServicePlans(body).warnings.map((w) => w.message.replace(/^service plan "[^"]+": /, ''))).toEqual([
      `field "product_code" value string "${'P'.repeat(40)}…" is not a 9-character product code; kept as received`,
      'field "data_center" should be a data centre name, got null; ignored',
      `field "product_code" value string "${'P'.repeat(40)}" is not a 9-character product code; kept as received`,
      'field "auto_renewal" should be a boolean, got an array; ignored',
    ]);
  });

  it('reports a missing display field and an undocumented one inside a record, and uses the fallback', () => {
    const plans = structuredClone(sampleServicePlanListResponse) as unknown as Row[];
    delete (plans[0] as Row).product;
    (plans[0] as Row).region = 'EU';
    const { data, warnings } = parseServicePlans(plans);
    expect(data[0]?.product).toBe('');
    expect(lines(warnings)).toEqual([
      'missing-field $[0].product | service plan "WFBS-SVC Full 12 months": field "product" is missing',
      'unknown-field $[0].region | service plan "WFBS-SVC Full 12 months": undocumented field "region" ignored',
    ]);
  });

  it('says which spelling of the previous start charge date it used when both came and differ', () => {
    const body = structuredClone(monthTransactionReportResponse) as unknown as { transaction: Row[] };
    Object.assign(body.transaction[0] as Row, {
      'previous_start_charge _date': '2025-04-01',
      previous_start_charge_date: '2025-05-01',
    });
    (body.transaction[1] as Row)['previous_start_charge _date'] = '2025-04-01';
    (body.transaction[1] as Row).previous_start_charge_date = '2025-04-01'; // the same: nothing to say
    expect(lines(parseTransactionReport(body).warnings)).toEqual([
      'duplicate $.transaction[0].previous_start_charge_date | transaction[0] (Müller & Söhne GmbH / Worry-Free Business Security Services): both "previous_start_charge _date" and "previous_start_charge_date" sent and they differ; "previous_start_charge_date" used',
    ]);
  });

  it('names a product listed twice at its second place', () => {
    const body = structuredClone(distributorProductListResponse) as unknown as { products: Row[] };
    body.products.push({ ...(body.products[0] as Row), available: 120 });
    const { data, warnings } = parseProductCatalogue(body);
    expect(data.products.map((p) => p.available)).toEqual([120, 35]);
    expect(warnings.map((w) => [w.kind, w.path, w.record, w.field])).toEqual([
      [
        'duplicate',
        '$.products[2].product_id',
        'product NNZBXXE1X (1b6c4e7a-93d2-4f0b-8c55-0a7e2d9f4b13)',
        'product_id',
      ],
    ]);
  });

  it('labels records that are not objects, or have neither name nor code, by their place', () => {
    expect(
      lines(issuesOf(() => parseProductCatalogue({ products: ['x', { product_code: '', product_id: 7 }] })))[0],
    ).toBe('issue $.products[0] | products[0]: expected an object, got string "x"');
    const unnamed = issuesOf(() => parseProductCatalogue({ products: [{ product_code: '', product_id: 7 }] }));
    expect(unnamed.map((i) => i.record)).toEqual(['products[0]', 'products[0]', 'products[0]']);
    const plans = issuesOf(() => parseServicePlans([{ name: '', service_plan_id: 3 }, 'plan']));
    expect(plans.map((i) => i.record)).toEqual(['service plan [0]', 'service plan [1]']);
    const rows = issuesOf(() => parseTransactionReport({ transaction: [{ customer_company: '', product_name: 9 }] }));
    expect(rows[0]?.record).toBe('transaction[0]');
  });
});

describe('unit counts', () => {
  it('reads whole digit strings only: no leading or trailing text', () => {
    const body = structuredClone(monthCustomerSummaryResponse) as unknown as { summary: Row[] };
    Object.assign(body.summary[0] as Row, { used: '12 units' });
    Object.assign(body.summary[1] as Row, { used: 'about 12' });
    const { data } = parseCustomerSummary(body);
    expect(data.summary.slice(0, 2).map((row) => row.usage)).toEqual(['unreadable', 'unreadable']);
    expect(() => parseCustomerSummaryStrict(body)).toThrow(/field "summary\.0\.used"|summary\[0\]/);
  });
});

describe('values that are not records', () => {
  it('refuses null and non-object entries in every list with a SchemaViolationError, never a TypeError', () => {
    expect(lines(issuesOf(() => parseProductCatalogue({ products: [null] })))).toEqual([
      'issue $.products[0] | products[0]: expected an object, got null',
    ]);
    expect(lines(issuesOf(() => parseServicePlans([null])))).toEqual([
      'issue $[0] | service plan [0]: expected an object, got null',
    ]);
    expect(lines(issuesOf(() => parseTransactionReport({ transaction: [null] })))).toEqual([
      'issue $.transaction[0] | transaction[0]: expected an object, got null',
    ]);
    expect(lines(issuesOf(() => parseCustomerSummary({ summary: [7] })))).toEqual([
      'issue $.summary[0] | summary[0]: expected an object, got number 7',
    ]);
  });

  it('reads the unnamed customer (---) as no name, and usage as reported only when a count came', () => {
    const body = structuredClone(monthCustomerSummaryResponse) as unknown as { summary: Row[] };
    Object.assign(body.summary[0] as Row, { customer: '---', used: null });
    Object.assign(body.summary[1] as Row, { used: 38 });
    for (const parsed of [parseCustomerSummaryStrict(body), parseCustomerSummary(body).data]) {
      expect(parsed.summary.slice(0, 2).map((row) => [row.customer, row.usage, row.used])).toEqual([
        [null, 'not-reported', undefined],
        ['Acme, Inc.', 'reported', 38],
      ]);
    }
  });
});
