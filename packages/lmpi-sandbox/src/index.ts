export type { SandboxBannerOptions } from './banner.js';
export { sandboxBanner } from './banner.js';
export type { StoredProduct } from './catalogue.js';
export {
  DEFAULT_PARTNER_ID,
  defaultCatalogue,
  LONGEST_NAME,
  loadCatalogueFile,
  NON_ASCII_NAME,
  VISION_ONE_PRODUCT_CODE,
} from './catalogue.js';
export type { SandboxCustomer, SandboxVendor } from './customers.js';
export { OWN_VENDOR, SANDBOX_CUSTOMERS, SUB_VENDOR } from './customers.js';
export type { DemoSeries } from './demo-history.js';
export { demoHistory } from './demo-history.js';
export type { SandboxEnv } from './env.js';
export { readSandboxEnv } from './env.js';
export type { DriftVariant, FaultKind, FaultSpec } from './faults.js';
export { DRIFT_VARIANTS, FAULT_KINDS } from './faults.js';
export type { DailyDrop, PoolHistory } from './history-allocations.js';
export { dailyDrops } from './history-allocations.js';
export type { RecordedTransaction, TransactionFilter } from './ledger.js';
export { ROLE_NOT_ALLOWED } from './lmpi-errors.js';
export { CUSTOMER_SUMMARY_PATH, TRANSACTION_REPORT_PATH } from './reports.js';
export type { RequestLogEntry, Sandbox, SandboxControls, SandboxLogger, SandboxOptions } from './sandbox.js';
export { createSandbox, DEV_CREDENTIALS } from './sandbox.js';
export type { TransactionSeed } from './scenario.js';
export type { PartnerCredentials, PartnerRole } from './verify.js';
export { expectedSignature, MAX_CLOCK_SKEW_SECONDS, verifyLmpiRequest } from './verify.js';
export type { ServedVersion } from './versions.js';
export { SERVED_VERSIONS, VISION_ONE_MARKER } from './versions.js';
