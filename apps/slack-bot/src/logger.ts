import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import { type Logger, pino, stdSerializers } from 'pino';

/** Fields of the bot's own settings and log objects that hold a credential (redacted one level down). */
const CREDENTIAL_FIELDS = ['token', 'botToken', 'appToken', 'signingSecret', 'secretKey', 'accessToken'];

/**
 * Keys whose value is a credential wherever it sits in a logged error (compared without case):
 * those fields, LMPI's signed headers, the PagerDuty routing key, HTTP auth and cookies.
 */
const CREDENTIAL_KEYS = new Set(
  [
    ...CREDENTIAL_FIELDS,
    'routingKey',
    'routing_key',
    'authorization',
    'proxy-authorization',
    'cookie',
    'set-cookie',
    'x-access-token',
    'x-signature',
  ].map((key) => key.toLowerCase()),
);

const MAX_DEPTH = 5;

/** A copy of a value taken from an error, credentials replaced, sockets and the like named, not dumped. */
function scrub(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return '[seen above]'; // a cycle, or the same object reached twice
  if (depth > MAX_DEPTH) return '[nested]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => scrub(item, depth + 1, seen));
  // An error inside an error (Bolt's `originals`, say) gets the same treatment as the outer one.
  if (value instanceof Error) return scrub(stdSerializers.err(value), depth, seen);
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  // Header bags (undici's Headers, axios' AxiosHeaders), URLs, dates: what they print, then scrubbed.
  if (value instanceof Headers) return scrub(Object.fromEntries(value), depth + 1, seen);
  if (typeof toJSON === 'function') {
    const json: unknown = toJSON.call(value);
    return json === value ? '[unserialisable]' : scrub(json, depth + 1, seen);
  }
  const kind = value.constructor;
  // A socket, a request, a stream: no use in a log line, and may hold anything.
  if (kind !== undefined && kind !== Object) return `[${typeof kind === 'function' ? kind.name : 'object'}]`;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value))
    copy[key] = CREDENTIAL_KEYS.has(key.toLowerCase()) ? '[redacted]' : scrub(item, depth + 1, seen);
  return copy;
}

/**
 * pino's standard `err` serializer (type, message and stack with every cause, `code` and the other
 * properties), then credential keys redacted at any depth: an HTTP error may carry the request's
 * headers or client config, which the path-based `redact` below cannot reach. Anything else thrown
 * (a string, an object) is logged as it is, scrubbed the same way.
 */
function serializeError(error: unknown): unknown {
  return scrub(error, 0, new WeakSet());
}

/**
 * A pino logger that scrubs every given secret from each line before it is written, whatever field
 * or message it hides in (a token inside an error message, say), plus the usual credential keys.
 * Errors go under `err` (`logger.warn({ err: error }, '…')`): logged with stack, cause and code,
 * credential keys redacted however deep the error carries them.
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
      serializers: { err: serializeError },
      redact: {
        paths: [...CREDENTIAL_FIELDS.map((field) => `*.${field}`), '*.headers.authorization'],
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
  // An error among Bolt's arguments also goes under `err`, so its stack, cause and code are kept.
  const fields = (parts: unknown[]) => {
    const err = parts.find((p) => p instanceof Error);
    return err ? { err } : {};
  };
  return {
    debug: (...parts) => child.debug(fields(parts), text(parts)),
    info: (...parts) => child.info(fields(parts), text(parts)),
    warn: (...parts) => child.warn(fields(parts), text(parts)),
    error: (...parts) => child.error(fields(parts), text(parts)),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
