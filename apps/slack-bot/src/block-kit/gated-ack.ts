// Seam 2 of the output gate: acknowledgements. A message in `ack(message)` travels in the HTTP
// response (or the Socket Mode envelope ack), not through fetch. Every receiver hands its events
// to `app.processEvent`, each with its `ack`: wrapping that one method gates every ack of every
// listener, in HTTP and Socket Mode alike.
import type { App, ReceiverEvent } from '@slack/bolt';
import { gateMessage, SURFACES } from './gate.js';

// The same reply acknowledged twice (a reply cache hands out one object) is gated once.
const gatedReplies = new WeakMap<object, unknown>();

/**
 * An acknowledgement's body gated as a reply to one person; undefined and empty acks unchanged.
 *
 * @example
 * ```ts
 * gateAckBody({ text: '<!channel>', blocks }) // text '&lt;!channel&gt;', blocks within limits
 * ```
 */
export function gateAckBody(response: unknown): unknown {
  if (typeof response === 'string') return gateMessage({ text: response }, SURFACES.reply).text;
  if (typeof response !== 'object' || response === null) return response;
  const cached = gatedReplies.get(response);
  if (cached) return cached;
  const gated = gateMessage(response, SURFACES.reply);
  gatedReplies.set(response, gated);
  // A reply gated ahead of its ack (the stored /licenses replies) is not gated again.
  if (typeof gated === 'object' && gated !== null) gatedReplies.set(gated, gated);
  return gated;
}

/**
 * Makes every `ack()` of the app pass the output gate.
 *
 * @example
 * ```ts
 * const app = new App(options)
 * gateAcknowledgements(app)
 * ```
 */
export function gateAcknowledgements(app: App): void {
  const processEvent = app.processEvent.bind(app);
  app.processEvent = (event: ReceiverEvent) =>
    processEvent({
      ...event,
      ack: (response?: Parameters<ReceiverEvent['ack']>[0]) =>
        event.ack(gateAckBody(response) as Parameters<ReceiverEvent['ack']>[0]),
    });
}
