import { readFileSync } from 'node:fs';
import { errorMessage, type ProductProfileWire, parseProductCatalogue } from '@licensewatch/schema';
import {
  distributorProductListResponse,
  FIXTURE_PARTNER_ID,
  fixtureGuid,
  fixtureProductCode,
} from '@licensewatch/schema/fixtures';
import { VISION_ONE_MARKER } from './versions.js';

/**
 * A product as the sandbox stores it: the wire object, without `used` (added per caller role).
 * Kept as a loose record so that a catalogue file may carry deliberate drift.
 */
export type StoredProduct = Record<string, unknown> & { product_id: string; product_code: string };

const FAMILIES = [
  'Apex One',
  'Apex One as a Service',
  'Cloud One Workload Security',
  'Cloud One Conformity',
  'Deep Security',
  'Email Security',
  'Worry-Free XDR',
  'Worry-Free Services Advanced',
  'Vision One Endpoint Security',
  'Vision One XDR',
  'Mobile Security for Enterprise',
  'ServerProtect for Linux',
  'Deep Discovery Inspector',
  'TippingPoint Threat Protection',
  'Hosted Email Security',
  'Portable Security',
];
const EDITIONS = ['Standard', 'Advanced', 'Enterprise', 'for MSP'];
const TYPES = ['SaaS', 'Software', 'Suite'] as const;
/** Exactly 150 characters: the documented maximum for product_name. */
export const LONGEST_NAME =
  `Trend Micro Vision One Endpoint Security Pro with Extended Detection and Response, Managed Service Edition, Multi-Tenant License Pool for Regional MSP`
    .padEnd(150, '.')
    .slice(0, 150);
export const NON_ASCII_NAME = 'Trend Micro Sécurité Cloud — Édition Entreprise (日本語版) ✓';

/** Products named "… Vision One …" are Trend Vision One pools: their plans only LMPI v3 lists. */
const isVisionOneProduct = (name: string) => /\bVision One\b/.test(name);

function plans(productIndex: number, count: number, productName: string) {
  const visionOne = isVisionOneProduct(productName);
  return Array.from({ length: count }, (_, plan) => ({
    name: `${productName.slice(0, 100)} ${plan % 2 === 0 ? 'Full' : 'Trial'} ${12 * ((plan % 3) + 1)} months #${plan + 1}`,
    id: fixtureGuid(4, productIndex * 64 + plan),
    ...(visionOne ? { [VISION_ONE_MARKER]: true } : {}),
  }));
}

function planCount(index: number): number {
  if (index === 7) return 25; // a long list
  if (index % 6 === 0) return 0; // empty lists
  return (index % 3) + 1;
}

function available(index: number): number {
  if (index === 3 || index === 21) return 0; // pools already empty
  if (index % 10 === 5) return 8 + index; // running low
  return ((index * 7919) % 4800) + 40;
}

/**
 * The sandbox's default catalogue: the documented sample's two products (in documented spelling)
 * plus 62 generated ones covering the edge cases (150-character and non-ASCII names, zero
 * available, trial and full, empty and 25-entry service plan lists, all three types). Products
 * named "… Vision One …" carry Trend Vision One plans (marked `vision_one: true`, never served):
 * v3 lists them, v2 leaves them out.
 *
 * @example
 * ```ts
 * createSandbox({ catalogue: defaultCatalogue() })
 * ```
 */
export function defaultCatalogue(): StoredProduct[] {
  const seed = distributorProductListResponse.products.map(({ used: _used, ...product }) => structuredClone(product));
  const generated: StoredProduct[] = [];
  for (let index = 0; index < 62; index += 1) {
    const family = FAMILIES[index % FAMILIES.length] ?? 'Apex One';
    const edition = EDITIONS[Math.floor(index / FAMILIES.length) % EDITIONS.length] ?? 'Standard';
    let name = `Trend Micro ${family} ${edition}`;
    if (index === 10) name = LONGEST_NAME;
    if (index === 11) name = NON_ASCII_NAME;
    generated.push({
      product_id: fixtureGuid(3, index),
      product_code: fixtureProductCode(index),
      product_name: name,
      type: TYPES[index % TYPES.length] ?? 'SaaS',
      version: index % 4 === 1 ? 'Trial' : 'Full',
      available: available(index),
      service_plans: plans(index, planCount(index), name),
    });
  }
  return [...(seed as StoredProduct[]), ...generated];
}

/**
 * Code of a Trend Vision One pool in the default catalogue ("Trend Micro Vision One Endpoint Security
 * Standard", 3 plans): listed by v2 and v3 with the same id, its plans only by v3. Drain it to play
 * a Vision One pool running dry.
 */
export const VISION_ONE_PRODUCT_CODE = fixtureProductCode(8);

/** Partner id the default credentials belong to. */
export const DEFAULT_PARTNER_ID = FIXTURE_PARTNER_ID;

function isStoredProduct(value: unknown): value is StoredProduct {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as StoredProduct).product_id === 'string' &&
    typeof (value as StoredProduct).product_code === 'string'
  );
}

/**
 * Reads a catalogue file: a product list response (`{ "partner_id", "products": [...] }`) or a bare
 * array of products. Products are served exactly as written (drift included); each needs string
 * `product_id` and `product_code` so that scenario controls can address it.
 *
 * @throws {Error} naming the file and the problem.
 * @example
 * ```ts
 * const { products, warnings } = loadCatalogueFile('./catalogue.json')
 * ```
 */
export function loadCatalogueFile(path: string): { products: StoredProduct[]; warnings: string[] } {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`catalogue file ${path}: ${errorMessage(error)}`);
  }
  const list = Array.isArray(json) ? json : (json as { products?: unknown } | null)?.products;
  if (!Array.isArray(list)) {
    throw new Error(`catalogue file ${path}: expected an array of products or an object with "products"`);
  }
  list.forEach((product, index) => {
    if (!isStoredProduct(product)) {
      throw new Error(`catalogue file ${path}: products[${index}] needs string "product_id" and "product_code"`);
    }
  });
  let warnings: string[] = [];
  try {
    warnings = parseProductCatalogue({ partner_id: DEFAULT_PARTNER_ID, products: list }).warnings.map((w) => w.message);
  } catch (error) {
    warnings = [`served as written, but clients will reject it: ${errorMessage(error)}`];
  }
  return { products: list as StoredProduct[], warnings };
}

/** Strips `used` and returns a deep copy safe to mutate. */
export function storedCopy(product: ProductProfileWire | StoredProduct): StoredProduct {
  const { used: _used, ...rest } = structuredClone(product) as StoredProduct;
  return rest as StoredProduct;
}
