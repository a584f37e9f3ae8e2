import { FIXTURE_PARTNER_ID } from '@licensewatch/schema/fixtures';
import { MatchersV3, PactV4 } from '@pact-foundation/pact';
import { describe, expect, it } from 'vitest';
import { PACT_OUT_DIR } from '../test/pact-global-setup.js';
import { createLmpiClient } from './client.js';
import { isLmpiHttpError, type LmpiError, lmpiFailureKind } from './errors.js';

const { eachLike, atLeastLike, integer, regex, string, uuid } = MatchersV3;

/** Names shared with the provider verification in packages/lmpi-sandbox. */
export const CONSUMER = 'licensewatch-client';
export const PROVIDER = 'trend-micro-lmpi';

const accessToken = '975f9ce9-1234-5678-8c2e-9f0b1f27e1b3';
const secretKey = 'pact-consumer-secret';

const pact = new PactV4({ consumer: CONSUMER, provider: PROVIDER, dir: PACT_OUT_DIR, logLevel: 'warn' });

/** The five LMPI headers, matched by shape: values change on every request. */
const signedHeaders = {
  'x-access-token': regex('^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$', accessToken),
  'x-posix-time': regex('^[0-9]{1,10}$', '1363797148'),
  'x-signature': regex('^[A-Za-z0-9+/]{1,88}={0,2}$', 'L6rdaydcJ32rlPVdb0vtokEwGvp7/hk/llxsGeMGaoU='),
  'x-traceid': regex(
    '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
    '95b794e7-0b1c-4b3e-8f2a-1d2c3b4a5e6f',
  ),
  'content-type': regex('^application/json(; ?charset=utf-8)?$', 'application/json; charset=utf-8'),
};
const jsonResponse = { 'Content-Type': regex('^application/json.*$', 'application/json; charset=utf-8') };

const servicePlanRef = { name: string('WFBS-SVC Full 12 months'), id: uuid('a3d0c6e2-5b7f-4e19-b2c4-7f1e9d3a6b80') };

function productTemplate(withUsed: boolean) {
  return {
    product_id: uuid('1b6c4e7a-93d2-4f0b-8c55-0a7e2d9f4b13'),
    product_code: regex('^[A-Z0-9]{9}$', 'NNZBXXE1X'),
    product_name: string('Worry-Free Business Security Services'),
    type: regex('^(SaaS|Software|Suite)$', 'SaaS'),
    version: regex('^(Trial|Full)$', 'Full'),
    available: integer(120),
    ...(withUsed ? { used: integer(0) } : {}),
    service_plans: atLeastLike(servicePlanRef, 0, 1),
  };
}

/** The consumer's clock for report requests: fixed, so the committed pact does not change with the date. */
const REPORT_NOW = Date.UTC(2025, 6, 15, 12);
/** Sent as report state params: the provider seeds its data for this month. */
const REPORT_MONTH = { year: '2025', month: '07' };
const WFBS_ID = '1b6c4e7a-93d2-4f0b-8c55-0a7e2d9f4b13';

function client(baseUrl: string, apiVersion: 'v2' | 'v3' = 'v2') {
  return createLmpiClient({ baseUrl, accessToken, secretKey, retry: false, now: () => REPORT_NOW, apiVersion });
}

/** A Trend Vision One pool: the provider state puts exactly this product in the catalogue. */
const VISION_ONE_POOL = { productId: '7e1c9a3b-5d2f-4b8e-a6c4-1f3e5d7b9a20', productCode: 'TVOAXXE1X' };
const visionOnePlanName = regex('^.*Vision One.*$', 'Trend Vision One Full 12 months');

/** The report cycle fields of a request body: "YYYY" and zero-padded "MM" strings. */
const reportCycle = {
  report_cycle_year: regex('^[0-9]{4}$', REPORT_MONTH.year),
  report_cycle_month: regex('^(0[1-9]|1[0-2])$', REPORT_MONTH.month),
};

