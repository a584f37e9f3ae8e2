// The public API of @licensewatch/client: what the apps, the sandbox and documented users need.
// Request signing is at `@licensewatch/client/signer` and the retry policy at
// `@licensewatch/client/retry`; everything else is internal. `tooling/test/public-api.test.ts`
// keeps this list intentional: a new export must be added to `tooling/public-api.json` on purpose.
export type { LmpiApiVersion, LmpiPaths } from './api-version.js';
export { lmpiPaths } from './api-version.js';
export type {
  CustomerSummaryResult,
  LmpiCallOptions,
  LmpiClient,
  LmpiClientOptions,
  ProductListResult,
  ServicePlanListResult,
  TransactionReportResult,
} from './client.js';
export { createLmpiClient, PRODUCT_LIST_PATH, SERVICE_PLAN_LIST_PATH } from './client.js';
export type { LmpiErrorCode, LmpiFailureKind, LmpiRequestInfo } from './errors.js';
export {
  isLmpiError,
  isLmpiHttpError,
  LmpiConfigError,
  LmpiError,
  LmpiHttpError,
  LmpiNetworkError,
  LmpiResponseShapeError,
  LmpiTimeoutError,
  lmpiFailureKind,
} from './errors.js';
export { describeLmpiFailure, explainLmpiFailure } from './explain.js';
export type { CustomerSummaryQuery, TransactionReportQuery } from './report-query.js';
export {
  CUSTOMER_SUMMARY_PATH,
  customerSummaryBody,
  TRANSACTION_REPORT_PATH,
  transactionReportBody,
} from './report-query.js';
export type { RetryPolicy } from './retry.js';
export type {
  LmpiSettingNames,
  LmpiTarget,
  LmpiTargetResolution,
  LmpiTargetSettings,
  RemoteLmpiTarget,
  SandboxLmpiTarget,
  SignedCurlRequest,
} from './target.js';
export { importEmbeddedSandbox, isPackageNotInstalled, lmpiTargetFromEnv, signedCurl } from './target.js';
export type { LmpiAttemptEvent } from './transport.js';
