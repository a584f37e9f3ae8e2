import type { ProductListResult } from '@licensewatch/client';
import { LmpiHttpError, LmpiNetworkError } from '@licensewatch/client';
import { parseProductCatalogue } from '@licensewatch/schema';
import { generateProductListResponse } from '@licensewatch/schema/fixtures';
import { blockKitViolations } from '@licensewatch/slack-stand-in';
import type { KnownBlock } from '@slack/types';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CatalogueView } from '../catalogue-cache.js';
import { buildLicensesReply, PAGE_ACTIONS, readPageRequest } from './message.js';
import { PRODUCT_LINES_BLOCK } from './product-line.js';
import { parseLicensesQuery } from './query.js';
import { DEFAULT_LEVELS } from './status.js';

const NOW = 1_800_000_000_000;

function catalogue(
  count: number,
  tweak?: (body: ReturnType<typeof generateProductListResponse>) => void,
): ProductListResult {
  const body = generateProductListResponse({ count, seed: 4 });
  tweak?.(body);
  const { data, warnings } = parseProductCatalogue(body);
  return { ...data, warnings, traceId: 'trace' };
}

const fresh = (result: ProductListResult, ageMs = 120_000): CatalogueView => ({
  snapshot: { catalogue: result, fetchedAt: NOW - ageMs },
  error: undefined,
});
const reply = (text: string, view: CatalogueView, page = 0) =>
  buildLicensesReply({ query: parseLicensesQuery(text), view, now: NOW, page, levelsFor: () => DEFAULT_LEVELS });
const allText = (message: { blocks: unknown[] }) => JSON.stringify(message.blocks);
/** One line per product, in the order shown. */
const lines = (message: { blocks: KnownBlock[] }) =>
  message.blocks.flatMap((b) =>
    b.type === 'section' && b.block_id?.startsWith(PRODUCT_LINES_BLOCK) ? (b.text?.text ?? '').split('\n') : [],
  );

