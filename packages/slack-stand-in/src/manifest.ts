import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/**
 * The bot scopes an app manifest grants (`oauth_config.scopes.bot`): what Slack gives the bot token
 * of an app installed from it.
 *
 * @throws {Error} when the file is missing or has no bot scopes.
 * @example
 * ```ts
 * manifestBotScopes('apps/slack-bot/manifest.yml') // ['commands', 'chat:write', …]
 * ```
 */
export function manifestBotScopes(path: string): string[] {
  const manifest: unknown = parse(readFileSync(path, 'utf8'));
  const scopes = (manifest as { oauth_config?: { scopes?: { bot?: unknown } } } | null)?.oauth_config?.scopes?.bot;
  if (!Array.isArray(scopes) || !scopes.every((s) => typeof s === 'string'))
    throw new Error(`${path}: oauth_config.scopes.bot must be a list of scopes`);
  return scopes;
}
