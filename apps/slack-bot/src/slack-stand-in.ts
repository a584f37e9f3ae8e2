// Local mode's Slack: the stand-in package, loaded only when local mode starts (and by `pnpm slash`
// to print replies). It is a devDependency: production installs leave it out, and asking them for
// local mode gets one line saying what to set instead of a module-resolution stack trace.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { isPackageNotInstalled } from '@licensewatch/client';

/** The stand-in package local mode loads. */
export const STAND_IN_PACKAGE = '@licensewatch/slack-stand-in';

/** Thrown when local mode is asked for where the stand-in is not installed. */
export class LocalSlackUnavailableError extends Error {
  override name = 'LocalSlackUnavailableError';
  readonly code = 'ERR_LOCAL_SLACK';
}

/**
 * Runs the app's dynamic `import('@licensewatch/slack-stand-in')`; when the package is missing (a
 * production install), throws one clear {@link LocalSlackUnavailableError} instead.
 *
 * @example
 * ```ts
 * const { startSlackStandIn } = await importSlackStandIn(() => import('@licensewatch/slack-stand-in'))
 * ```
 */
export async function importSlackStandIn<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (!isPackageNotInstalled(error, STAND_IN_PACKAGE)) throw error;
    throw new LocalSlackUnavailableError(
      `local mode needs the Slack stand-in (${STAND_IN_PACKAGE}), which production installs leave out: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (HTTP mode) or SLACK_BOT_TOKEN and SLACK_APP_TOKEN (Socket Mode)`,
    );
  }
}

/**
 * `GET /local` on the bot's port: a redirect to the stand-in's web view (its port changes per start;
 * this address does not).
 *
 * @example
 * ```ts
 * createSlackApp({ ...deps, routes: [localSlackRedirect(slack.localUrl)] })
 * ```
 */
export function localSlackRedirect(localUrl: string) {
  return {
    path: '/local',
    method: ['GET'],
    handler: (req: IncomingMessage, res: ServerResponse) => {
      const query = new URL(req.url ?? '/', 'http://localhost').search; // e.g. ?channel=CLOCAL
      res.writeHead(302, { location: `${localUrl}${query}`, 'cache-control': 'no-store' }).end();
    },
  };
}