describe('buildLicensesReply', () => {
  it('shows partner, data age, counts, and at-risk products first', () => {
    const result = catalogue(30, (body) => {
      for (const product of body.products) product.available = 1_000;
      (body.products[7] as { available: number }).available = 3;
      (body.products[2] as { available: number }).available = 60;
    });
    const message = reply('', fresh(result));
    expect(message.text).toBe('Licenses: 30 products, 2 at risk');
    expect(allText(message)).toContain('as of 2 min ago');
    expect(allText(message)).toContain(result.partnerId ?? 'missing');
    const shown = lines(message);
    expect(shown).toHaveLength(30);
    expect(shown[0]).toMatch(/^:red_circle: \*/);
    expect(shown[0]).toContain(`\`${result.products[7]?.productCode}\` · *3*`);
    expect(shown[1]).toMatch(/^:large_orange_circle: \*/);
    expect(shown[2]).toMatch(/^:large_green_circle: \*/);
  });

  it('lists products in the shared urgency order: at risk first, fewest available first, then by name', () => {
    // Changed with the rating module (alerts rateProducts): within a level the fewest available come
    // first (they were by name), the same order as `licensewatch check` and the alert digests.
    const result = catalogue(4, (body) => {
      const set = (i: number, name: string, available: number) =>
        Object.assign(body.products[i] as object, { product_name: name, available });
      set(0, 'Alpha', 900);
      set(1, 'Beta', 300);
      set(2, 'Gamma', 90);
      set(3, 'Delta', 50);
    });
    const names = lines(reply('', fresh(result))).map((line) => /\*([A-Za-z]+)\*/.exec(line)?.[1]);
    expect(names).toEqual(['Delta', 'Gamma', 'Beta', 'Alpha']);
  });

  it('finds a product by its name without accents, and with accents it does not have', () => {
    const result = catalogue(3, (body) => {
      Object.assign(body.products[1] as object, { product_name: 'Sécurité Apex' });
    });
    expect(lines(reply('securite', fresh(result)))).toHaveLength(1);
    expect(lines(reply('ÁPEX', fresh(result)))).toHaveLength(1);
  });

  it('pages 50 products at a time with Previous/Next buttons carrying the query', () => {
    const view = fresh(catalogue(120));
    const first = reply('generated', view);
    const actions = first.blocks.find((b) => b.type === 'actions');
    expect(actions && 'elements' in actions ? actions.elements.map((e) => e.action_id) : []).toEqual([
      PAGE_ACTIONS.next,
    ]);
    const button = actions && 'elements' in actions ? actions.elements[0] : undefined;
    const next = button && 'value' in button ? readPageRequest(button.value) : undefined;
    expect(next).toEqual({ q: 'generated', p: 1 });
    const last = reply('generated', view, 2);
    expect(allText(last)).toContain('page 3 of 3');
    expect(lines(last)).toHaveLength(20);
    expect(lines(first)).toHaveLength(50);
    expect(reply('generated', view, 99).blocks).toEqual(last.blocks); // clamped
  });

  it('filters by name or code, case- and accent-insensitively, and says when nothing matches', () => {
    const view = fresh(catalogue(30));
    const code = view.snapshot?.catalogue.products[4]?.productCode ?? '';
    const byCode = reply(code.toLowerCase(), view); // (the app answers an exact code with the product view first)
    expect(lines(byCode)).toHaveLength(1);
    expect(allText(byCode)).toContain(`1 match for “${code.toLowerCase()}”`);
    const many = reply('product', view);
    expect(allText(many)).toContain(`${lines(many).length} matches for “product”`);
    expect(allText(many)).not.toContain('matchs');
    expect(allText(reply('nothing like this', view))).toContain('No product name or code contains');
  });

  it('answers with old data and the reason when LMPI fails, and with the reason alone when there is no data', () => {
    const failure = new LmpiHttpError(
      { method: 'GET', path: '/LMPI/v2/partners/product' },
      { status: 401, subject: 'AuthenticationFailureSignature' },
    );
    const stale = reply('', { snapshot: { catalogue: catalogue(3), fetchedAt: NOW - 12 * 60_000 }, error: failure });
    expect(stale.text).toContain('(stale data)');
    expect(allText(stale)).toContain('LMPI rejected the credentials: showing data from 12 min ago');
    const none = reply('', {
      snapshot: undefined,
      error: new LmpiNetworkError({ method: 'GET', path: '/x' }, new Error('x')),
    });
    expect(none.text).toBe('Could not get license data: LMPI is unreachable.');
    expect(allText(none)).toContain('Check the network');
    expect(allText(none)).not.toContain('Available');
  });

  it('escapes what it echoes', () => {
    const message = reply('<!channel> & <script>', fresh(catalogue(3)));
    expect(allText(message)).not.toContain('<script>');
    expect(allText(message)).toContain('&amp;');
  });

  it('renders 500 products on every page within Block Kit limits', () => {
    const view = fresh(catalogue(500));
    for (let page = 0; page < 10; page += 1) {
      const message = reply('', view, page);
      expect(blockKitViolations(message)).toEqual([]);
      expect(message.blocks.length).toBeLessThanOrEqual(50);
    }
  });

  it('never throws and stays within limits, whatever the command text or page (property)', () => {
    const view = fresh(
      catalogue(120, (body) => {
        body.products[0] = { ...(body.products[0] as (typeof body.products)[number]), product_name: 'x'.repeat(150) };
      }),
    );
    const text = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.constantFrom('low', 'help', '?', '<@U1>', '<#C1|general>', ':tada: :tada:', '\u0000\u0007\n\t', '*_~`'),
      fc.string({ minLength: 4_000, maxLength: 5_000 }),
    );
    fc.assert(
      fc.property(text, fc.integer({ min: -3, max: 40 }), (command, page) => {
        const message = reply(command, view, page);
        expect(blockKitViolations(message)).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });
});

describe('parseLicensesQuery', () => {
  it.each([
    ['', { kind: 'list', filter: undefined, lowOnly: false }],
    ['  LOW ', { kind: 'list', lowOnly: true }],
    ['help', { kind: 'help' }],
    ['Apex  One', { kind: 'list', filter: 'Apex One' }],
    ['<#C123|apex>', { kind: 'list', filter: 'apex' }],
    ['<@U123>', { kind: 'help', unknown: '<@U123>' }],
    [':tada:', { kind: 'help' }],
    ['\u0000\u0007', { kind: 'help' }],
  ])('%j → %j', (text, expected) => {
    expect(parseLicensesQuery(text)).toMatchObject(expected);
  });

  it('keeps at most 150 characters of a filter', () => {
    const query = parseLicensesQuery('a'.repeat(5000));
    expect(query.kind === 'list' && Array.from(query.filter ?? '').length).toBe(150);
  });
});

describe('buildLicensesReply: compact lines with trends and runways', () => {
  const result = catalogue(60, (body) => {
    body.products.forEach((p, i) => {
      Object.assign(p, { available: 5_000 + i, product_name: `Pool ${String(i).padStart(2, '0')}` });
    });
  });
  const ids = result.products.map((p) => p.productId);
  const forecasts = new Map([
    [ids[10] as string, { days: 4, perDay: 1_000, daysToZero: 5 }], // low by runway (≤ 14 d)
    [ids[11] as string, { days: 1, perDay: 2_500, daysToZero: 2 }], // critical by runway (≤ 3 d)
    [ids[12] as string, { days: 8, perDay: 500, daysToZero: 10 }], // low by runway, longer
    [ids[13] as string, { days: 40, perDay: 100, daysToZero: 50 }], // ok, with a runway
  ]);
  const trend = [5_000, 4_500, 4_000, 3_500, 3_000, 2_500, 2_000, 1_500, 1_000, 5_500, 5_300, 5_200, 5_100, 5_012];
  const message = buildLicensesReply({
    query: parseLicensesQuery(''),
    view: fresh(result),
    now: NOW,
    page: 0,
    levelsFor: () => DEFAULT_LEVELS,
    forecasts,
    trendFor: (id) => (id === ids[12] ? trend : undefined),
  });

  it('orders critical, then low, then ok, and inside a level by runway, then by available', () => {
    const shown = lines(message);
    expect(shown.slice(0, 4).map((l) => /\*(Pool \d+)\*/.exec(l)?.[1])).toEqual([
      'Pool 11',
      'Pool 10',
      'Pool 12',
      'Pool 13',
    ]);
    expect(shown[0]).toMatch(/^:red_circle: .* · \*~2 d\*$/);
    expect(shown[1]).toMatch(/^:large_orange_circle: .* · \*~5 d\*$/);
    expect(shown[3]).toMatch(/^:large_green_circle: \*Pool 13\* .* · 5,013 · ~50 d$/); // ok: nothing bold
    expect(shown[4]).toContain('Pool 00');
  });

  it('draws a 14-day sparkline in the line, with the runway', () => {
    const line = lines(message)[2] ?? '';
    expect(line).toContain('`▇▇▆▅▅▄▄▃▂███▇▇`');
    expect(line).toMatch(/ · 5,012 · `[▁-█]{14}` · \*~10 d\*$/);
  });

  it('fits 50 products with 150-character names and huge counts on a page, within Block Kit limits', () => {
    const long = catalogue(60, (body) => {
      body.products.forEach((p, i) => {
        Object.assign(p, { available: 2_000_000_000 - i, product_name: `${'Ẅ'.repeat(140)} <&> ${i}` });
      });
    });
    const page = buildLicensesReply({
      query: parseLicensesQuery(''),
      view: fresh(long),
      now: NOW,
      page: 0,
      levelsFor: () => DEFAULT_LEVELS,
      forecasts: new Map(long.products.map((p) => [p.productId, { days: 1, perDay: 1, daysToZero: 999 }])),
      trendFor: () => trend,
    });
    expect(lines(page)).toHaveLength(50);
    expect(blockKitViolations(page)).toEqual([]);
  });
});
