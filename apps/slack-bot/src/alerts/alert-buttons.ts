import type { BlockAction, ButtonAction, Middleware, RespondArguments, SlackActionMiddlewareArgs } from '@slack/bolt';
import { slackMessageRef } from '../block-kit/message-ref.js';
import {
  type AlertAction,
  type AlertActionsDeps,
  applyAlertAction,
  SNOOZES,
  type SnoozeChoice,
} from './admin-actions.js';
import { databaseRefusal } from './database-refusal.js';

/** The action ids of the Snooze and Acknowledge buttons on alert messages (`<id>:<index>`). */
export const ALERT_BUTTON = /^alert_(snooze_1h|snooze_1d|snooze_1w|ack):/;

const isSnoozeChoice = (value: string): value is SnoozeChoice => Object.hasOwn(SNOOZES, value);

/** The alert action a button stands for, or undefined for an unknown action id. */
export function alertActionOf(actionId: string): AlertAction | undefined {
  const kind = actionId.split(':')[0] ?? '';
  if (kind === 'alert_ack') return { kind: 'acknowledge' };
  const choice = kind.replace('alert_snooze_', '');
  return isSnoozeChoice(choice) ? { kind: 'mute', durationMs: SNOOZES[choice], snooze: true } : undefined;
}

/**
 * Handles a press of Snooze or Acknowledge: applies it (state, audit and message updates in one
 * transaction, delivered through the outbox) and returns the ephemeral reply to send, if any.
 *
 * @example
 * ```ts
 * const reply = await pressAlertButton(deps, action, body.user.id, Date.now())
 * if (reply) await respond(reply)
 * ```
 */
export async function pressAlertButton(
  deps: AlertActionsDeps,
  button: ButtonAction,
  userId: string,
  at: number,
  container?: BlockAction['container'],
): Promise<RespondArguments | undefined> {
  const action = alertActionOf(button.action_id);
  if (!action) return undefined;
  if (deps.buttonsFor === 'admins' && !deps.adminUserIds?.includes(userId)) {
    return {
      response_type: 'ephemeral',
      replace_original: false,
      text: 'Sorry, only licensewatch admins can snooze or acknowledge alerts here (ALERT_ACTIONS=admins).',
    };
  }
  // The message the button was on (Slack's block_actions `container`), so that message changes.
  const clicked =
    container?.type === 'message' && !container.is_ephemeral && container.channel_id && container.message_ts
      ? slackMessageRef(container.channel_id, container.message_ts)
      : undefined;
  let result: Awaited<ReturnType<typeof applyAlertAction>>;
  try {
    result = await applyAlertAction(deps, button.value ?? '', action, userId, at, clicked);
  } catch (error) {
    const refusal = databaseRefusal(error);
    if (!refusal) throw error;
    return { response_type: 'ephemeral', replace_original: false, text: refusal };
  }
  if (result.ok) return undefined;
  return { response_type: 'ephemeral', replace_original: false, text: 'This alert is no longer active.' };
}

/**
 * The Bolt listener for alert buttons; without alert controls (alerts off) presses are acknowledged
 * and ignored.
 *
 * @example
 * ```ts
 * app.action(ALERT_BUTTON, alertButtons(admin?.alertActions, Date.now))
 * ```
 */
export function alertButtons(
  deps: AlertActionsDeps | undefined,
  now: () => number,
): Middleware<SlackActionMiddlewareArgs<BlockAction<ButtonAction>>> {
  return async ({ action, ack, body, respond }) => {
    await ack();
    if (!deps) return;
    const reply = await pressAlertButton(deps, action, body.user.id, now(), body.container);
    if (reply) await respond(reply);
  };
}