/** One transaction row as documented: counts as strings, the previous date key with a space. */
function transactionTemplate(type: string, customer: string, before: number, after: number) {
  return {
    type: string(type),
    vendor_company_name: string('Northwind Managed Services Ltd'),
    created_by: string('Northwind Managed Services Ltd'),
    customer_company: string(customer),
    product_name: string('Worry-Free Business Security Services'),
    version: string('Full'),
    previous_units_allocated: regex('^[0-9]+$', String(before)),
    units_allocated: regex('^[0-9]+$', String(after)),
    change_units: regex('^-?[0-9]+$', String(after - before)),
    unit: string('unit(s)'),
    new_start_charge_date: string('2025-07-09T11:02:00Z'),
  };
}

function summaryTemplate(withUsed: boolean) {
  return {
    customer: string('Müller & Söhne GmbH'),
    city: string('München'),
    state: string('Bayern'),
    owned_by_vendor: string('Northwind Managed Services Ltd'),
    created_by_vendor: string('Northwind Managed Services Ltd'),
    product_name: string('Worry-Free Business Security Services'),
    service_plan: string('WFBS-SVC Full 12 months'),
    provisioned: integer(30),
    ...(withUsed ? { used: integer(27) } : {}),
  };
}

async function failure(promise: Promise<unknown>): Promise<LmpiError> {
  try {
    await promise;
  } catch (error) {
    return error as LmpiError;
  }
  throw new Error('expected the call to fail');
}

function errorBody(subject: string, message: string) {
  return { error_subject: subject, error_message: string(message) };
}

