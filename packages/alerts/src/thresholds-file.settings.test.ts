import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errorMessage } from '@licensewatch/schema';
import { afterAll, describe, expect, it } from 'vitest';
import { loadThresholdsFile, parseThresholdsYaml, ThresholdsFileError } from './thresholds-file.js';

const DEFAULT = 'default: { low: 100, critical: 20 }\n';

function problems(text: string) {
  try {
    parseThresholdsYaml(text, 'thresholds.yaml');
  } catch (error) {
    if (error instanceof ThresholdsFileError) return error.problems;
    throw error;
  }
  throw new Error('expected a ThresholdsFileError');
}

describe('file-wide settings', () => {
  it('reads unreachable_after and renotify', () => {
    expect(parseThresholdsYaml(`${DEFAULT}unreachable_after: 5\nrenotify: 30m\n`)).toEqual({
      default: { low: 100, critical: 20 },
      products: [],
      unreachableAfter: 5,
      renotifyMs: 30 * 60_000,
    });
  });

  it('leaves out what the file does not set, so the built-in defaults apply', () => {
    expect(parseThresholdsYaml(DEFAULT)).toStrictEqual({ default: { low: 100, critical: 20 }, products: [] });
    expect(parseThresholdsYaml(`${DEFAULT}products:\n  - match: A\n    low: 5\ncatalogue_drop: {}\n`)).toStrictEqual({
      default: { low: 100, critical: 20 },
      products: [{ match: 'A', low: 5 }],
      catalogueSanity: {},
    });
  });

  it('refuses unreachable_after below one poll, and a renotify that is not a duration', () => {
    expect(problems(`${DEFAULT}unreachable_after: 0\n`)).toEqual([
      { line: 2, field: 'unreachable_after', message: 'unreachable_after must be at least 1 poll' },
    ]);
    expect(problems(`${DEFAULT}renotify: often\n`)).toEqual([
      { line: 2, field: 'renotify', message: 'renotify must be a duration like 30m, 4h or 14d' },
    ]);
    expect(problems(`${DEFAULT}renotify: 0s\n`)[0]?.field).toBe('renotify');
  });

  it('reads a catalogue_drop that sets only one of its two values', () => {
    expect(parseThresholdsYaml(`${DEFAULT}catalogue_drop: { confirm_polls: 2 }\n`).catalogueSanity).toEqual({
      confirmPolls: 2,
    });
    expect(parseThresholdsYaml(`${DEFAULT}catalogue_drop: { max_loss_fraction: 1 }\n`).catalogueSanity).toEqual({
      maxLossFraction: 1,
    });
    expect(problems(`${DEFAULT}catalogue_drop: { max_loss_fraction: 0 }\n`)[0]?.message).toBe(
      'max_loss_fraction must be above 0',
    );
  });

  it('reads an empty file as a missing default', () => {
    expect(problems('')).toEqual([{ line: undefined, field: 'default', message: expect.any(String) }]);
  });
});

