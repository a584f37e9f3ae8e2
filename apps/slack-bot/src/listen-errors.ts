// "Address already in use" as the setting to change. Every server the bot opens on a configured port
// listens on PORT (HTTP mode: Bolt's receiver; Socket Mode: the receiver's health server); the
// embedded sandbox and the local Slack stand-in take ephemeral ports on 127.0.0.1.

/**
 * The one-line explanation of a failed listen, naming `PORT`; undefined for any other error.
 *
 * @example
 * ```ts
 * listenProblem(Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE', port: 3000 }))
 * // 'port 3000 is already in use: stop what uses it, or set PORT to a free port'
 * ```
 */
export function listenProblem(error: unknown): string | undefined {
  const { code, port, address } = (error ?? {}) as { code?: unknown; port?: number; address?: string };
  const where = `${port ?? ''}${address && address !== '::' && address !== '0.0.0.0' ? ` on ${address}` : ''}`;
  if (code === 'EADDRINUSE') return `port ${where} is already in use: stop what uses it, or set PORT to a free port`;
  if (code === 'EACCES' && port !== undefined)
    return `port ${where} needs privileges this process does not have: set PORT to 1024 or above`;
  if (code === 'EADDRNOTAVAIL') return `cannot listen on ${where}: not an address of this machine`;
  return undefined;
}
