// The outbox's rows cross a process boundary (one replica writes, another may deliver): the row
// reader is where stored JSON becomes a typed delivery. It must give back exactly what was written,
// and refuse a row that could only be delivered half-formed (a lost product, a mistyped count)
// instead of letting a notifier post "undefined available".
import type { ConsumerAttribution, LmpiEvent, ProductEvent } from '@licensewatch/alerts';
import { describe, expect, it } from 'vitest';
import { bodyColumn, destinationColumn, type OutboxRow, parseOutboxRow, type StoredRow } from './outbox-rows.js';

const product = { productId: 'p1', productCode: 'NNZBXXE1X', productName: 'Apex One' };
const episode = { id: 'p1:1000', startedAt: 1_000, peak: 'critical' as const };
const alert: ProductEvent = {
  kind: 'alert',
  key: 'alert:p1:critical:2000',
  at: 2_000,
  product,
  level: 'critical',
  episode,
  available: 5,
  previousAvailable: 40,
  threshold: 20,
  channel: 'CALERTS',
  forecast: undefined,
};
const attribution: ConsumerAttribution = {
  year: 2026,
  month: 12,
  total: 43,
  top: [
    { customer: 'Acme', units: 30 },
    { customer: null, units: 10 },
  ],
  others: { customers: 2, units: 3 },
};
const lmpi: LmpiEvent = {
  kind: 'lmpi-unreachable',
  key: 'lmpi:3',
  at: 3_000,
  failures: 3,
  since: 1_000,
  reason: 'timeout',
};
const base = { key: 'k1', group: 'g1', destination: { notifier: 'slack', target: 'CALERTS' }, createdAt: 4_000 };

const rows: Record<string, OutboxRow> = {
  'product alert with who drained it': { ...base, kind: 'product-alerts', event: alert, attribution },
  'product alert': { ...base, kind: 'product-alerts', event: { ...alert, kind: 'forecast', episode: undefined } },
  resolution: { ...base, kind: 'resolution', event: { ...alert, kind: 'resolved', level: 'ok', available: 500 } },
  'product gone': { ...base, kind: 'resolution', event: { ...alert, kind: 'vanished' } },
  'LMPI unreachable': { ...base, kind: 'lmpi-notice', event: lmpi },
  'LMPI back': { ...base, kind: 'lmpi-notice', event: { ...lmpi, kind: 'lmpi-recovered', failures: 0 } },
  'LMPI catalogue shrank': {
    ...base,
    kind: 'lmpi-notice',
    event: { ...lmpi, kind: 'lmpi-catalogue-shrank', catalogue: { listed: 3, previous: 300 } },
  },
  acknowledgement: {
    ...base,
    kind: 'acknowledgement',
    handling: {
      action: 'acknowledged',
      product,
      actor: 'U1',
      at: 5_000,
      episode,
      snoozeMs: undefined,
      clicked: 'C1:1.2',
    },
  },
  snooze: {
    ...base,
    kind: 'acknowledgement',
    handling: { action: 'snoozed', product, actor: 'U1', at: 5_000, episode, snoozeMs: 3_600_000 },
  },
  mute: {
    ...base,
    kind: 'acknowledgement',
    handling: { action: 'muted', product, actor: 'U1', at: 5_000, episode: undefined, snoozeMs: 7_200_000 },
  },
  unmute: {
    ...base,
    kind: 'acknowledgement',
    handling: { action: 'unmuted', product, actor: 'U1', at: 5_000, episode: undefined, snoozeMs: undefined },
  },
  'late attribution': { ...base, kind: 'attribution', product, episode, attribution },
};

const stored = (row: OutboxRow, patch: Partial<StoredRow> = {}): StoredRow => ({
  key: row.key,
  kind: row.kind,
  destination: destinationColumn(row.destination),
  grp: row.group,
  body: bodyColumn(row),
  created_at: row.createdAt,
  ...patch,
});

/** The row's body with one value replaced (undefined: removed), as a later reader would find it. */
function withBody(row: OutboxRow, path: string, value: unknown): StoredRow {
  const body = JSON.parse(bodyColumn(row)) as Record<string, unknown>;
  const keys = path.split('.');
  const last = keys.pop() as string;
  let target = body;
  for (const key of keys) target = target[key] as Record<string, unknown>;
  if (value === undefined) delete target[last];
  else target[last] = value;
  return stored(row, { body: JSON.stringify(body) });
}

