// Fault case 3: a failure in any chunk of a digest, or in any step of posting, threading or
// updating, never posts anything twice and never loses an alert.

import type { CallFault } from '@licensewatch/slack-stand-in';
import { afterEach, describe, expect, it } from 'vitest';
import { type DeliveryRig, product, startDeliveryRig } from './delivery-rig.js';
import { type FaultCounts, NONE, reportFault } from './fault-summary.js';

let rig: DeliveryRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const PRODUCTS = 45; // three digest chunks: 20 + 20 + 5
const healthy = () => Array.from({ length: PRODUCTS }, (_, i) => product(i, 500));
const critical = () => Array.from({ length: PRODUCTS }, (_, i) => product(i, 10));

const FAULTS: [string, Omit<CallFault, 'nth'>][] = [
  ['refused for good (channel_not_found)', { error: 'channel_not_found' }],
  ['transient (internal_error)', { error: 'internal_error' }],
  ['lost reply (posted, then internal_error)', { error: 'internal_error', afterEffect: true }],
];

async function digestCounts(r: DeliveryRig): Promise<FaultCounts> {
  const seen = new Map<string, number>();
  for (const digest of r.digests()) for (const id of digest) seen.set(id, (seen.get(id) ?? 0) + 1);
  const failed = new Set(
    (await r.store.outbox.list())
      .filter((row) => row.status === 'dead' && row.kind === 'product-alerts')
      .map((row) => (row.kind === 'product-alerts' ? row.event.product.productId : '')),
  );
  const ids = critical().map((p) => p.productId);
  return {
    crashes: 0,
    // Lost: neither posted nor recorded as refused (with the reason) in the outbox.
    lost: ids.filter((id) => !seen.has(id) && !failed.has(id)).length,
    duplicates: [...seen.values()].reduce((sum, n) => sum + n - 1, 0),
    false: [...seen.keys()].filter((id) => !ids.includes(id)).length,
  };
}

describe('fault 3: partial delivery failures', () => {
  for (const [name, fault] of FAULTS) {
    for (const nth of [1, 2, 3]) {
      it(`digest chunk ${nth} of 3 ${name}: no duplicate, no loss`, async () => {
        rig = await startDeliveryRig();
        await rig.poll(healthy());
        await rig.drain();
        rig.slack.failCall('chat.postMessage', { ...fault, nth });
        await rig.poll(critical());
        await rig.drain();
        const counts = reportFault(
          `digest-chunk-${nth}-${fault.error}${fault.afterEffect ? '-after' : ''}`,
          await digestCounts(rig),
        );
        expect(counts).toEqual(NONE);
        // Refused chunks are kept as dead letters with Slack's reason; everything else was posted.
        const statuses = await rig.store.outbox.counts();
        expect(statuses.posted ?? 0).toBeGreaterThanOrEqual(fault.error === 'channel_not_found' ? 25 : PRODUCTS);
      });
    }
  }

  const STEPS: [string, string, Omit<CallFault, 'nth'>][] = [
    ['the thread reply', 'chat.postMessage', { error: 'internal_error' }],
    ['the thread reply (posted, reply lost)', 'chat.postMessage', { error: 'internal_error', afterEffect: true }],
    ['the edit of the original', 'chat.update', { error: 'internal_error' }],
    ['the edit of the original (edited, reply lost)', 'chat.update', { error: 'internal_error', afterEffect: true }],
  ];
  for (const [step, method, fault] of STEPS) {
    it(`a resolution whose ${step} fails is threaded once and marks the original`, async () => {
      rig = await startDeliveryRig();
      await rig.poll([product(1, 500)]);
      await rig.poll([product(1, 10)]);
      await rig.drain();
      rig.slack.failCall(method, { ...fault, nth: 1 });
      await rig.poll([product(1, 500)]);
      await rig.drain();
      const replies = rig.threadReplies();
      const edits = rig.slack.messages.filter(
        (m) => m.kind === 'chat.update' && JSON.stringify(m.payload).includes('recovered'),
      );
      const counts = reportFault(`resolution-${method}${fault.afterEffect ? '-after' : ''}`, {
        crashes: 0,
        lost: (replies.length === 0 ? 1 : 0) + (edits.length === 0 ? 1 : 0),
        duplicates: Math.max(0, replies.length - 1),
        false: rig.digests().length - 1,
      });
      expect(counts).toEqual(NONE);
      expect(await rig.store.outbox.counts()).toEqual({ posted: 2 });
    });
  }

  it.each([false, true])(
    'an acknowledgement whose edit fails (after effect: %s) is applied once',
    async (afterEffect) => {
      rig = await startDeliveryRig();
      await rig.poll([product(1, 500)]);
      await rig.poll([product(1, 10)]);
      await rig.drain();
      rig.slack.failCall('chat.update', { error: 'internal_error', nth: 1, afterEffect });
      await rig.acknowledge(product(1, 10).productId);
      await rig.drain();
      const edits = rig.slack.messages.filter((m) => m.kind === 'chat.update');
      const counts = reportFault(`acknowledgement-update${afterEffect ? '-after' : ''}`, {
        crashes: 0,
        lost: edits.some((m) => /acknowledged/i.test(JSON.stringify(m.payload))) ? 0 : 1,
        // The acknowledgement is noted once in the alert's thread (issue 11); more would be duplicates.
        duplicates: Math.max(0, rig.threadReplies().length - 1),
        false: rig.digests().length - 1,
      });
      expect(counts).toEqual(NONE);
      expect(rig.threadReplies().map((m) => m.payload.text)).toEqual([expect.stringContaining('acknowledged by')]);
      expect(await rig.store.outbox.counts()).toEqual({ posted: 2 });
    },
  );
});
