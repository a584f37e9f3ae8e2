// Every Slack surface, rendered from generated hostile catalogues (up to 1,000 products whose names
// are 150 characters of mentions, links, mrkdwn, RTL, emoji and combining marks) and passed through
// the output gate exactly as it is sent: limits held, nothing live, each product identifiable by code.
import { analyseConsumption, DEFAULT_THRESHOLDS, rateProduct } from '@licensewatch/alerts';
import type { ProductListResult } from '@licensewatch/client';
import { type ProductProfile, parseProductCatalogue } from '@licensewatch/schema';
import { generateProductListResponse } from '@licensewatch/schema/fixtures';
import { blockKitViolations, viewBlockViolations } from '@licensewatch/slack-stand-in';
import type { AuditEntry, OutboxEntry, Store } from '@licensewatch/store';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AdminContext, runAdminCommand } from '../src/alerts/commands.js';
import { undeliveredAlerts } from '../src/alerts/dead-letters.js';
import type { CurrentHandling } from '../src/alerts/handling.js';
import { gateMessage, gateView, gateWebApiArgs, SURFACES, type Surface } from '../src/block-kit/gate.js';
import { privateChartComment, sharedChartComment } from '../src/charts/share-chart.js';
import {
  attributionText,
  digestMessage,
  episodeUpdateText,
  handlingText,
  resolutionText,
} from '../src/delivery/slack/render.js';
import type { ProductAlertView } from '../src/delivery/views.js';
import { homeView } from '../src/home/home-view.js';
import { buildLicensesReply } from '../src/licenses/message.js';
import { productDetailMessage } from '../src/licenses/product-detail.js';
import { parseLicensesQuery } from '../src/licenses/query.js';
import type { LicenseReports } from '../src/licenses/reports.js';
import { DEFAULT_LEVELS } from '../src/licenses/status.js';
import { usageReply } from '../src/licenses/usage.js';

const NOW = 1_800_000_000_000;
/** Runs per surface: enough variety, and the whole file stays within seconds. */
const RUNS = 25;

const HOSTILE_PARTS = [
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '<@UHOSTILE1>',
  '<#CEVIL1|general>',
  '<!subteam^SEVIL1>',
  '<https://evil.example|click>',
  '<mailto:x@evil.example>',
  'A&B<C>D*E_F~G`H',
  '*bold*',
  '_italic_',
  '~strike~',
  '```code```',
  '> quote',
  '\u202eRTL override',
  'שלום עולם',
  'مرحبا',
  '😀👩‍💻🇩🇪',
  'e\u0301\u0302\u0303 ñ',
  '\n\t\u0000',
  ':rotating_light:',
  ' ',
];

/** A hostile name of at most 150 characters (LMPI's names are free text). */
const hostileName = fc
  .array(fc.constantFrom(...HOSTILE_PARTS), { minLength: 1, maxLength: 20 })
  .map((parts) => Array.from(parts.join(' ')).slice(0, 150).join(''));

/** What must never reach Slack live from data. */
const LIVE = /<!channel>|<!here>|<!everyone>|<@UHOSTILE|<#CEVIL|<!subteam\^SEVIL|<https:\/\/evil|<mailto:/;

const catalogueArb = fc
  .record({
    size: fc.integer({ min: 1, max: 1_000 }),
    seed: fc.integer({ min: 1, max: 1_000 }),
    names: fc.array(hostileName, { minLength: 1, maxLength: 30 }),
  })
  .map(({ size, seed, names }) => {
    const body = generateProductListResponse({ count: size, seed });
    body.products.forEach((product, i) => {
      product.product_name = names[i % names.length] ?? 'x';
      if (i % 3 === 0) product.available = i % 40; // many at risk
    });
    const { data, warnings } = parseProductCatalogue(body);
    return { ...data, warnings, traceId: 't' } as ProductListResult;
  });

const text = (payload: unknown) => JSON.stringify(payload);

/**
 * The text Slack parses for markup: mrkdwn text objects, the fallback `text` and upload comments.
 * (plain_text, used for headers, buttons, titles and alt text, shows `<!channel>` as typed.)
 */
function markupOf(payload: unknown): string {
  const out: string[] = [];
  const walk = (value: unknown, key: string, parentType: unknown) => {
    if (typeof value === 'string') {
      if ((key === 'text' && parentType !== 'plain_text') || key === 'initial_comment') out.push(value);
      return;
    }
    if (Array.isArray(value)) for (const item of value) walk(item, '', undefined);
    else if (value && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      for (const [k, v] of Object.entries(record)) walk(v, k, record.type);
    }
  };
  walk(payload, '', undefined);
  return out.join('\n');
}

