import { context, header, type SlackMessage, section } from './blocks.js';
import { echo } from './format.js';

/**
 * The `/licenses help` reply: every form of the command, with what it does.
 *
 * @example
 * ```ts
 * await respond(helpMessage())
 * ```
 */
export function helpMessage(unknownText?: string): SlackMessage {
  const intro = unknownText
    ? `I did not understand “${echo(unknownText)}”. Here is what \`/licenses\` can do:`
    : 'What `/licenses` can do:';
  return {
    response_type: 'ephemeral',
    text: 'How to use /licenses',
    blocks: [
      header('How to use /licenses'),
      section(intro),
      section(
        [
          '• `/licenses`: every product you can provision, with available licenses; products at risk first',
          '• `/licenses <name or code>`: only products whose name or code contains the text, e.g. `/licenses apex` or `/licenses NNZBXXE1X`',
          '• `/licenses low`: only products at or below their warning level',
          '• `/licenses <product code>`: that product, with who took its licenses this month and last month',
          '• `/licenses usage [customer]`: last month’s customer usage report (provisioned vs used), optionally for one customer',
          '• `/licenses help`: this message',
        ].join('\n'),
      ),
      context(
        'Status: :red_circle: critical (at or below the critical level) · :large_orange_circle: low (at or below the warning level) · :large_green_circle: ok. Replies are visible only to you.',
      ),
    ],
  };
}
