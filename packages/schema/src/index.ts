export type { DriftKind, DriftWarning, LenientResult } from './drift.js';
export type { LmpiErrorBody, LmpiErrorSubject } from './error-body.js';
export { LMPI_ERROR_STATUS, lmpiErrorBodySchema, parseLmpiErrorBody } from './error-body.js';
export type { SchemaIssue } from './errors.js';
export { isSchemaViolationError, SchemaViolationError } from './errors.js';
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
export type { KnownLicenseVersion, KnownProductType, LicenseVersion, ProductType } from './vocabulary.js';
export {
  canonicalSpelling,
  isKnownLicenseVersion,
  isKnownProductType,
  LICENSE_VERSIONS,
  PRODUCT_TYPES,
} from './vocabulary.js';
