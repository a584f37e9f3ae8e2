/**
 * A Slack date token that each reader sees in their own time zone, with a UTC fallback.
 *
 * @example
 * ```ts
 * slackDate(Date.now()) // '<!date^1796300000^{date_short_pretty} {time}|2026-12-01 10:13 UTC>'
 * ```
 */
export function slackDate(at: number, format = '{date_short_pretty} {time}'): string {
  const fallback = `${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return `<!date^${Math.floor(at / 1000)}^${format}|${fallback}>`;
}
