import { context, type SlackMessage } from './blocks.js';

/** Said by every reply and alert while the embedded LMPI sandbox serves the data. */
export const DEMO_DATA_NOTE = ':test_tube: demo data from the embedded LMPI sandbox, not your LMPI account';

/**
 * The message with the demo-data line added (as its last block) when `demo` is true.
 *
 * @example
 * ```ts
 * await respond(withDemoNote(message, config.lmpi.mode === 'sandbox'))
 * ```
 */
export function withDemoNote<T extends SlackMessage>(message: T, demo: boolean): T {
  if (!demo) return message;
  if (message.blocks.length === 0) return { ...message, text: `${message.text}\n_${DEMO_DATA_NOTE}_` };
  return { ...message, blocks: [...message.blocks, context(DEMO_DATA_NOTE)] };
}
