// Interactive input validated at the edge, before Bolt routes it: every request Slack sends (button
// clicks, slash commands, the Home tab event) is checked with zod against what the bot itself
// produces. Input that was never valid (an action id the bot never rendered, null or mistyped
// fields, a forged value) is answered at once, logged once at warn with the reason, counted, and
// never reaches a listener, so it cannot time out after Bolt's 3 s, log errors or touch the store.
import type { App, ReceiverEvent } from '@slack/bolt';
import type { Logger } from 'pino';
import { z } from 'zod';

/** Why input was refused at the edge (a bounded metric label). */
export type RefusalReason =
  | 'unknown_action'
  | 'malformed_action'
  | 'unsupported_interaction'
  | 'unknown_command'
  | 'malformed_command'
  | 'malformed_event';

/** A signed request whose body is not what Slack sends for anything the bot handles (HTTP: 400). */
export class MalformedInteractionError extends Error {
  override name = 'MalformedInteractionError';
  readonly code = 'slack_malformed_interaction';
  constructor(
    readonly reason: RefusalReason,
    detail: string,
  ) {
    super(`${reason}: ${detail}`);
  }
}

const SLACK_ID = z.string().regex(/^[A-Z0-9]{1,40}$/, 'not a Slack id');
const USER_ID = z.string().regex(/^[UWB][A-Z0-9]{1,40}$/, 'not a user id');
/** A product id or code as LMPI sends them: printable, no spaces, bounded. */
const PRODUCT_KEY = z.string().regex(/^[\x21-\x7e]{1,128}$/, 'not a product id or code');

const pageValue = z
  .string()
  .max(2_000)
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'paging value is not JSON' });
      return z.NEVER;
    }
  })
  .pipe(z.object({ q: z.string().max(2_000), p: z.number().int().min(0).max(100_000) }));

/** The buttons the bot renders: action id pattern and the value each carries. */
const ACTIONS: readonly { id: RegExp; value: z.ZodType; respond: boolean }[] = [
  { id: /^licenses_page_(previous|next)$/, value: pageValue, respond: true },
  { id: /^alert_(snooze_1h|snooze_1d|snooze_1w|ack):\d{1,3}$/, value: PRODUCT_KEY, respond: true },
  { id: /^chart_share$/, value: PRODUCT_KEY, respond: true },
  { id: /^home_refresh$/, value: z.string().max(2_000).optional(), respond: false },
];

const blockActions = z.object({
  type: z.literal('block_actions'),
  user: z.object({ id: USER_ID }),
  team: z.object({ id: SLACK_ID }).nullish(),
  response_url: z.url().optional(),
  container: z
    .object({
      type: z.string(),
      channel_id: SLACK_ID.optional(),
      message_ts: z.string().max(64).optional(),
      is_ephemeral: z.boolean().optional(),
    })
    .optional(),
  channel: z.object({ id: SLACK_ID }).nullish(),
  actions: z
    .array(
      z.object({
        type: z.string(),
        action_id: z.string().max(255),
        block_id: z.string().max(255).optional(),
        value: z.unknown(),
      }),
    )
    .length(1),
});

const slashCommand = z.object({
  command: z.string().max(64),
  text: z.string().max(12_000).optional(),
  user_id: USER_ID,
  channel_id: SLACK_ID,
  response_url: z.url(),
});

const appHomeOpened = z.object({
  type: z.literal('app_home_opened'),
  user: USER_ID,
  tab: z.string().max(32).optional(),
});

/** The first problem zod found, as one short line (no values: they may be anything). */
const problem = (error: z.ZodError) => {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'invalid';
};

/** What the edge decided: pass the request on, or refuse it with a reason. */
export type EdgeVerdict = { ok: true } | { ok: false; reason: RefusalReason; detail: string };

