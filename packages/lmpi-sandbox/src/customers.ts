import { FIXTURE_PARTNER_ID, fixtureGuid } from '@licensewatch/schema/fixtures';

/** A partner company customers belong to (`vendor_company_name`, `owned_by_vendor`). */
export interface SandboxVendor {
  name: string;
  partnerId: string;
}

/** A customer the sandbox allocates licenses to when a pool drains. */
export interface SandboxCustomer {
  name: string;
  city: string;
  state: string;
  vendor: SandboxVendor;
  /** Share of provisioned units the customer uses, for products that report usage. */
  usageShare: number;
}

/** The caller's own company: the default credentials' partner. */
export const OWN_VENDOR: SandboxVendor = { name: 'Northwind Managed Services Ltd', partnerId: FIXTURE_PARTNER_ID };
/** A second partner under the caller, to make `partner_id` filters mean something. */
export const SUB_VENDOR: SandboxVendor = { name: 'Contoso IT Services', partnerId: fixtureGuid(5, 1) };

/**
 * The fixed, realistic customer list, in allocation order. Names exercise what breaks naive code:
 * `&`, commas, double quotes, apostrophes and non-ASCII letters (German, French, Danish, Portuguese,
 * Japanese).
 */
export const SANDBOX_CUSTOMERS: readonly SandboxCustomer[] = [
  { name: 'Müller & Söhne GmbH', city: 'München', state: 'Bayern', vendor: OWN_VENDOR, usageShare: 0.9 },
  { name: 'Acme, Inc.', city: 'Springfield', state: 'IL', vendor: OWN_VENDOR, usageShare: 0.95 },
  {
    name: 'Café "Le Rendez-vous" SARL',
    city: 'Lyon',
    state: 'Auvergne-Rhône-Alpes',
    vendor: OWN_VENDOR,
    usageShare: 0.75,
  },
  { name: "O'Connor & Partners LLP", city: 'Cork', state: 'Munster', vendor: OWN_VENDOR, usageShare: 0.6 },
  { name: '株式会社サンプル商事', city: '大阪市', state: '大阪府', vendor: OWN_VENDOR, usageShare: 1 },
  { name: 'Ærø Tandlæger ApS', city: 'Ærøskøbing', state: 'Syddanmark', vendor: SUB_VENDOR, usageShare: 0.8 },
  { name: 'São Paulo Logística Ltda.', city: 'São Paulo', state: 'SP', vendor: SUB_VENDOR, usageShare: 0.7 },
  { name: 'Smith Plumbing', city: 'Leeds', state: 'West Yorkshire', vendor: SUB_VENDOR, usageShare: 0.5 },
];

/** The customer with this exact name. */
export function findCustomer(name: string): SandboxCustomer | undefined {
  return SANDBOX_CUSTOMERS.find((customer) => customer.name === name);
}
