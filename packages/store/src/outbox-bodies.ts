// zod schemas of the outbox's stored bodies: what a row must hold to be delivered at all. They check
// what a notifier reads (ids, names, counts, the event kind) and keep every other field as written
// (`looseObject`): a row written by an older or newer replica with an extra or missing optional
// field still delivers, while a lost product or a mistyped count is refused rather than posted as
// "undefined available". The TypeScript types stay those of @licensewatch/alerts.
import type { AlertEpisode, ConsumerAttribution, LmpiEvent, ProductEvent, ProductRef } from '@licensewatch/alerts';
import { z } from 'zod';
import type { AlertHandling } from './outbox-rows.js';

/** A product as LMPI names it. */
const storedProductRef = z.looseObject({
  productId: z.string(),
  productCode: z.string(),
  productName: z.string(),
});

/** A product event (an alert, reminder, forecast, resolution or vanished product). */
const storedProductEvent = z.looseObject({
  kind: z.enum(['alert', 'renotify', 'resolved', 'vanished', 'forecast']),
  key: z.string(),
  at: z.number(),
  available: z.number(),
  level: z.string(),
  product: storedProductRef,
});

/** The event of a resolution row: the product recovered or left the catalogue. */
const storedResolutionEvent = storedProductEvent.extend({ kind: z.enum(['resolved', 'vanished']) });

/** LMPI stopped answering, answers again, or listed far fewer products. */
const storedLmpiEvent = z.looseObject({
  kind: z.enum(['lmpi-unreachable', 'lmpi-recovered', 'lmpi-catalogue-shrank']),
  key: z.string(),
  at: z.number(),
  failures: z.number(),
});

/** An alert episode (its id names the PagerDuty incident and the Slack message). */
const storedEpisode = z.looseObject({ id: z.string(), startedAt: z.number() });

/** Who drained a pool this month; `others` is absent, or null once through JSON. */
const storedConsumerAttribution = z.looseObject({
  year: z.number(),
  month: z.number(),
  total: z.number(),
  top: z.array(z.looseObject({ customer: z.string().nullable(), units: z.number() })),
  others: z.looseObject({ customers: z.number(), units: z.number() }).nullish(),
});

/** An acknowledgement, snooze, mute or unmute. */
const storedAlertHandling = z.looseObject({
  action: z.enum(['acknowledged', 'snoozed', 'muted', 'unmuted']),
  actor: z.string(),
  at: z.number(),
  product: storedProductRef,
});

/** A late attribution row's body. */
const storedAttributionBody = z.looseObject({
  product: storedProductRef,
  episode: storedEpisode,
  attribution: storedConsumerAttribution,
});

/** The type each schema stands for in the typed row (the fields it does not check are kept as written). */
interface StoredTypes {
  productEvent: ProductEvent;
  resolutionEvent: ProductEvent & { kind: 'resolved' | 'vanished' };
  lmpiEvent: LmpiEvent;
  handling: AlertHandling;
  attribution: ConsumerAttribution;
  attributionBody: { product: ProductRef; episode: AlertEpisode; attribution: ConsumerAttribution };
}

/** The schema of each stored body, by what it is. */
const STORED: { readonly [K in keyof StoredTypes]: z.ZodType } = {
  productEvent: storedProductEvent,
  resolutionEvent: storedResolutionEvent,
  lmpiEvent: storedLmpiEvent,
  handling: storedAlertHandling,
  attribution: storedConsumerAttribution,
  attributionBody: storedAttributionBody,
};

/**
 * A stored body read with its zod schema: typed when it holds what delivery needs, else undefined.
 *
 * @example
 * ```ts
 * const event = readStored('productEvent', JSON.parse(row.body)) // ProductEvent | undefined
 * ```
 */
export function readStored<K extends keyof StoredTypes>(what: K, value: unknown): StoredTypes[K] | undefined {
  const parsed = STORED[what].safeParse(value);
  // The schema checked what delivery reads; the optional fields it leaves alone are as the writer had them.
  return parsed.success ? (parsed.data as StoredTypes[K]) : undefined;
}
