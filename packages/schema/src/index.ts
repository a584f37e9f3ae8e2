export type {
  CustomerSummaryReport,
  CustomerSummaryResponse,
  CustomerSummaryWire,
  CustomerUsageSummary,
  UsageStatus,
} from './customer-summary.js';
export {
  customerSummaryResponseSchema,
  customerSummaryWireSchema,
  parseCustomerSummary,
  parseCustomerSummaryStrict,
} from './customer-summary.js';
export type { DriftKind, DriftWarning, LenientResult } from './drift.js';
export type { LmpiErrorBody, LmpiErrorSubject } from './error-body.js';
export { LMPI_ERROR_STATUS, lmpiErrorBodySchema, parseLmpiErrorBody } from './error-body.js';
export type { SchemaIssue } from './errors.js';
export { errorMessage, isSchemaViolationError, SchemaViolationError } from './errors.js';
export type { LmpiFailureKind } from './failure-kind.js';
export { isLmpiFailureKind, LMPI_FAILURE_KINDS } from './failure-kind.js';
export type {
  ProductCatalogue,
  ProductListResponse,
  ProductProfile,
  ProductProfileWire,
  ServicePlanRef,
} from './product-profiles.js';
export {
  parseProductCatalogue,
  parseProductCatalogueStrict,
  productListResponseSchema,
  productProfileWireSchema,
  servicePlanRefWireSchema,
} from './product-profiles.js';
export type { ServicePlan, ServicePlanListResponse } from './service-plans.js';
export {
  parseServicePlans,
  parseServicePlansStrict,
  servicePlanListResponseSchema,
  servicePlanWireSchema,
} from './service-plans.js';
export type { LenientParseOptions, MalformedRecords, SetAsideRecord } from './set-aside.js';
export type {
  CustomerTransaction,
  TransactionReport,
  TransactionReportResponse,
  TransactionWire,
} from './transaction-report.js';
export {
  parseTransactionReport,
  parseTransactionReportStrict,
  transactionReportResponseSchema,
  transactionWireSchema,
  UNNAMED_CUSTOMER,
} from './transaction-report.js';
export { readUnitCount, unitChangeWireSchema, unitCountWireSchema } from './unit-counts.js';
export type { LmpiResponseVersion, ParseOptions, ProductServicePlan } from './vision-one.js';
export { isVisionOnePlan, productServicePlans, unmatchedServicePlans } from './vision-one.js';
export type {
  KnownLicenseVersion,
  KnownProductType,
  KnownTransactionType,
  LicenseVersion,
  ProductType,
  TransactionType,
} from './vocabulary.js';
export {
  canonicalSpelling,
  isKnownLicenseVersion,
  isKnownProductType,
  isKnownTransactionType,
  LICENSE_VERSIONS,
  PRODUCT_TYPES,
  TRANSACTION_TYPES,
} from './vocabulary.js';