describe('reading outbox rows back', () => {
  it.each(Object.entries(rows))('gives back a %s exactly as it was written', (_name, row) => {
    expect(parseOutboxRow(stored(row))).toEqual(row);
  });

  it('reads product alerts written before attribution existed (the bare event)', () => {
    const old = stored(rows['product alert'] as OutboxRow, { body: JSON.stringify(alert) });
    expect(parseOutboxRow(old)).toEqual({ ...base, kind: 'product-alerts', event: alert });
  });

  it('reads an attribution without others, stored as null, as none', () => {
    const row = rows['late attribution'] as OutboxRow;
    const parsed = parseOutboxRow(withBody(row, 'attribution.others', null));
    expect(parsed).toMatchObject({ kind: 'attribution', attribution: { ...attribution, others: undefined } });
  });

  it('keeps an alert whose attribution is unreadable, without the attribution', () => {
    const row = rows['product alert with who drained it'] as OutboxRow;
    for (const [path, value] of [
      ['attribution.year', '2026'],
      ['attribution.month', undefined],
      ['attribution.total', null],
      ['attribution.top', {}],
      ['attribution.top.0.customer', 7],
      ['attribution.top.1.units', '10'],
      ['attribution.top.0', 'Acme'],
      ['attribution.others', { customers: '2', units: 3 }],
      ['attribution.others', { customers: 2 }],
      ['attribution.others', 5],
      ['attribution', null],
    ] as const) {
      const parsed = parseOutboxRow(withBody(row, path, value));
      expect(parsed, `${path} = ${JSON.stringify(value)}`).toEqual({ ...base, kind: 'product-alerts', event: alert });
    }
  });
});

describe('refusing rows that cannot be delivered as stored', () => {
  const refusals: [row: string, path: string, value: unknown][] = [
    ['product alert', 'kind', 'exploded'],
    ['product alert', 'kind', 3],
    ['product alert', 'key', undefined],
    ['product alert', 'at', '2000'],
    ['product alert', 'available', '5'],
    ['product alert', 'available', undefined],
    ['product alert', 'level', null],
    ['product alert', 'product', undefined],
    ['product alert', 'product.productId', 1],
    ['product alert', 'product.productCode', undefined],
    ['product alert', 'product.productName', null],
    ['product alert with who drained it', 'event', undefined],
    ['product alert with who drained it', 'event.product', 'Apex One'],
    ['resolution', 'kind', 'alert'],
    ['resolution', 'kind', 'renotify'],
    ['resolution', 'available', undefined],
    ['product gone', 'product', null],
    ['LMPI unreachable', 'kind', 'lmpi-sideways'],
    ['LMPI unreachable', 'key', 3],
    ['LMPI unreachable', 'at', undefined],
    ['LMPI unreachable', 'failures', '3'],
    ['acknowledgement', 'action', 'deleted'],
    ['acknowledgement', 'actor', undefined],
    ['acknowledgement', 'at', 'now'],
    ['acknowledgement', 'product', undefined],
    ['acknowledgement', 'product.productCode', 5],
    ['late attribution', 'product', undefined],
    ['late attribution', 'product.productId', null],
    ['late attribution', 'episode', undefined],
    ['late attribution', 'episode.id', 1],
    ['late attribution', 'episode.startedAt', '1000'],
    ['late attribution', 'attribution', undefined],
    ['late attribution', 'attribution.top', 'Acme'],
  ];

  it.each(refusals)('refuses a %s row whose %s is %j', (name, path, value) => {
    const row = rows[name] as OutboxRow;
    expect(() => parseOutboxRow(withBody(row, path, value))).toThrow(
      expect.objectContaining({ name: 'OutboxRowError', code: 'ERR_OUTBOX_ROW', message: `malformed ${row.kind} row` }),
    );
  });

  it('refuses a body that is not JSON, or not an object, an unknown kind and a destination without a notifier', () => {
    const row = rows.acknowledgement as OutboxRow;
    expect(() => parseOutboxRow(stored(row, { body: '{"action":' }))).toThrow('body is not JSON');
    expect(() => parseOutboxRow(stored(row, { body: 'null' }))).toThrow('malformed acknowledgement row');
    expect(() => parseOutboxRow(stored(row, { body: '"acknowledged"' }))).toThrow('malformed acknowledgement row');
    expect(() => parseOutboxRow(stored(row, { kind: 'telegram' }))).toThrow('unknown outbox kind "telegram"');
    expect(() => parseOutboxRow(stored(row, { destination: 'CALERTS' }))).toThrow('bad destination "CALERTS"');
    expect(() => parseOutboxRow(stored(row, { destination: ':CALERTS' }))).toThrow('bad destination ":CALERTS"');
    expect(parseOutboxRow(stored(row, { destination: 'pagerduty:' })).destination).toEqual({
      notifier: 'pagerduty',
      target: '',
    });
  });
});
