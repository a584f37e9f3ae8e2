// `licensewatch plans`: every service plan, joined from the product list and the service plan
// list, with Trend Vision One plans marked. LMPI v2 leaves Vision One plans out; v3 lists them.
import {
  isVisionOnePlan,
  type ProductProfile,
  type ProductServicePlan,
  productServicePlans,
  type ServicePlan,
  unmatchedServicePlans,
} from '@licensewatch/schema';
import type { CliIo } from './commands.js';
import { toCsv } from './csv.js';
import { EXIT, UsageError } from './exit-codes.js';
import { type ReportOutput, withLmpi } from './reports.js';
import { renderTable } from './table.js';
import type { LmpiFlags } from './target.js';

export interface PlansOptions extends LmpiFlags, ReportOutput {
  /** Only the plans of this product code. */
  product?: string;
}

/** One line of the output: a plan and the product it belongs to (none when LMPI lists no such product). */
export interface PlanRow {
  productCode: string;
  productName: string | null;
  productId: string | null;
  plan: ProductServicePlan;
}

const CSV_COLUMNS = [
  'product_code',
  'product_name',
  'service_plan_id',
  'service_plan',
  'vision_one',
  'version',
  'initial_license_period_month',
  'data_center',
  'auto_renewal',
  'listed_in',
] as const;

function csvRecord(row: PlanRow) {
  const d = row.plan.details;
  return [
    row.productCode,
    row.productName,
    row.plan.id,
    row.plan.name,
    row.plan.visionOne ? 'yes' : 'no',
    d?.version,
    d?.initialLicensePeriodMonths,
    d?.dataCenter,
    d?.autoRenewal === null || d?.autoRenewal === undefined ? null : String(d.autoRenewal),
    row.plan.listedIn.join('+'),
  ];
}

/** Joins products with the service plan list; plans of unknown products become rows of their own. */
export function planRows(products: readonly ProductProfile[], plans: readonly ServicePlan[]): PlanRow[] {
  const rows: PlanRow[] = products.flatMap((product) =>
    productServicePlans(product, plans).map((plan) => ({
      productCode: product.productCode,
      productName: product.productName,
      productId: product.productId,
      plan,
    })),
  );
  for (const orphan of unmatchedServicePlans(products, plans)) {
    rows.push({
      productCode: orphan.productCode,
      productName: orphan.product || null,
      productId: null,
      plan: {
        id: orphan.servicePlanId,
        name: orphan.name,
        visionOne: isVisionOnePlan(orphan),
        details: orphan,
        listedIn: ['service-plan-list'],
      },
    });
  }
  return rows;
}

/** `licensewatch plans [--product CODE] [--json | --csv]`. */
export async function plansCommand(options: PlansOptions, io: CliIo): Promise<number> {
  const { value, code } = await withLmpi(options, io, async (client) => {
    const [catalogue, list] = [await client.listProducts(), await client.listServicePlans()];
    return { catalogue, list, apiVersion: client.apiVersion };
  });
  if (!value) return code;
  const { catalogue, list, apiVersion } = value;
  const warnings = [...catalogue.warnings, ...list.warnings];
  for (const warning of warnings) io.err(`licensewatch: warning: LMPI drift: ${warning.message}`);
  const wanted = options.product?.trim().toUpperCase();
  if (wanted && !catalogue.products.some((p) => p.productCode.toUpperCase() === wanted))
    throw new UsageError(`--product: LMPI lists no product with code ${JSON.stringify(options.product)}`);
  const rows = planRows(catalogue.products, list.servicePlans).filter(
    (row) => !wanted || row.productCode.toUpperCase() === wanted,
  );
  if (options.json) {
    io.out(JSON.stringify({ apiVersion, partnerId: catalogue.partnerId, plans: rows, warnings }, null, 2));
  } else if (options.csv) {
    io.write(toCsv(CSV_COLUMNS, rows.map(csvRecord)));
  } else {
    io.out(
      renderTable(rows, [
        { title: 'PRODUCT', value: (r) => r.productCode },
        { title: 'PLAN', value: (r) => r.plan.name, max: 60 },
        { title: 'V1', value: (r) => (r.plan.visionOne ? 'yes' : '') },
        { title: 'VERSION', value: (r) => r.plan.details?.version ?? '-' },
        { title: 'MONTHS', value: (r) => String(r.plan.details?.initialLicensePeriodMonths ?? '-'), align: 'right' },
        { title: 'DATA CENTRE', value: (r) => r.plan.details?.dataCenter ?? '-' },
      ]),
    );
  }
  const visionOne = rows.filter((r) => r.plan.visionOne).length;
  io.err(
    `${rows.length} service plans (${visionOne} Trend Vision One) · LMPI ${apiVersion}${apiVersion === 'v2' ? ' leaves Trend Vision One plans out: --api-version v3 (or LMPI_API_VERSION=v3) lists them' : ''}`,
  );
  return EXIT.ok;
}