describe('product entries', () => {
  it('refuses a product whose critical level is above its low level', () => {
    expect(problems(`${DEFAULT}products:\n  - match: NNZBXXE1X\n    low: 50\n    critical: 80\n`)).toEqual([
      { line: 5, field: 'products[0].critical', message: 'critical must not be above low' },
    ]);
  });

  it('accepts a product that sets only one level, or equal levels', () => {
    const config = parseThresholdsYaml(
      `${DEFAULT}products:\n  - match: A\n    critical: 500\n  - match: B\n    low: 5\n  - match: C\n    low: 7\n    critical: 7\n`,
    );
    expect(config.products).toEqual([
      { match: 'A', critical: 500 },
      { match: 'B', low: 5 },
      { match: 'C', low: 7, critical: 7 },
    ]);
  });

  it('refuses an empty match, a fractional or negative count, and a for of zero polls', () => {
    expect(problems(`${DEFAULT}products:\n  - match: ""\n`)[0]).toMatchObject({ line: 3, field: 'products[0].match' });
    expect(problems('default: { low: 10.5, critical: 2 }\n')).toEqual([
      { line: 1, field: 'default.low', message: 'low must be a whole number' },
    ]);
    expect(problems('default: { low: 10, critical: -1 }\n')).toEqual([
      { line: 1, field: 'default.critical', message: 'critical must be 0 or more' },
    ]);
    expect(problems('default: { low: 10, critical: 1, for: 0 }\n')).toEqual([
      { line: 1, field: 'default.for', message: 'for must be at least 1 poll' },
    ]);
  });

  it('reads runways given as off or as a bare number of seconds, and refuses a zero-length one', () => {
    const config = parseThresholdsYaml(
      'default: { low: 100, critical: 20, lowRunway: OFF, criticalRunway: 0 }\nproducts:\n  - match: A\n    lowRunway: 86400\n',
    );
    expect(config.default).toMatchObject({ lowRunwayMs: 0, criticalRunwayMs: 0 });
    expect(config.products[0]).toEqual({ match: 'A', lowRunwayMs: 86_400_000 });
    expect(problems('default: { low: 100, critical: 20, lowRunway: 0d }\n')).toEqual([
      { line: 1, field: 'default.lowRunway', message: 'lowRunway must be a duration like 14d or 72h, or off' },
    ]);
  });

  it('accepts runways that are equal, or where only one is set', () => {
    expect(
      parseThresholdsYaml('default: { low: 100, critical: 20, lowRunway: 3d, criticalRunway: 3d }').default,
    ).toMatchObject({ lowRunwayMs: 3 * 86_400_000, criticalRunwayMs: 3 * 86_400_000 });
    expect(
      parseThresholdsYaml('default: { low: 100, critical: 20, criticalRunway: 30d }').default.criticalRunwayMs,
    ).toBe(30 * 86_400_000);
  });

  it('refuses a product runway order that is reversed', () => {
    expect(problems(`${DEFAULT}products:\n  - match: A\n    lowRunway: 1d\n    criticalRunway: 2d\n`)).toEqual([
      { line: 5, field: 'products[0].criticalRunway', message: 'criticalRunway must not be longer than lowRunway' },
    ]);
  });
});

