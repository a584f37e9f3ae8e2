// How customers are named in alert and /licenses text: LMPI's customer names are data, so they pass
// the same escaping as every other name, and a customer LMPI leaves unnamed reads the same everywhere.
import type { ConsumerAttribution } from '@licensewatch/alerts';
import { formatCount } from './format.js';
import { dataName, stripControls } from './mrkdwn.js';

/** How a customer LMPI leaves unnamed reads (the schema already turned its `---`, `UNNAMED_CUSTOMER`, into `null`). */
export const UNNAMED_CUSTOMER_LABEL = 'unnamed customer';

/**
 * A customer name from LMPI, safe in mrkdwn: no control characters, `&<>` escaped (so no mention,
 * channel ping or link can be injected), at most 60 characters.
 */
export function customerName(customer: string | null): string {
  const name = customer === null ? '' : stripControls(customer);
  return name ? dataName(name, 60) : `_${UNNAMED_CUSTOMER_LABEL}_`;
}

/**
 * The parts of an attribution in reading order, each customer named by `name` (a notifier escapes
 * for its own markup): `['Acme Corp +40', 'Globex +25', '3 others +12']`. Empty when no customer
 * took licenses this month.
 *
 * @example
 * ```ts
 * consumerParts(attribution, (customer) => customer ?? UNNAMED_CUSTOMER_LABEL).join(', ')
 * ```
 */
export function consumerParts(attribution: ConsumerAttribution, name: (customer: string | null) => string): string[] {
  const parts = attribution.top.map((share) => `${name(share.customer)} +${formatCount(share.units)}`);
  const { others } = attribution;
  if (others) parts.push(`${others.customers} other${others.customers === 1 ? '' : 's'} +${formatCount(others.units)}`);
  return parts;
}
