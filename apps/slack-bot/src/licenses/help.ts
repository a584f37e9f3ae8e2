import { context, header, type SlackMessage, section } from '../block-kit/blocks.js';
import { echo } from '../block-kit/format.js';

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
          '• `/licenses`: every product you can provision, one line each: available, a 14-day trend and the runway (days until empty); products at risk first',
          '• `/licenses <name or part of a code>`: only products whose name or code contains the text, e.g. `/licenses apex`',
          '• `/licenses <code>`: one product with its 30-day chart, burn rate, rule, alert state, largest drops and refills, e.g. `/licenses NNZBXXE1X`',
          '• `/licenses low`: only products that are Low or Critical',
          '• `/licenses <product code>`: that product, with who took its licenses this month and last month',
          '• `/licenses usage [customer]`: last month’s customer usage report (provisioned vs used), optionally for one customer',
          '• `/licenses threshold list`: alert levels in force, and recent changes',
          "• `/licenses threshold <code> <low> [critical]`: set a product's levels (admins)",
          "• `/licenses mute <code> <duration>` · `/licenses unmute <code>`: silence a product's alerts, e.g. `1d` (admins)",
          '• `/licenses alerts`: alerts not yet delivered, and dead letters · `/licenses alerts retry`: re-queue dead ones (admins)',
          '• `/licenses help`: this message',
        ].join('\n'),
      ),
      context(
        'Status: :red_circle: Critical (at or below the critical level, or empty within 3 days) · :large_orange_circle: Low (at or below the low level, or empty within 14 days) · :large_green_circle: OK. Replies are visible only to you.',
      ),
    ],
  };
}