describe('what each refusal says', () => {
  const field = (yaml: string) => problems(`${DEFAULT}products:\n  - match: A\n${yaml}`)[0];
  it.each([
    ['    low: many\n', 'products[0].low', 'low must be a number of licenses'],
    ['    low: 1.5\n', 'products[0].low', 'low must be a whole number'],
    ['    critical: -2\n', 'products[0].critical', 'critical must be 0 or more'],
    ['    recovery: lots\n', 'products[0].recovery', 'recovery must be a number of licenses'],
    ['    for: 1.5\n', 'products[0].for', 'for must be a whole number of polls'],
    ['    for: 0\n', 'products[0].for', 'for must be at least 1 poll'],
    ['    channel: "#general"\n', 'products[0].channel', 'channel must be a Slack channel id such as C0123ABCD'],
    ['    channel: xC0123ABCD\n', 'products[0].channel', 'channel must be a Slack channel id such as C0123ABCD'],
    ['    channel: C0123ABCD!\n', 'products[0].channel', 'channel must be a Slack channel id such as C0123ABCD'],
    ['    horizon: soon\n', 'products[0].horizon', 'horizon must be a duration like 30m, 4h or 14d'],
    [
      '    pagerduty: always\n',
      'products[0].pagerduty',
      'pagerduty must be low or critical (the lowest level that pages)',
    ],
    ['    lowRunway: later\n', 'products[0].lowRunway', 'lowRunway must be a duration like 14d or 72h, or off'],
    ['    mention: here\n', 'products[0].mention', 'mention must be a list, e.g. [U0123ABCD, S0456EFGH, here]'],
    ['    mention: [xU0123ABCD]\n', 'products[0].mention[0]', expect.stringContaining('mention entries must be')],
    ['    mention: [U0123ABCD!]\n', 'products[0].mention[0]', expect.stringContaining('mention entries must be')],
    [
      `    mention: [${Array.from({ length: 21 }, (_, i) => `U0${i}AAA`).join(', ')}]\n`,
      'products[0].mention',
      'mention can name at most 20 people or groups',
    ],
  ])('refuses %j with the field and a message that says what is expected', (yaml, path, message) => {
    expect(field(yaml)).toEqual({ line: 4, field: path, message });
  });

  it.each([['match: 42', 'products[0].match', 'match must be a product code (e.g. NNZBXXE1X) or product id']])(
    'refuses a product entry with %s',
    (entry, path, message) => {
      expect(problems(`${DEFAULT}products:\n  - ${entry}\n`)).toEqual([{ line: 3, field: path, message }]);
    },
  );

  it('names every file-wide setting it refuses', () => {
    expect(problems(`${DEFAULT}unreachable_after: 2.5\n`)[0]?.field).toBe('unreachable_after');
    expect(problems(`${DEFAULT}catalogue_drop: { confirm_polls: 0 }\n`)).toEqual([
      { line: 2, field: 'catalogue_drop.confirm_polls', message: 'confirm_polls must be at least 1 poll' },
    ]);
  });

  it('reads "off" runways written with spaces or capitals', () => {
    expect(parseThresholdsYaml('default: { low: 100, critical: 20, lowRunway: " Off " }').default).toMatchObject({
      lowRunwayMs: 0,
    });
  });

  it('accepts a product whose critical level equals its low level', () => {
    expect(parseThresholdsYaml(`${DEFAULT}products:\n  - match: A\n    low: 5\n    critical: 5\n`).products).toEqual([
      { match: 'A', low: 5, critical: 5 },
    ]);
  });

  it('points a missing field at the line of the mapping that lacks it', () => {
    expect(problems('renotify: 4h\ndefault:\n  low: 100\n')).toEqual([
      { line: 3, field: 'default.critical', message: 'critical must be a number of licenses' },
    ]);
  });
});

describe('error messages', () => {
  it('lists every problem on its own line, with the file and line of each', () => {
    const text = 'default:\n  low: 10\n  critical: 20\nunreachable_after: 0\n';
    let message = '';
    try {
      parseThresholdsYaml(text, 'ops/thresholds.yaml');
    } catch (error) {
      message = errorMessage(error);
      expect(error).toMatchObject({ name: 'ThresholdsFileError', code: 'ERR_THRESHOLDS_FILE' });
    }
    expect(message.split('\n')).toEqual([
      'ops/thresholds.yaml: invalid threshold file',
      '  ops/thresholds.yaml:3 default.critical: critical must not be above low',
      '  ops/thresholds.yaml:4 unreachable_after: unreachable_after must be at least 1 poll',
    ]);
  });

  it('names a field at the top level when the whole file is not a mapping', () => {
    expect(problems('- just\n- a list\n')).toEqual([{ line: 1, field: '(top level)', message: expect.any(String) }]);
  });

  it('names the first line of a YAML syntax error', () => {
    expect(problems(`${DEFAULT}products:\n  - match: A\n    match: B\n`)).toEqual([
      { line: 4, field: '(syntax)', message: 'Map keys must be unique' },
    ]);
  });
});

describe('loadThresholdsFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'licensewatch-thresholds-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a file from disk and names it in errors', () => {
    const good = join(dir, 'good.yaml');
    writeFileSync(good, `${DEFAULT}unreachable_after: 2\n`);
    expect(loadThresholdsFile(good).unreachableAfter).toBe(2);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'default: { low: 1, critical: 2 }\n');
    expect(() => loadThresholdsFile(bad)).toThrow(`${bad}:1 default.critical: critical must not be above low`);
  });

  it('says why a file cannot be read', () => {
    const missing = join(dir, 'missing.yaml');
    expect(() => loadThresholdsFile(missing)).toThrow(
      expect.objectContaining({
        message: `${missing}: invalid threshold file\n  ${missing} (file): cannot read: ENOENT`,
      }),
    );
  });
});
