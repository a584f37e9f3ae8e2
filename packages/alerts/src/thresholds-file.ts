import { readFileSync } from 'node:fs';
import { errorMessage } from '@licensewatch/schema';
import { isMap, isNode, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { parseDuration } from './duration.js';
import type { ThresholdConfig } from './rules.js';

const count = (what: string) =>
  z
    .number({ error: `${what} must be a number of licenses` })
    .int(`${what} must be a whole number`)
    .min(0, `${what} must be 0 or more`);
const duration = (what: string) =>
  z.union([z.string(), z.number()]).transform((value, ctx) => {
    const ms = parseDuration(String(value));
    if (ms === undefined || ms <= 0) {
      ctx.addIssue({ code: 'custom', message: `${what} must be a duration like 30m, 4h or 14d` });
      return z.NEVER;
    }
    return ms;
  });

/** A runway threshold: a duration, or `off` (0) to judge by count only. */
const runway = (what: string) =>
  z.union([z.string(), z.number()]).transform((value, ctx) => {
    if (String(value).trim().toLowerCase() === 'off' || value === 0) return 0;
    const ms = parseDuration(String(value));
    if (ms === undefined || ms <= 0) {
      ctx.addIssue({ code: 'custom', message: `${what} must be a duration like 14d or 72h, or off` });
      return z.NEVER;
    }
    return ms;
  });
/** A `mention` entry: a user id, a user group id, `here` or `channel`. */
export const MENTION = /^(?:[UW][A-Z0-9]{2,}|S[A-Z0-9]{2,}|here|channel)$/;

const levels = {
  low: count('low'),
  critical: count('critical'),
  recovery: count('recovery').optional(),
  for: z.number().int('for must be a whole number of polls').min(1, 'for must be at least 1 poll').optional(),
  channel: z
    .string()
    .regex(/^[CGD][A-Z0-9]{2,}$/, 'channel must be a Slack channel id such as C0123ABCD')
    .optional(),
  horizon: duration('horizon').optional(),
  pagerduty: z
    .enum(['low', 'critical'], { error: 'pagerduty must be low or critical (the lowest level that pages)' })
    .optional(),
  lowRunway: runway('lowRunway').optional(),
  criticalRunway: runway('criticalRunway').optional(),
  mention: z
    .array(
      z
        .string()
        .regex(
          MENTION,
          'mention entries must be Slack user ids (U0123ABCD), user group ids (S0123ABCD), here or channel',
        ),
      { error: 'mention must be a list, e.g. [U0123ABCD, S0456EFGH, here]' },
    )
    .max(20, 'mention can name at most 20 people or groups')
    .optional(),
};

const runwayOrder = (rule: { lowRunway?: number | undefined; criticalRunway?: number | undefined }) =>
  !rule.lowRunway || !rule.criticalRunway || rule.criticalRunway <= rule.lowRunway;
const runwayOrderIssue = { message: 'criticalRunway must not be longer than lowRunway', path: ['criticalRunway'] };

const defaultSchema = z
  .strictObject(levels)
  .refine((rule) => rule.critical <= rule.low, {
    message: 'critical must not be above low',
    path: ['critical'],
  })
  .refine(runwayOrder, runwayOrderIssue);

const productSchema = z
  .strictObject({
    match: z.string({ error: 'match must be a product code (e.g. NNZBXXE1X) or product id' }).min(1),
    low: levels.low.optional(),
    critical: levels.critical.optional(),
    recovery: levels.recovery,
    for: levels.for,
    channel: levels.channel,
    horizon: levels.horizon,
    pagerduty: levels.pagerduty,
    lowRunway: levels.lowRunway,
    criticalRunway: levels.criticalRunway,
    mention: levels.mention,
  })
  .refine((rule) => rule.low === undefined || rule.critical === undefined || rule.critical <= rule.low, {
    message: 'critical must not be above low',
    path: ['critical'],
  })
  .refine(runwayOrder, runwayOrderIssue);

const fileSchema = z.strictObject({
  default: defaultSchema,
  products: z.array(productSchema).default([]),
  renotify: duration('renotify').optional(),
  unreachable_after: z.number().int().min(1, 'unreachable_after must be at least 1 poll').optional(),
  /** Which end of the 80 % runway interval runway thresholds and forecasts use (default pessimistic). */
  runway_basis: z
    .enum(['pessimistic', 'expected'], { error: 'runway_basis must be pessimistic or expected' })
    .optional(),
  /** A poll losing more than this fraction of the products is suspect until confirmed. */
  catalogue_drop: z
    .strictObject({
      max_loss_fraction: z
        .number()
        .gt(0, 'max_loss_fraction must be above 0')
        .max(1, 'max_loss_fraction must be at most 1 (1 = only an empty list is suspect)')
        .optional(),
      confirm_polls: z.number().int().min(1, 'confirm_polls must be at least 1 poll').optional(),
    })
    .optional(),
});

/** A threshold file that cannot be used: names the file, line and field at fault. */
export class ThresholdsFileError extends Error {
  override name = 'ThresholdsFileError';
  readonly code = 'ERR_THRESHOLDS_FILE';
  constructor(
    readonly problems: { line: number | undefined; field: string; message: string }[],
    source: string,
  ) {
    super(
      `${source}: invalid threshold file\n${problems.map((p) => `  ${source}${p.line ? `:${p.line}` : ''} ${p.field}: ${p.message}`).join('\n')}`,
    );
  }
}

/**
 * Parses and validates a threshold file (YAML). Durations (`renotify`, `horizon`, `lowRunway`,
 * `criticalRunway`) are returned in ms (`off` runways as 0).
 *
 * @throws {ThresholdsFileError} with the line and field of every problem.
 * @example
 * ```ts
 * const config = parseThresholdsYaml('default: { low: 100, critical: 20 }', 'thresholds.yaml')
 * ```
 */
export function parseThresholdsYaml(text: string, source = 'thresholds file'): ThresholdConfig {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new ThresholdsFileError(
      document.errors.map((error) => ({
        // `linePos` is only filled with prettyErrors; the offset always is.
        line: lineCounter.linePos(error.pos[0]).line,
        field: '(syntax)',
        message: error.message.split('\n')[0] ?? 'invalid YAML',
      })),
      source,
    );
  }
  const renamed = renameDeprecatedKeys(document, lineCounter);
  if (renamed.length > 0) throw new ThresholdsFileError(renamed, source);
  const result = fileSchema.safeParse(document.toJS() ?? {});
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const path = issue.path.map((key) => (typeof key === 'number' ? key : String(key)));
      return { line: lineOf(document, lineCounter, path), field: formatPath(path), message: issue.message };
    });
    throw new ThresholdsFileError(problems, source);
  }
  const file = result.data;
  const toLevels = <
    T extends { horizon?: number | undefined; lowRunway?: number | undefined; criticalRunway?: number | undefined },
  >({
    horizon,
    lowRunway,
    criticalRunway,
    ...rest
  }: T) => ({
    ...rest,
    ...(horizon !== undefined ? { horizonMs: horizon } : {}),
    ...(lowRunway !== undefined ? { lowRunwayMs: lowRunway } : {}),
    ...(criticalRunway !== undefined ? { criticalRunwayMs: criticalRunway } : {}),
  });
  return {
    default: toLevels(file.default),
    products: file.products.map(toLevels),
    ...(file.renotify !== undefined ? { renotifyMs: file.renotify } : {}),
    ...(file.unreachable_after !== undefined ? { unreachableAfter: file.unreachable_after } : {}),
    ...(file.runway_basis !== undefined ? { runwayBasis: file.runway_basis } : {}),
    ...(file.catalogue_drop
      ? {
          catalogueSanity: {
            ...(file.catalogue_drop.max_loss_fraction !== undefined
              ? { maxLossFraction: file.catalogue_drop.max_loss_fraction }
              : {}),
            ...(file.catalogue_drop.confirm_polls !== undefined
              ? { confirmPolls: file.catalogue_drop.confirm_polls }
              : {}),
          },
        }
      : {}),
  };
}

