import { describe, expect, it } from 'vitest';
import { type DeliveryError, isDeliveryError } from '../notifier.js';
import { PagerDutyNotifier } from './notifier.js';

const NOW = Date.parse('Wed, 21 Oct 2026 07:27:00 GMT');

/** A PagerDuty that answers every event with `status` and `headers`. */
function refusing(status: number, headers: Record<string, string> = {}) {
  return new PagerDutyNotifier({
    routingKey: 'R0UTINGKEY',
    eventsUrl: 'http://pagerduty.invalid/v2/enqueue',
    source: 'lmpi.example',
    now: () => NOW,
    fetch: async () => new Response(JSON.stringify({ message: 'nope' }), { status, headers }),
  });
}

async function refusal(status: number, headers?: Record<string, string>): Promise<DeliveryError> {
  const acknowledgement = {
    id: 'd1',
    target: '',
    kind: 'acknowledgement' as const,
    original: undefined,
    handling: {
      action: 'acknowledged' as const,
      product: { productId: 'P1', productCode: 'TESTP0XXX', productName: 'Test Product A' },
      actor: 'U1',
      at: NOW,
      episode: { id: 'P1:1', startedAt: 1, peak: 'low' as const },
      snoozeMs: undefined,
    },
  };
  const error = await refusing(status, headers)
    .deliver(acknowledgement)
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  if (!isDeliveryError(error)) throw new Error(`expected a DeliveryError, got ${String(error)}`);
  return error;
}

describe('PagerDutyNotifier refusals (the shared retry policy)', () => {
  it('retries a 408 like the LMPI client does, and a 429 and 5xx', async () => {
    expect((await refusal(408)).retryable).toBe(true);
    expect((await refusal(429)).retryable).toBe(true);
    expect((await refusal(503)).retryable).toBe(true);
  });

  it('does not retry an event PagerDuty refused, and says why', async () => {
    const bad = await refusal(400);
    expect(bad.retryable).toBe(false);
    expect(bad.message).toBe('PagerDuty 400: nope');
  });

  it('waits as long as Retry-After says, in seconds or as an HTTP date', async () => {
    expect((await refusal(429, { 'retry-after': '30' })).retryAfterMs).toBe(30_000);
    expect((await refusal(503, { 'retry-after': 'Wed, 21 Oct 2026 07:29:00 GMT' })).retryAfterMs).toBe(120_000);
    expect((await refusal(429)).retryAfterMs).toBeUndefined();
  });
});
