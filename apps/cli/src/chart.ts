import { writeFile } from 'node:fs/promises';
import { formatNumber, formatRate, withReading } from '@licensewatch/alerts';
import type { CliIo } from './commands.js';
import { fetchProducts, levelsFor, thresholdConfig } from './commands.js';
import { EXIT, UsageError } from './exit-codes.js';
import type { LmpiFlags } from './target.js';

export interface ChartOptions extends LmpiFlags {
  output: string;
  thresholds?: string;
}

/**
 * `licensewatch chart <code> -o file.png`: the same 30-day chart `/licenses <code>` shows in Slack
 * (availability, low and critical levels, forecast), from the bot's history (DATABASE_URL).
 */
export async function chartCommand(code: string, options: ChartOptions, io: CliIo): Promise<number> {
  if (!io.env.databaseUrl)
    throw new UsageError(
      "chart needs the bot's history: set DATABASE_URL to the bot's database (e.g. sqlite:apps/slack-bot/data/licensewatch.db)",
    );
  if (!/\.png$/i.test(options.output))
    throw new UsageError(`-o must name a .png file, got ${JSON.stringify(options.output)}`);
  const view = await levelsFor(thresholdConfig(options), io);
  const { result, code: exit } = await fetchProducts(options, io, false);
  if (!result) return exit;
  const product = result.products.find((p) => p.productCode.toUpperCase() === code.trim().toUpperCase());
  if (!product) throw new UsageError(`no product with code ${JSON.stringify(code)} (licensewatch products lists them)`);
  const now = Date.now();
  const history = withReading(view.history?.get(product.productId), { at: now, available: product.available });
  const rule = view.ruleFor(product);
  // Loaded only for this command: the chart renderer is a native module.
  const { renderProductChart } = await import('@licensewatch/charts');
  const { png, analysis } = renderProductChart({ product, history, levels: rule, now });
  await writeFile(options.output, png);
  io.out(options.output);
  io.err(
    `licensewatch: wrote ${options.output} (${formatNumber(png.length)} bytes, ${history.length} readings${analysis.status === 'estimate' ? `, ${formatRate(analysis.perDay)}` : ', not enough history for a forecast yet'})`,
  );
  return EXIT.ok;
}
