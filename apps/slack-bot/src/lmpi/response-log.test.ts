import type { DriftWarning, SetAsideRecord } from '@licensewatch/schema';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { LmpiResponseLog } from './response-log.js';

function capture() {
  const lines: { msg: string; [key: string]: unknown }[] = [];
  const logger = createLogger({
    level: 'info',
    secrets: [],
    destination: { write: (line: string) => lines.push(JSON.parse(line)) },
  });
  return { lines, log: new LmpiResponseLog(logger) };
}

const unknownField = (count: number): DriftWarning[] =>
  Array.from({ length: count }, (_, i) => ({
    kind: 'unknown-field',
    path: `$.products[${i}].license_region`,
    record: `product P${i}`,
    field: 'license_region',
    message: `product P${i}: undocumented field "license_region" ignored`,
  }));

const unreadable = (available: number): SetAsideRecord => ({
  path: '$.products[0]',
  record: 'product NNZBXXE1X (1b6c…)',
  productId: '1b6c4e7a-93d2-4f0b-8c55-0a7e2d9f4b13',
  productCode: 'NNZBXXE1X',
  issues: [
    {
      path: '$.products[0].available',
      field: 'available',
      message: `product NNZBXXE1X: field "available" should be a non-negative integer, got number ${available}`,
    },
  ],
});

describe('LmpiResponseLog', () => {
  it('logs a drift once for 1,000 products and 100 polls, and again only when it changes or ends', () => {
    const { lines, log } = capture();
    for (let poll = 0; poll < 100; poll += 1) log.observe('product list', { warnings: unknownField(1_000) });
    expect(lines.map((l) => l.msg)).toEqual(['LMPI response drift']);
    expect(lines[0]?.drift).toMatchObject({
      field: 'license_region',
      path: '$.products[*].license_region',
      records: 1_000,
    });
    expect((lines[0]?.drift as { examples?: string[] } | undefined)?.examples).toHaveLength(3);
    log.observe('product list', { warnings: unknownField(1_001) }); // one more product carries it
    log.observe('product list', { warnings: [] });
    log.observe('product list', { warnings: [] });
    expect(lines.map((l) => l.msg)).toEqual([
      'LMPI response drift',
      'LMPI response drift changed',
      'LMPI response drift gone',
    ]);
  });

  it('reports a set-aside product once until what is wrong with it changes, then once when it is readable', () => {
    const { lines, log } = capture();
    for (let poll = 0; poll < 5; poll += 1) log.observe('product list', { warnings: [], setAside: [unreadable(-5)] });
    log.observe('product list', { warnings: [], setAside: [unreadable(-6)] });
    log.observe('product list', { warnings: [], setAside: [unreadable(-6)] });
    log.observe('product list', { warnings: [], setAside: [] });
    log.observe('product list', { warnings: [], setAside: [] });
    expect(lines.map((l) => l.msg)).toEqual([
      'LMPI sent an unreadable product: set aside, the rest is used',
      'LMPI sent an unreadable product: set aside, the rest is used',
      'LMPI record readable again (or no longer sent)',
    ]);
    expect(lines[1]?.setAside).toMatchObject({ productCode: 'NNZBXXE1X', problems: [expect.stringContaining('-6')] });
  });

  it('keeps each kind of response apart', () => {
    const { lines, log } = capture();
    log.observe('product list', { warnings: unknownField(2) });
    log.observe('transaction report', { warnings: unknownField(2) });
    log.observe('product list', { warnings: unknownField(2) });
    expect(lines.map((l) => [l.msg, l.response])).toEqual([
      ['LMPI response drift', 'product list'],
      ['LMPI response drift', 'transaction report'],
    ]);
  });
});