/** Nothing live and no formatting from data in what Slack parses. */
function expectInert(payload: unknown): string {
  const markup = markupOf(payload);
  expect(markup).not.toMatch(LIVE);
  // Formatting inside names is neutralised (inside a `code span` it is inert anyway).
  expect(markup.replace(/`[^`]*`/g, '')).not.toContain('D*E_F~G');
  return markup;
}

/** Limits and liveness of a message as sent (after the gate). */
function checkMessage(message: object, surface: Surface = SURFACES.reply): string {
  const sent = gateMessage(message, surface);
  expect(blockKitViolations(sent)).toEqual([]);
  expectInert(sent);
  return text(sent);
}

/** Each product shown is named by its code (or the cut says how many more there are). */
function expectCodes(all: string, products: readonly ProductProfile[]): void {
  const missing = products.filter((p) => !all.includes(p.productCode));
  if (missing.length > 0) expect(all).toMatch(/…and \d+ more/);
}

const view = (catalogue: ProductListResult) => ({ snapshot: { catalogue, fetchedAt: NOW - 60_000 }, error: undefined });

function alertView(product: ProductProfile, i: number): ProductAlertView {
  return {
    product: { productId: product.productId, productCode: product.productCode, productName: product.productName },
    reason: i % 7 === 0 ? 'vanished' : 'alert',
    level: i % 2 === 0 ? 'critical' : 'low',
    available: product.available,
    previousAvailable: product.available + 10,
    threshold: 100,
    forecast: undefined,
    episode: { id: `${product.productId}:1`, startedAt: NOW - 1_000, peak: 'critical' },
    at: NOW,
    note: i % 5 === 0 ? { kind: 'muted', actor: 'UADMIN', muteMs: 7_200_000 } : undefined,
    consumers: {
      year: 2027,
      month: 1,
      top: [{ customer: product.productName, units: 5 }],
      others: undefined,
      totalUnits: 5,
    } as never,
  };
}

describe('every Slack surface holds with hostile catalogues (property, through the gate)', () => {
  it('/licenses, /licenses low and a search: every page within limits, nothing live, codes shown', () => {
    fc.assert(
      fc.property(
        catalogueArb,
        fc.integer({ min: 0, max: 30 }),
        fc.constantFrom('', 'low', 'a', '<!here>'),
        (catalogue, page, q) => {
          const reply = buildLicensesReply({
            query: parseLicensesQuery(q),
            view: view(catalogue),
            now: NOW,
            page,
            levelsFor: () => DEFAULT_LEVELS,
          });
          const all = checkMessage(reply);
          const shownLines = reply.blocks.filter(
            (b) => b.type === 'section' && b.block_id?.startsWith('licenses_products'),
          );
          for (const block of shownLines) {
            const lines = ((block as { text: { text: string } }).text.text ?? '').split('\n');
            for (const line of lines) expect(line).toMatch(/`[A-Z0-9]+`/); // every line carries its code
          }
          expect(all).toBeTruthy();
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('/licenses <code> detail and the chart comments', () => {
    fc.assert(
      fc.property(catalogueArb, (catalogue) => {
        const product = catalogue.products[0] as ProductProfile;
        const rated = rateProduct(product, () => DEFAULT_LEVELS, undefined);
        const detail = productDetailMessage({
          rated,
          analysis: analyseConsumption([{ at: NOW, available: product.available }]),
          chartFileId: 'F0CHART',
          chartProblem: undefined,
          override: undefined,
          alert: undefined,
          handling: {
            productId: product.productId,
            productCode: product.productCode,
            productName: product.productName,
            acknowledged: { by: 'U1' },
            muted: { by: 'U2', until: NOW + 1e6, kind: 'mute' },
          },
          fetchedAt: NOW,
          now: NOW,
        });
        expect(checkMessage(detail)).toContain(product.productCode);
        for (const comment of [privateChartComment(product), sharedChartComment(product, 'U0SHARER')]) {
          const sent = gateWebApiArgs('files.completeUploadExternal', {
            files: [{ id: 'F1', title: product.productName }],
            initial_comment: comment,
          });
          expectInert(sent);
          expect(String(sent.initial_comment)).toContain(product.productCode);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('digests, thread replies and escalations', () => {
    fc.assert(
      fc.property(catalogueArb, fc.integer({ min: 1, max: 60 }), (catalogue, count) => {
        const alerts = catalogue.products.slice(0, count).map(alertView);
        const digest = digestMessage(alerts, ['U0ONCALL', 'S0NETOPS']); // configured mentions stay live: they are not data;
        const all = checkMessage(digest, SURFACES.alert);
        expectCodes(all, catalogue.products.slice(0, count));
        const [first] = alerts;
        if (!first) return;
        const replies = [
          episodeUpdateText({ ...first, level: 'low' }, { ...first, level: 'critical' }),
          episodeUpdateText(first, { ...first, reason: 'renotify' }),
          resolutionText({
            product: first.product,
            available: 500,
            previousAvailable: 10,
            episode: first.episode,
            vanished: false,
            at: NOW,
          }),
          attributionText({
            product: first.product,
            episode: first.episode as never,
            consumers: first.consumers as never,
          }),
          handlingText({
            action: 'muted',
            product: first.product,
            actor: 'UADMIN',
            at: NOW,
            episode: first.episode,
            snoozeMs: 3_600_000,
          }),
          handlingText({
            action: 'unmuted',
            product: first.product,
            actor: 'UADMIN',
            at: NOW,
            episode: first.episode,
            snoozeMs: undefined,
          }),
        ];
        for (const reply of replies)
          expect(checkMessage({ text: reply, blocks: [] }, SURFACES.alert)).toContain(first.product.productCode);
      }),
      { numRuns: RUNS },
    );
  });

  it('/licenses usage with hostile customer and plan names', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ customer: hostileName, plan: hostileName, product: hostileName }), {
          minLength: 1,
          maxLength: 300,
        }),
        async (rows) => {
          const reports = {
            summary: async () =>
              rows.map((r) => ({
                customer: r.customer,
                city: null,
                state: null,
                ownedByVendor: null,
                createdByVendor: null,
                productName: r.product,
                servicePlan: r.plan,
                provisioned: 5,
                usage: 'not-reported',
                unit: null,
              })),
            transactions: async () => [],
          } as unknown as LicenseReports;
          const reply = await usageReply(
            { kind: 'usage', text: 'usage', customer: undefined } as never,
            reports,
            NOW,
            0,
          );
          checkMessage(reply);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('threshold list, alerts list and dead letters', async () => {
    await fc.assert(
      fc.asyncProperty(catalogueArb, hostileName, async (catalogue, error) => {
        const products = catalogue.products.slice(0, 200);
        const overrides = products.map((p) => ({
          match: p.productName,
          warning: 10,
          critical: 5,
          updatedBy: 'UADMIN',
          updatedAt: NOW,
        }));
        const audit: AuditEntry[] = products.slice(0, 5).map((p) => ({
          at: NOW,
          actor: 'UADMIN',
          action: 'threshold.set',
          target: p.productName,
          oldValue: null,
          newValue: { warning: 1, critical: 0 },
        }));
        const rows = products.map((p, i) => ({
          kind: 'acknowledgement',
          handling: { action: 'muted', product: p, actor: 'UADMIN', at: NOW, episode: undefined, snoozeMs: 1 },
          key: `k${i}`,
          group: 'g',
          destination: { notifier: 'slack', target: 'CALERTS' },
          createdAt: NOW,
          status: i % 2 ? 'dead' : 'pending',
          attempts: 3,
          ref: undefined,
          lastError: error,
          nextAttemptAt: NOW + 1_000,
        })) as OutboxEntry[];
        const store = {
          rules: { overrides: async () => overrides, recentAudit: async () => audit },
          outbox: { list: async () => rows },
        } as unknown as Store;
        const ctx = {
          store,
          thresholds: {
            ...DEFAULT_THRESHOLDS,
            products: products.slice(0, 50).map((p) => ({ match: p.productName, warning: 9 })),
          },
        } as unknown as AdminContext;
        checkMessage(await runAdminCommand({ kind: 'threshold-list' }, 'U1', ctx));
        expectCodes(checkMessage(await undeliveredAlerts(store)), products.slice(0, 15));
      }),
      { numRuns: RUNS },
    );
  });

  it('the Home tab of a user with many snoozes and mutes', () => {
    fc.assert(
      fc.property(catalogueArb, fc.integer({ min: 0, max: 1_000 }), (catalogue, count) => {
        const snoozes: CurrentHandling[] = catalogue.products.slice(0, count).map((p, i) => ({
          productId: p.productId,
          productCode: p.productCode,
          productName: p.productName,
          acknowledged: undefined,
          muted: { by: 'U1', until: NOW + 1e6, kind: i % 2 ? 'snooze' : 'mute' },
        }));
        const home = gateView(
          homeView({ catalogue: view(catalogue), snoozes, now: NOW, levelsFor: () => DEFAULT_LEVELS }),
        );
        expect(viewBlockViolations(home.blocks)).toEqual([]);
        const all = text(home);
        expectInert(home);
        expectCodes(all, catalogue.products.slice(0, Math.min(count, 5)));
      }),
      { numRuns: RUNS },
    );
  });
});
