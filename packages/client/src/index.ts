export { isLmpiFailureKind, LMPI_FAILURE_KINDS } from '@licensewatch/schema';
export type { LmpiApiVersion, LmpiPaths } from './api-version.js';
export {
  DEFAULT_LMPI_API_VERSION,
  isLmpiApiVersion,
  LMPI_API_VERSIONS,
  lmpiPaths,
  parseLmpiApiVersion,
} from './api-version.js';
export type {
  CustomerSummaryResult,
  LmpiCallOptions,
  LmpiClient,
  LmpiClientOptions,
  ProductListResult,
  ServicePlanListResult,
  TransactionReportResult,
} from './client.js';
export { createLmpiClient, normaliseBaseUrl, PRODUCT_LIST_PATH, SERVICE_PLAN_LIST_PATH } from './client.js';
export { curlCommand, shellQuote } from './curl.js';
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
  REPORT_RETENTION_MONTHS,
  TRANSACTION_REPORT_PATH,
  transactionReportBody,
} from './report-query.js';
export type { RetryPolicy } from './retry.js';
export { DEFAULT_RETRY_POLICY } from './retry.js';
export type { HeaderInput, SignatureInput } from './signer.js';
export { bodyDigest, LMPI_CONTENT_TYPE, lmpiHeaders, signLmpiRequest, stringToSign } from './signer.js';
export type {
  LmpiSettingNames,
  LmpiTarget,
  LmpiTargetResolution,
  LmpiTargetSettings,
  RemoteLmpiTarget,
  SandboxLmpiTarget,
  SignedCurlRequest,
} from './target.js';
export { importEmbeddedSandbox, LMPI_SETTING_NAMES, lmpiTargetFromEnv, SANDBOX_PACKAGE, signedCurl } from './target.js';
export type { LmpiAttemptEvent } from './transport.js';
