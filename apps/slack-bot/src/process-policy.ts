import { errorMessage } from '@licensewatch/schema';
import type { Logger } from 'pino';
import { listenProblem } from './listen-errors.js';

/**
 * A thrown value for the log: an error as it is (the logger's serializer keeps stack, cause and
 * code and redacts credentials), anything else as the start of its text.
 */
function describe(reason: unknown): unknown {
  return reason instanceof Error ? reason : errorMessage(reason).slice(0, 500);
}

/** The part of `process` the policy uses. */
export interface ProcessEvents {
  on(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown;
  on(event: 'uncaughtException', listener: (error: Error, origin: string) => void): unknown;
  exit(code: number): void;
}

/**
 * The process policy: an unhandled promise rejection is logged and the bot keeps running (one
 * bad request or timer must not take every workspace's `/licenses` down); an uncaught exception is
 * logged and the process exits 1 (64 when it is a port in use, named as the PORT setting), as its state can no longer be trusted (the supervisor restarts
 * it). The logger redacts configured secrets.
 *
 * @example
 * ```ts
 * installProcessPolicy(process, logger)
 * ```
 */
export function installProcessPolicy(target: ProcessEvents, logger: Logger): void {
  target.on('unhandledRejection', (reason: unknown) => {
    logger.error({ err: describe(reason) }, 'unhandled promise rejection: logged, still running');
  });
  target.on('uncaughtException', (error: Error, origin: string) => {
    // Socket Mode's health server reports a busy PORT as an unhandled 'error' event: a setting, exit 64.
    const portInUse = listenProblem(error);
    if (portInUse) logger.fatal({ err: describe(error) }, portInUse);
    else logger.fatal({ err: describe(error), origin }, 'uncaught exception: exiting');
    logger.flush?.();
    target.exit(portInUse ? 64 : 1);
  });
}
