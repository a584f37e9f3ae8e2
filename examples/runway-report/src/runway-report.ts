// Example: a runway report from the published packages, the way your own app would use them.
//   client: asks LMPI for the product list (signed requests, retries, typed answers)
//   store:  keeps each product's readings over time (SQLite here; PostgreSQL with a postgres:// URL)
//   alerts: turns the readings into burn rates and runways, and rates each pool ok / low / critical
// Run: pnpm --filter @licensewatch/example-runway-report start
// With LMPI_BASE_URL, LMPI_ACCESS_TOKEN and LMPI_SECRET_KEY it reads your LMPI account; without them
// it starts a local LMPI sandbox and fills an empty store with the sandbox's 30 days of demo history.
// DATABASE_URL (default: in memory) keeps the readings between runs: run it hourly and the runways
// come from your own history.
import {
  DEFAULT_THRESHOLDS,
  FORECAST_HISTORY_MS,
  forecastPools,
  formatRate,
  formatRunway,
  rateProducts,
  ruleResolver,
} from '@licensewatch/alerts';
import { createLmpiClient, type LmpiClient } from '@licensewatch/client';
import { openStore } from '@licensewatch/store';

const DAY = 86_400_000;

interface Lmpi {
  client: LmpiClient;
  /** Demo history for an empty store, when LMPI is the local sandbox. */
  demoHistory?: (now: number) => { productId: string; points: { at: number; available: number }[] }[];
  close(): Promise<void>;
}

/** Your LMPI account when its three settings are given, else a local sandbox (demo data). */
async function connectLmpi(env: NodeJS.ProcessEnv): Promise<Lmpi> {
  const { LMPI_BASE_URL: baseUrl, LMPI_ACCESS_TOKEN: accessToken, LMPI_SECRET_KEY: secretKey } = env;
  if (baseUrl && accessToken && secretKey) {
    return { client: createLmpiClient({ baseUrl, accessToken, secretKey }), close: async () => {} };
  }
  const { createSandbox } = await import('@licensewatch/lmpi-sandbox');
  const sandbox = await createSandbox();
  return {
    client: createLmpiClient({ baseUrl: sandbox.url, ...sandbox.credentials.distributor }),
    demoHistory: (now) => sandbox.demoHistory(now),
    close: () => sandbox.close(),
  };
}

async function main(): Promise<void> {
  const now = Date.now();
  const lmpi = await connectLmpi(process.env);
  const store = openStore(process.env.DATABASE_URL ?? 'sqlite::memory:');
  try {
    await store.migrate();
    if (lmpi.demoHistory && (await store.history.isEmpty())) {
      const series = lmpi.demoHistory(now);
      await store.history.recordMany(series.flatMap((s) => s.points.map((p) => ({ productId: s.productId, ...p }))));
    }

    // 1. Today's counts from LMPI, kept with the earlier ones (readings older than 30 days pruned).
    const { partnerId, products } = await lmpi.client.listProducts();
    await store.history.record(
      products.map((p) => ({ productId: p.productId, available: p.available })),
      now,
      now - 30 * DAY,
    );

    // 2. A forecast per product from its readings, as the bot and the CLI make it: burn rate, and
    //    days to the critical level and to zero (the pessimistic end of the 80 % interval).
    const ruleFor = ruleResolver(DEFAULT_THRESHOLDS);
    const history = await store.history.since(now - FORECAST_HISTORY_MS);
    const { forecasts, estimates } = forecastPools(products, history, ruleFor, now);

    // 3. Rated as the Slack bot and the CLI rate them: by count and by runway, most urgent first.
    const atRisk = rateProducts(products, ruleFor, forecasts).filter((r) => r.level !== 'ok');
    console.log(
      `Runway report for partner ${partnerId ?? 'unknown'}${lmpi.demoHistory ? ' (local sandbox, demo data)' : ''}`,
    );
    console.log(
      [
        'LEVEL'.padEnd(9),
        'CODE'.padEnd(10),
        'AVAILABLE'.padStart(9),
        'RATE'.padStart(11),
        'RUNWAY'.padStart(7),
        'PRODUCT',
      ].join('  '),
    );
    for (const r of atRisk) {
      const rate = formatRate(estimates.get(r.product.productId)?.perDay ?? 0);
      console.log(
        [
          r.level.toUpperCase().padEnd(9),
          r.product.productCode.padEnd(10),
          r.product.available.toLocaleString('en-US').padStart(9),
          rate.padStart(11),
          formatRunway(r.runwayDays).padStart(7),
          r.product.productName,
        ].join('  '),
      );
    }
    console.log(`${atRisk.length} of ${products.length} products at risk (low at ≤ 100 or within 14 days of empty)`);
  } finally {
    await store.close();
    await lmpi.close();
  }
}

main().catch((error: unknown) => {
  console.error(`runway-report: ${(error as Error).message}`);
  process.exitCode = 1;
});