describe('LMPI consumer contract', () => {
  it('lists the product profiles of a Distributor, with used', async () => {
    await pact
      .addInteraction()
      .given('a Distributor partner with products')
      .uponReceiving('a request for the product profiles of a Distributor')
      .withRequest('GET', '/LMPI/v2/partners/product', (builder) => {
        builder.headers(signedHeaders);
      })
      .willRespondWith(200, (builder) => {
        builder
          .headers(jsonResponse)
          .jsonBody({ partner_id: uuid(FIXTURE_PARTNER_ID), products: eachLike(productTemplate(true)) });
      })
      .executeTest(async (mock) => {
        const result = await client(mock.url).listProducts();
        expect(result.partnerId).toBe(FIXTURE_PARTNER_ID);
        expect(result.products[0]).toMatchObject({
          productCode: 'NNZBXXE1X',
          available: 120,
          used: 0,
          version: 'Full',
        });
        expect(result.warnings).toEqual([]);
      });
  });

  it('lists the product profiles of an MSP, without used', async () => {
    await pact
      .addInteraction()
      .given('an MSP partner with products')
      .uponReceiving('a request for the product profiles of an MSP')
      .withRequest('GET', '/LMPI/v2/partners/product', (builder) => {
        builder.headers(signedHeaders);
      })
      .willRespondWith(200, (builder) => {
        builder
          .headers(jsonResponse)
          .jsonBody({ partner_id: uuid(FIXTURE_PARTNER_ID), products: eachLike(productTemplate(false)) });
      })
      .executeTest(async (mock) => {
        const result = await client(mock.url).listProducts();
        expect(result.products[0]?.used).toBeUndefined();
        expect(result.products[0]?.available).toBe(120);
      });
  });

  it('lists no products for a partner with nothing to provision', async () => {
    await pact
      .addInteraction()
      .given('a partner with no products')
      .uponReceiving('a request for the product profiles of a partner with none')
      .withRequest('GET', '/LMPI/v2/partners/product', (builder) => {
        builder.headers(signedHeaders);
      })
      .willRespondWith(200, (builder) => {
        builder.headers(jsonResponse).jsonBody({ partner_id: uuid(FIXTURE_PARTNER_ID), products: [] });
      })
      .executeTest(async (mock) => {
        const result = await client(mock.url).listProducts();
        expect(result.products).toEqual([]);
      });
  });

  it('surfaces a rejected signature as a credentials error', async () => {
    await pact
      .addInteraction()
      .given('the request signature does not verify')
      .uponReceiving('a product list request with a bad signature')
      .withRequest('GET', '/LMPI/v2/partners/product', (builder) => {
        builder.headers(signedHeaders);
      })
      .willRespondWith(401, (builder) => {
        builder
          .headers(jsonResponse)
          .jsonBody(errorBody('AuthenticationFailureSignature', 'Signature verification failed.'));
      })
      .executeTest(async (mock) => {
        const error = await failure(client(mock.url).listProducts());
        expect(isLmpiHttpError(error, 'AuthenticationFailureSignature')).toBe(true);
        expect(lmpiFailureKind(error)).toBe('credentials');
      });
  });

  it('surfaces a rejected posix time as clock skew', async () => {
    await pact
      .addInteraction()
      .given('the client clock is more than 15 minutes off')
      .uponReceiving('a product list request with a stale posix time')
      .withRequest('GET', '/LMPI/v2/partners/product', (builder) => {
        builder.headers(signedHeaders);
      })
      .willRespondWith(401, (builder) => {
        builder
          .headers(jsonResponse)
          .jsonBody(errorBody('AuthenticationFailurePosixTime', 'The posix time is out of range.'));
      })
      .executeTest(async (mock) => {
        const error = await failure(client(mock.url).listProducts());
        expect(isLmpiHttpError(error, 'AuthenticationFailurePosixTime')).toBe(true);
        expect(lmpiFailureKind(error)).toBe('clock-skew');
      });
  });

  it('surfaces an internal error as a server error, not as zero products', async () => {
    await pact
      .addInteraction()
      .given('LMPI fails with an internal error')
      .uponReceiving('a product list request while LMPI is failing')
      .withRequest('GET', '/LMPI/v2/partners/product', (builder) => {
        builder.headers(signedHeaders);
      })
      .willRespondWith(500, (builder) => {
        builder.headers(jsonResponse).jsonBody(errorBody('InternalError', 'Internal server error.'));
      })
      .executeTest(async (mock) => {
        const error = await failure(client(mock.url).listProducts());
        expect(isLmpiHttpError(error, 'InternalError')).toBe(true);
        expect(lmpiFailureKind(error)).toBe('server');
      });
  });

  it('lists the service plans', async () => {
    await pact
      .addInteraction()
      .given('a partner with service plans')
      .uponReceiving('a request for the service plans')
      .withRequest('GET', '/LMPI/v2/me/serviceplans', (builder) => {
        builder.headers(signedHeaders);
      })
      .willRespondWith(200, (builder) => {
        builder.headers(jsonResponse).jsonBody(
          eachLike({
            service_plan_id: uuid('a3d0c6e2-5b7f-4e19-b2c4-7f1e9d3a6b80'),
            name: string('WFBS-SVC Full 12 months'),
            product: string('Worry-Free Business Security Services'),
            product_code: regex('^[A-Z0-9]{9}$', 'NNZBXXE1X'),
            version: regex('^(trial|full|Trial|Full)$', 'full'),
            initial_license_period_month: integer(12),
            data_center_code: string('22'),
            data_center: string('USA'),
            auto_renewal: MatchersV3.boolean(true),
          }),
        );
      })
      .executeTest(async (mock) => {
        const { servicePlans, warnings } = await client(mock.url).listServicePlans();
        expect(servicePlans[0]).toMatchObject({ productCode: 'NNZBXXE1X', version: 'Full', autoRenewal: true });
        expect(warnings).toEqual([]);
      });
  });

  it('reports one product’s license changes for a month, filters sent exactly', async () => {
    await pact
      .addInteraction()
      .given('customers were allocated licenses in the report month', REPORT_MONTH)
      .uponReceiving('a transaction report request for one product and type')
      .withRequest('POST', '/LMPI/v2/reports/transactions', (builder) => {
        builder.headers(signedHeaders).jsonBody({
          ...reportCycle,
          transaction_type: 'License Change',
          product_id: WFBS_ID,
          language_code: 'en-US',
          time_zone: 'W. Europe Standard Time',
        });
      })
      .willRespondWith(200, (builder) => {
        builder
          .headers(jsonResponse)
          .jsonBody({ transaction: eachLike(transactionTemplate('License Change', 'Müller & Söhne GmbH', 25, 30)) });
      })
      .executeTest(async (mock) => {
        const result = await client(mock.url).reportTransactions({
          year: 2025,
          month: 7,
          type: 'License Change',
          productId: WFBS_ID,
          languageCode: 'en-US',
          timeZone: 'W. Europe Standard Time',
        });
        expect(result.transactions[0]).toMatchObject({
          type: 'License Change',
          customerCompany: 'Müller & Söhne GmbH',
          previousUnitsAllocated: 25,
          unitsAllocated: 30,
          changeUnits: 5,
        });
        expect(result.warnings).toEqual([]);
      });
  });

  it('reports every transaction of a month when no filter is given', async () => {
    await pact
      .addInteraction()
      .given('customers were allocated licenses in the report month', REPORT_MONTH)
      .uponReceiving('a transaction report request for a whole month')
      .withRequest('POST', '/LMPI/v2/reports/transactions', (builder) => {
        builder.headers(signedHeaders).jsonBody(reportCycle);
      })
      .willRespondWith(200, (builder) => {
        builder.headers(jsonResponse).jsonBody({
          transaction: eachLike({
            ...transactionTemplate('New Purchase', 'Acme, Inc.', 0, 40),
            'previous_start_charge _date': string(''),
          }),
        });
      })
      .executeTest(async (mock) => {
        const { transactions } = await client(mock.url).reportTransactions({ year: 2025, month: 7 });
        expect(transactions[0]).toMatchObject({
          customerCompany: 'Acme, Inc.',
          changeUnits: 40,
          previousStartChargeDate: null,
        });
      });
  });

  it('reports an empty month as no transactions', async () => {
    await pact
      .addInteraction()
      .given('no customer transactions in the report month')
      .uponReceiving('a transaction report request for a month without transactions')
      .withRequest('POST', '/LMPI/v2/reports/transactions', (builder) => {
        builder.headers(signedHeaders).jsonBody(reportCycle);
      })
      .willRespondWith(200, (builder) => {
        builder.headers(jsonResponse).jsonBody({ transaction: [] });
      })
      .executeTest(async (mock) => {
        const result = await client(mock.url).reportTransactions({ year: 2025, month: 7 });
        expect(result.transactions).toEqual([]);
        expect(result.warnings).toEqual([]);
      });
  });

  it('surfaces a rejected report signature as a credentials error', async () => {
    await pact
      .addInteraction()
      .given('the request signature does not verify')
      .uponReceiving('a transaction report request with a bad signature')
      .withRequest('POST', '/LMPI/v2/reports/transactions', (builder) => {
        builder.headers(signedHeaders).jsonBody(reportCycle);
      })
      .willRespondWith(401, (builder) => {
        builder
          .headers(jsonResponse)
          .jsonBody(errorBody('AuthenticationFailureSignature', 'Signature verification failed.'));
      })
      .executeTest(async (mock) => {
        const error = await failure(client(mock.url).reportTransactions({ year: 2025, month: 7 }));
        expect(isLmpiHttpError(error, 'AuthenticationFailureSignature')).toBe(true);
        expect(lmpiFailureKind(error)).toBe('credentials');
      });
  });

  it('reports provisioned and used units for one partner and product', async () => {
    await pact
      .addInteraction()
      .given('customers were allocated licenses in the report month', REPORT_MONTH)
      .uponReceiving('a customer summary request for one partner and product')
      .withRequest('POST', '/LMPI/v2/reports/summary', (builder) => {
        builder.headers(signedHeaders).jsonBody({
          ...reportCycle,
          partner_id: FIXTURE_PARTNER_ID,
          product_id: WFBS_ID,
          language_code: 'en-US',
        });
      })
      .willRespondWith(200, (builder) => {
        builder
          .headers(jsonResponse)
          .jsonBody({ summary: eachLike({ ...summaryTemplate(true), unit: string('unit(s)') }) });
      })
      .executeTest(async (mock) => {
        const { summary, warnings } = await client(mock.url).reportCustomerSummary({
          year: 2025,
          month: 7,
          partnerId: FIXTURE_PARTNER_ID,
          productId: WFBS_ID,
          languageCode: 'en-US',
        });
        expect(summary[0]).toMatchObject({
          customer: 'Müller & Söhne GmbH',
          provisioned: 30,
          used: 27,
          usage: 'reported',
        });
        expect(warnings).toEqual([]);
      });
  });

  it('reports the whole month’s customers, relying on provisioned only', async () => {
    await pact
      .addInteraction()
      .given('customers were allocated licenses in the report month', REPORT_MONTH)
      .uponReceiving('a customer summary request for a whole month')
      .withRequest('POST', '/LMPI/v2/reports/summary', (builder) => {
        builder.headers(signedHeaders).jsonBody(reportCycle);
      })
      .willRespondWith(200, (builder) => {
        builder.headers(jsonResponse).jsonBody({ summary: eachLike(summaryTemplate(false)) });
      })
      .executeTest(async (mock) => {
        const { summary } = await client(mock.url).reportCustomerSummary({ year: 2025, month: 7 });
        expect(summary[0]).toMatchObject({ customer: 'Müller & Söhne GmbH', provisioned: 30, usage: 'not-reported' });
        expect(summary[0]?.used).toBeUndefined();
      });
  });

  it('reports an empty summary for a month without provisioning', async () => {
    await pact
      .addInteraction()
      .given('no customer transactions in the report month')
      .uponReceiving('a customer summary request for a month without provisioning')
      .withRequest('POST', '/LMPI/v2/reports/summary', (builder) => {
        builder.headers(signedHeaders).jsonBody(reportCycle);
      })
      .willRespondWith(200, (builder) => {
        builder.headers(jsonResponse).jsonBody({ summary: [] });
      })
      .executeTest(async (mock) => {
        const { summary } = await client(mock.url).reportCustomerSummary({ year: 2025, month: 7 });
        expect(summary).toEqual([]);
      });
  });

  it('surfaces a Reseller’s refused summary as forbidden', async () => {
    await pact
      .addInteraction()
      .given('a Reseller partner')
      .uponReceiving('a customer summary request from a Reseller')
      .withRequest('POST', '/LMPI/v2/reports/summary', (builder) => {
        builder.headers(signedHeaders).jsonBody(reportCycle);
      })
      .willRespondWith(403, (builder) => {
        builder
          .headers(jsonResponse)
          .jsonBody({ error_subject: string('AuthorizationFailureRole'), error_message: string('Not allowed.') });
      })
      .executeTest(async (mock) => {
        const error = await failure(client(mock.url).reportCustomerSummary({ year: 2025, month: 7 }));
        expect(isLmpiHttpError(error)).toBe(true);
        expect(lmpiFailureKind(error)).toBe('forbidden');
      });
  });
});

