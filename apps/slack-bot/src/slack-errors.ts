import { errorMessage } from '@licensewatch/schema';
import type { Logger } from 'pino';

/** What Bolt passes a global error handler when `extendedErrorHandler` is on (not exported by Bolt 5.1). */
export interface SlackErrorArgs {
  error: Error & { code?: string };
  body: unknown;
}

/**
 * The Slack Web API error code of a failed call (`not_in_channel`, `channel_not_found`), or the
 * error's message when Slack gave none (a network failure, say). For choosing user-facing text.
 *
 * @example
 * ```ts
 * if (slackErrorCode(error) === 'not_in_channel') say('Invite me to the channel first')
 * ```
 */
export function slackErrorCode(error: unknown): string {
  const data = typeof error === 'object' && error !== null && 'data' in error ? error.data : undefined;
  const code = typeof data === 'object' && data !== null && 'error' in data ? data.error : undefined;
  return typeof code === 'string' ? code : errorMessage(error);
}

/** The request a failed handler was answering, as far as it is safe to log (ids, never tokens). */
function requestContext(body: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!body || typeof body !== 'object') return {};
  const user = body.user as { id?: unknown } | undefined;
  const actions = body.actions as { action_id?: unknown }[] | undefined;
  const pick = (value: unknown) => (typeof value === 'string' ? value.slice(0, 100) : undefined);
  return {
    type: pick(body.type) ?? (body.command ? 'slash_command' : undefined),
    command: pick(body.command),
    user: pick(body.user_id) ?? pick(user?.id),
    team: pick(body.team_id) ?? pick((body.team as { id?: unknown } | undefined)?.id),
    channel: pick(body.channel_id) ?? pick((body.channel as { id?: unknown } | undefined)?.id),
    action: Array.isArray(actions) ? pick(actions[0]?.action_id) : undefined,
  };
}

/**
 * Bolt's global error handler (`extendedErrorHandler: true`): logs the error with the request it
 * was handling (type, command, user, team, channel, action id); never the body itself, whose
 * `token`, `response_url` and text may be sensitive.
 *
 * @example
 * ```ts
 * app.error(slackErrorLogger(logger))
 * ```
 */
export function slackErrorLogger(logger: Logger) {
  return async ({ error, body }: SlackErrorArgs): Promise<void> => {
    logger.error(
      {
        // Bolt's wrapper (its code) with the listener's own error under `original`, stacks and all.
        err: error,
        request: requestContext(body as Record<string, unknown> | undefined),
      },
      'slack handler failed',
    );
  };
}
