import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * Where the user's `.env` is: the nearest one from `cwd` up to the workspace root (the directory
 * with `pnpm-workspace.yaml`), so `pnpm start` from the repository root, which runs the bot in
 * `apps/slack-bot`, finds a `.env` put at the root. Outside a workspace (an installed image), only
 * `cwd` is looked at. Undefined when there is none.
 *
 * @example
 * ```ts
 * loadDotEnv(findDotEnv(process.cwd()))
 * ```
 */
export function findDotEnv(cwd: string): string | undefined {
  const start = resolve(cwd);
  const root = workspaceRoot(start);
  for (let dir = start; ; dir = dirname(dir)) {
    const file = join(dir, '.env');
    if (existsSync(file)) return file;
    if (!root || dir === root || dir === dirname(dir)) return undefined;
  }
}

function workspaceRoot(start: string): string | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    if (dir === dirname(dir)) return undefined;
  }
}
