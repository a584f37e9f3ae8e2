import { createHmac } from 'node:crypto';

/**
 * Headers of a correctly signed Slack request: `v0=` + hex HMAC-SHA256(signing secret,
 * `v0:{timestamp}:{raw body}`). Used by the `slash` script, the tests and the benchmark.
 *
 * @example
 * ```ts
 * fetch(url, { method: 'POST', body, headers: { ...slackSignatureHeaders(secret, body), 'content-type': 'application/x-www-form-urlencoded' } })
 * ```
 */
export function slackSignatureHeaders(
  signingSecret: string,
  rawBody: string,
  timestampSeconds = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const signature = createHmac('sha256', signingSecret).update(`v0:${timestampSeconds}:${rawBody}`).digest('hex');
  return { 'x-slack-request-timestamp': String(timestampSeconds), 'x-slack-signature': `v0=${signature}` };
}

/** The form fields Slack posts for a slash command. */
export interface SlashCommandFields {
  text: string;
  response_url: string;
  command?: string;
  user_id?: string;
  user_name?: string;
  channel_id?: string;
  team_id?: string;
  trigger_id?: string;
}

/** URL-encodes a slash command body the way Slack sends it. */
export function slashCommandBody(fields: SlashCommandFields): string {
  return new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: fields.team_id ?? 'TLOCAL',
    team_domain: 'local',
    channel_id: fields.channel_id ?? 'CLOCAL',
    channel_name: 'licenses',
    user_id: fields.user_id ?? 'ULOCALUSER',
    user_name: fields.user_name ?? 'local-user',
    command: fields.command ?? '/licenses',
    text: fields.text,
    api_app_id: 'ALOCAL',
    is_enterprise_install: 'false',
    response_url: fields.response_url,
    trigger_id: fields.trigger_id ?? '1.2.3',
  }).toString();
}
