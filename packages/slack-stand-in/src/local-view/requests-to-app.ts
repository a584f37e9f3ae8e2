// Slack's requests to the app, as the web view builds them: a slash command's form fields, a button
// press's block_actions payload, and the Events API envelope (slack-reference §4, §6, §12).
import { randomUUID } from 'node:crypto';
import type { ShownMessage, workspaceOf } from './conversations.js';
import type { LocalViewDeps } from './local-view.js';

type Json = Record<string, unknown>;

/**
 * The form fields Slack posts for a slash command typed in `channel`.
 *
 * @example
 * ```ts
 * await sendToApp(app, slashCommandForm(deps, 'CLOCAL', '/licenses', 'low', responseUrl), 'form')
 * ```
 */
export function slashCommandForm(
  deps: LocalViewDeps,
  channel: string,
  command: string,
  text: string,
  responseUrl: string,
) {
  return new URLSearchParams({
    token: 'stand-in-verification-token',
    team_id: deps.teamId,
    team_domain: 'local',
    channel_id: channel,
    channel_name: deps.channels.get(channel)?.name ?? channel.toLowerCase(),
    user_id: deps.user.id,
    user_name: deps.user.name,
    command,
    text,
    api_app_id: 'ALOCAL',
    is_enterprise_install: 'false',
    response_url: responseUrl,
    trigger_id: `${Date.now()}.${Math.floor(Math.random() * 1e6)}`,
  }).toString();
}

/** A pressed button, found from where the page says it is. */
export interface PressedButton {
  channel: string;
  onHome: boolean;
  message: ShownMessage | undefined;
  view: Json | undefined;
  block: Json;
  element: Json;
}

/**
 * The button at `place` in what the person sees, if there is one.
 *
 * @example
 * ```ts
 * pressedButton(workspace, { entry: 'C1:1.000001', block: 2, element: '0' })
 * ```
 */
export function pressedButton(
  workspace: ReturnType<typeof workspaceOf>,
  place: { entry: string; block: number; element: string },
): PressedButton | undefined {
  const onHome = place.entry === 'home';
  const message = onHome ? undefined : workspace.messages.find((m) => m.key === place.entry);
  const payload = onHome ? workspace.home : message?.payload;
  const blocks = Array.isArray(payload?.blocks) ? (payload.blocks as Json[]) : [];
  const block = blocks[place.block];
  if (!block) return undefined;
  const elements = Array.isArray(block.elements) ? (block.elements as Json[]) : [];
  const element =
    place.element === 'accessory' ? (block.accessory as Json | undefined) : elements[Number(place.element)];
  if (element?.type !== 'button') return undefined;
  return { channel: message?.channel ?? 'home', onHome, message, view: onHome ? payload : undefined, block, element };
}

/**
 * Slack's block_actions payload for a button press (slack-reference §6).
 *
 * @example
 * ```ts
 * const form = new URLSearchParams({ payload: JSON.stringify(blockActions(deps, pressed, responseUrl)) })
 * ```
 */
export function blockActions(deps: LocalViewDeps, pressed: PressedButton, responseUrl: string | undefined): Json {
  const { message, view, block, element } = pressed;
  const actionTs = `${(Date.now() / 1000).toFixed(6)}`;
  return {
    type: 'block_actions',
    user: { id: deps.user.id, username: deps.user.name, name: deps.user.name, team_id: deps.teamId },
    api_app_id: 'ALOCAL',
    token: 'stand-in-verification-token',
    team: { id: deps.teamId, domain: 'local' },
    enterprise: null,
    is_enterprise_install: false,
    trigger_id: `${Date.now()}.${Math.floor(Math.random() * 1e6)}`,
    container: message
      ? { type: 'message', message_ts: message.ts, channel_id: message.channel, is_ephemeral: message.ephemeral }
      : { type: 'view', view_id: `V${deps.user.id}` },
    ...(message
      ? {
          channel: { id: message.channel, name: deps.channels.get(message.channel)?.name ?? message.channel },
          ...(message.ephemeral
            ? {}
            : { message: { type: 'message', ts: message.ts, user: deps.botUserId, ...message.payload } }),
        }
      : { view: { id: `V${deps.user.id}`, ...view } }),
    state: { values: {} },
    ...(responseUrl ? { response_url: responseUrl } : {}),
    actions: [
      {
        type: 'button',
        action_id: String(element.action_id ?? `stand-in-${randomUUID().slice(0, 6)}`),
        block_id: String(block.block_id ?? `stand-in-${randomUUID().slice(0, 6)}`),
        text: element.text,
        ...(element.value !== undefined ? { value: element.value } : {}),
        ...(element.style ? { style: element.style } : {}),
        action_ts: actionTs,
      },
    ],
  };
}

/**
 * An Events API `event_callback` envelope around `event`.
 *
 * @example
 * ```ts
 * eventCallback(deps, { type: 'app_home_opened', user: 'U1', tab: 'home' })
 * ```
 */
export function eventCallback(deps: LocalViewDeps, event: Json): Json {
  return {
    token: 'stand-in-verification-token',
    team_id: deps.teamId,
    api_app_id: 'ALOCAL',
    type: 'event_callback',
    event_id: `Ev${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: deps.teamId, user_id: deps.botUserId, is_bot: true }],
    event,
  };
}
