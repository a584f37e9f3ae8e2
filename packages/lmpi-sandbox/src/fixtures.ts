// `@licensewatch/lmpi-sandbox/fixtures`: the sandbox's scenario data, for tests and demos that
// want to name what the sandbox serves (the default catalogue, its hostile names, the Vision One
// pool, the customers drops are attributed to). Kept off the index: running a sandbox needs none.

export {
  DEFAULT_PARTNER_ID,
  defaultCatalogue,
  LONGEST_NAME,
  NON_ASCII_NAME,
  VISION_ONE_PRODUCT_CODE,
} from './catalogue.js';
export type { SandboxCustomer, SandboxVendor } from './customers.js';
export { OWN_VENDOR, SANDBOX_CUSTOMERS, SUB_VENDOR } from './customers.js';