/**
 * Reads a threshold file from disk.
 *
 * @throws {ThresholdsFileError}
 * @example
 * ```ts
 * const config = loadThresholdsFile(process.env.THRESHOLDS_FILE)
 * ```
 */
export function loadThresholdsFile(path: string): ThresholdConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? error.code : undefined; // ENOENT, EACCES…
    throw new ThresholdsFileError(
      [
        {
          line: undefined,
          field: '(file)',
          message: `cannot read: ${typeof code === 'string' ? code : errorMessage(error)}`,
        },
      ],
      path,
    );
  }
  return parseThresholdsYaml(text, path);
}

/** Old names still read (deprecated): `warning` is `low` since the level was renamed. */
const DEPRECATED_KEYS: Record<string, string> = { warning: 'low', warningRunway: 'lowRunway' };

/**
 * Reads the deprecated `warning`, `warningRunway` and `pagerduty: warning` as `low`, `lowRunway` and
 * `pagerduty: low`, in place (line numbers stay right). Returns the problems: a rule giving both names.
 */
function renameDeprecatedKeys(
  document: ReturnType<typeof parseDocument>,
  counter: LineCounter,
): { line: number | undefined; field: string; message: string }[] {
  const problems: { line: number | undefined; field: string; message: string }[] = [];
  const rules: [string, unknown][] = [['default', document.get('default', true)]];
  const products = document.get('products', true);
  if (isSeq(products)) rules.push(...products.items.map((item, i): [string, unknown] => [`products[${i}]`, item]));
  for (const [at, rule] of rules) {
    if (!isMap(rule)) continue;
    const names = new Set(rule.items.map((pair) => (isScalar(pair.key) ? String(pair.key.value) : '')));
    for (const pair of rule.items) {
      if (!isScalar(pair.key)) continue;
      const key = String(pair.key.value);
      const current = DEPRECATED_KEYS[key];
      if (current !== undefined) {
        if (names.has(current))
          problems.push({
            line: pair.key.range ? counter.linePos(pair.key.range[0]).line : undefined,
            field: `${at}.${key}`,
            message: `give ${current} only (${key} is its old name)`,
          });
        pair.key.value = current;
      }
      if (key === 'pagerduty' && isScalar(pair.value) && pair.value.value === 'warning') pair.value.value = 'low';
    }
  }
  return problems;
}

function formatPath(path: (string | number)[]): string {
  return (
    path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${key}` : key), '') ||
    '(top level)'
  );
}

/** Line of the deepest node that exists along the path (the field, or its parent if it is missing). */
function lineOf(
  document: ReturnType<typeof parseDocument>,
  counter: LineCounter,
  path: (string | number)[],
): number | undefined {
  for (let depth = path.length; depth >= 0; depth -= 1) {
    const node = depth === 0 ? document.contents : document.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) return counter.linePos(node.range[0]).line;
  }
  return undefined;
}