function checkAction(body: unknown): EdgeVerdict {
  const parsed = blockActions.safeParse(body);
  if (!parsed.success) return { ok: false, reason: 'malformed_action', detail: problem(parsed.error) };
  const [action] = parsed.data.actions;
  if (!action) return { ok: false, reason: 'malformed_action', detail: 'no action' };
  const known = ACTIONS.find((a) => a.id.test(action.action_id));
  if (!known) return { ok: false, reason: 'unknown_action', detail: `action_id ${action.action_id.slice(0, 64)}` };
  if (action.type !== 'button')
    return { ok: false, reason: 'malformed_action', detail: `${action.type} is not a button` };
  const value = known.value.safeParse(action.value);
  if (!value.success) return { ok: false, reason: 'malformed_action', detail: `value: ${problem(value.error)}` };
  if (known.respond && !parsed.data.response_url)
    return { ok: false, reason: 'malformed_action', detail: 'response_url: missing' };
  return { ok: true };
}

/**
 * Checks one request body as a receiver hands it to Bolt.
 *
 * @example
 * ```ts
 * checkInteraction({ type: 'block_actions', user: { id: 'U1' }, actions: [{ action_id: 'x' }] })
 * // { ok: false, reason: 'malformed_action', … }
 * ```
 */
export function checkInteraction(body: unknown, command: string): EdgeVerdict {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return { ok: false, reason: 'unsupported_interaction', detail: 'body is not an object' };
  const record = body as Record<string, unknown>;
  if ('command' in record) {
    const parsed = slashCommand.safeParse(record);
    if (!parsed.success) return { ok: false, reason: 'malformed_command', detail: problem(parsed.error) };
    if (parsed.data.command !== command)
      return { ok: false, reason: 'unknown_command', detail: `command ${parsed.data.command}` };
    return { ok: true };
  }
  if (record.type === 'block_actions') return checkAction(record);
  if (record.type === 'event_callback') {
    const event = record.event as Record<string, unknown> | null | undefined;
    if (typeof event !== 'object' || event === null)
      return { ok: false, reason: 'malformed_event', detail: 'event: not an object' };
    if (event.type !== 'app_home_opened') return { ok: true }; // no listener: Bolt acknowledges it
    const parsed = appHomeOpened.safeParse(event);
    return parsed.success ? { ok: true } : { ok: false, reason: 'malformed_event', detail: problem(parsed.error) };
  }
  return { ok: false, reason: 'unsupported_interaction', detail: `type ${String(record.type).slice(0, 40)}` };
}

/** What the edge reports to. */
export interface EdgeOptions {
  logger: Logger;
  /** The slash command the app answers (`/licenses`). */
  command: string;
  /** Counts a refusal (the metric). */
  refused?: (reason: RefusalReason) => void;
  /**
   * HTTP: a malformed body is thrown as {@link MalformedInteractionError}, which the receiver's
   * error handler answers 400 and logs at warn. Socket Mode has no status: it is acknowledged.
   */
  transport: 'http' | 'socket';
}

/**
 * Puts {@link checkInteraction} in front of the app: every event any receiver hands Bolt is checked
 * first. A well-formed request for something the bot never offers (an unknown action id or command)
 * is acknowledged at once, empty; a malformed one gets HTTP 400 (or, over Socket Mode, an empty ack).
 *
 * @example
 * ```ts
 * validateAtTheEdge(app, { logger, command: '/licenses', transport: 'http', refused: metrics.refused })
 * ```
 */
export function validateAtTheEdge(app: App, options: EdgeOptions): void {
  const processEvent = app.processEvent.bind(app);
  app.processEvent = async (event: ReceiverEvent) => {
    const verdict = checkInteraction(event.body, options.command);
    if (verdict.ok) return processEvent(event);
    options.refused?.(verdict.reason);
    const malformed = verdict.reason !== 'unknown_action' && verdict.reason !== 'unknown_command';
    if (malformed && options.transport === 'http') throw new MalformedInteractionError(verdict.reason, verdict.detail);
    options.logger.warn({ reason: verdict.reason, detail: verdict.detail }, 'Slack request refused at the edge');
    await event.ack();
  };
}
