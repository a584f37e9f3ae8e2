import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import { type Logger, pino } from 'pino';

/**
 * A pino logger that scrubs every given secret from each line before it is written, whatever field
 * or message it hides in (a token inside an error message, say), plus the usual credential keys.
 *
 * @example
 * ```ts
 * const logger = createLogger({ level: 'info', secrets: secretsOf(config) })
 * ```
 */
export function createLogger(options: {
  level: string;
  secrets: string[];
  destination?: pino.DestinationStream;
}): Logger {
  const secrets = [...new Set(options.secrets)].filter((s) => s.length > 0);
  return pino(
    {
      level: options.level,
      redact: {
        paths: [
          '*.token',
          '*.botToken',
          '*.appToken',
          '*.signingSecret',
          '*.secretKey',
          '*.accessToken',
          '*.headers.authorization',
        ],
        censor: '[redacted]',
      },
      hooks: {
        streamWrite: (line) => secrets.reduce((out, secret) => out.split(secret).join('[redacted]'), line),
      },
    },
    options.destination,
  );
}

const BOLT_LEVELS: Record<string, LogLevel> = {
  trace: LogLevel.DEBUG,
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  error: LogLevel.ERROR,
  fatal: LogLevel.ERROR,
  silent: LogLevel.ERROR,
};

/** Bolt's logger interface on top of pino, so Bolt's own lines are scrubbed and structured too. */
export function boltLogger(logger: Logger): BoltLogger {
  const child = logger.child({ component: 'bolt' });
  let level: LogLevel = BOLT_LEVELS[logger.level] ?? LogLevel.INFO;
  const text = (parts: unknown[]) =>
    parts.map((p) => (typeof p === 'string' ? p : p instanceof Error ? p.message : JSON.stringify(p))).join(' ');
  return {
    debug: (...parts) => child.debug(text(parts)),
    info: (...parts) => child.info(text(parts)),
    warn: (...parts) => child.warn(text(parts)),
    error: (...parts) => child.error(text(parts)),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