describe('LMPI v3 consumer contract (Trend Vision One)', () => {
  const pool = {
    product_id: uuid(VISION_ONE_POOL.productId),
    product_code: regex('^[A-Z0-9]{9}$', VISION_ONE_POOL.productCode),
    product_name: regex('^.*Vision One.*$', 'Trend Vision One Endpoint Security'),
    type: regex('^(SaaS|Software|Suite)$', 'SaaS'),
    version: regex('^(Trial|Full)$', 'Full'),
    available: integer(120),
    used: integer(0),
  };

  it('lists a Vision One pool with its Vision One plans over v3, signed over the v3 path', async () => {
    await pact
      .addInteraction()
      .given('a Distributor partner with a Trend Vision One pool', VISION_ONE_POOL)
      .uponReceiving('a v3 request for the product profiles')
      .withRequest('GET', '/LMPI/v3/partners/product', (builder) => {
        builder.headers(signedHeaders);
      })
      .willRespondWith(200, (builder) => {
        builder.headers(jsonResponse).jsonBody({
          partner_id: uuid(FIXTURE_PARTNER_ID),
          products: eachLike({
            ...pool,
            service_plans: atLeastLike(
              { name: visionOnePlanName, id: uuid('b1b2b3b4-0000-4000-8000-000000000001') },
              1,
            ),
          }),
        });
      })
      .executeTest(async (mock) => {
        const result = await client(mock.url, 'v3').listProducts();
        expect(result.products[0]).toMatchObject({ productId: VISION_ONE_POOL.productId, available: 120 });
        expect(result.products[0]?.servicePlans[0]?.name).toContain('Vision One');
        expect(result.warnings).toEqual([]);
      });
  });

  it('lists the same pool over v2 without its Vision One plans, keeping its id', async () => {
    await pact
      .addInteraction()
      .given('a Distributor partner with a Trend Vision One pool', VISION_ONE_POOL)
      .uponReceiving('a v2 request for the product profiles of a Vision One pool')
      .withRequest('GET', '/LMPI/v2/partners/product', (builder) => {
        builder.headers(signedHeaders);
      })
      .willRespondWith(200, (builder) => {
        builder
          .headers(jsonResponse)
          .jsonBody({ partner_id: uuid(FIXTURE_PARTNER_ID), products: eachLike({ ...pool, service_plans: [] }) });
      })
      .executeTest(async (mock) => {
        const result = await client(mock.url, 'v2').listProducts();
        expect(result.products[0]).toMatchObject({ productId: VISION_ONE_POOL.productId, servicePlans: [] });
      });
  });

  it('lists the Vision One service plans over v3', async () => {
    await pact
      .addInteraction()
      .given('a Distributor partner with a Trend Vision One pool', VISION_ONE_POOL)
      .uponReceiving('a v3 request for the service plans')
      .withRequest('GET', '/LMPI/v3/me/serviceplans', (builder) => {
        builder.headers(signedHeaders);
      })
      .willRespondWith(200, (builder) => {
        builder.headers(jsonResponse).jsonBody(
          atLeastLike(
            {
              service_plan_id: uuid('b1b2b3b4-0000-4000-8000-000000000001'),
              name: visionOnePlanName,
              product: regex('^.*Vision One.*$', 'Trend Vision One Endpoint Security'),
              product_code: regex('^[A-Z0-9]{9}$', VISION_ONE_POOL.productCode),
              version: regex('^(trial|full|Trial|Full)$', 'full'),
              initial_license_period_month: integer(12),
              data_center_code: string('US'),
              data_center: string('United States'),
              auto_renewal: MatchersV3.boolean(true),
            },
            1,
          ),
        );
      })
      .executeTest(async (mock) => {
        const { servicePlans, warnings } = await client(mock.url, 'v3').listServicePlans();
        expect(servicePlans[0]).toMatchObject({ productCode: VISION_ONE_POOL.productCode, version: 'Full' });
        expect(servicePlans[0]?.name).toContain('Vision One');
        expect(warnings).toEqual([]);
      });
  });

  it('reports who drained the Vision One pool over v3', async () => {
    await pact
      .addInteraction()
      .given('a Trend Vision One pool was drained in the report month', { ...REPORT_MONTH, ...VISION_ONE_POOL })
      .uponReceiving('a v3 transaction report request for the Vision One pool')
      .withRequest('POST', '/LMPI/v3/reports/transactions', (builder) => {
        builder.headers(signedHeaders).jsonBody({ ...reportCycle, product_id: VISION_ONE_POOL.productId });
      })
      .willRespondWith(200, (builder) => {
        builder.headers(jsonResponse).jsonBody({
          transaction: eachLike({
            ...transactionTemplate('New Purchase', 'Acme, Inc.', 0, 40),
            product_name: regex('^.*Vision One.*$', 'Trend Vision One Endpoint Security'),
            'previous_start_charge _date': string(''),
          }),
        });
      })
      .executeTest(async (mock) => {
        const { transactions, warnings } = await client(mock.url, 'v3').reportTransactions({
          year: 2025,
          month: 7,
          productId: VISION_ONE_POOL.productId,
        });
        expect(transactions[0]).toMatchObject({ customerCompany: 'Acme, Inc.', changeUnits: 40 });
        expect(transactions[0]?.productName).toContain('Vision One');
        expect(warnings).toEqual([]);
      });
  });
});
