import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Intl.NumberFormat and Intl.DateTimeFormat (and the toLocale… methods built on them) load ICU's
// locale data from the node binary: measured, ~5 MiB of RSS each for the bot, which must stay under
// 150 MB (issue 25; apps/slack-bot/README.md "Start-up and memory"). Numbers and dates are written
// with @licensewatch/alerts' formatNumber / formatMonthYear / formatMonthDay, pinned to Intl's output
// by their tests. Intl.Collator stays: ordering names as people expect is worth its ~2 MiB.

const root = fileURLToPath(new URL('../..', import.meta.url));
const FORBIDDEN =
  /\bIntl\.(NumberFormat|DateTimeFormat|RelativeTimeFormat|PluralRules)\b|\.toLocale(String|DateString|TimeString)\(/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'dist' ? [] : sources(path);
    return /\.(ts|mts|js|mjs)$/.test(entry.name) && !/\.test\.(ts|mts)$/.test(entry.name) ? [path] : [];
  });
}

/** `file:line` of every use of an ICU formatter in shipped source (tests may use Intl as the reference). */
function icuFormatterUses(folders: string[]): { uses: string[]; files: number } {
  const files = folders.flatMap((folder) => sources(join(root, folder)));
  const uses = files.flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .flatMap((line, at) =>
        FORBIDDEN.test(line) && !/^\s*(\/\/|\*)/.test(line) ? [`${relative(root, file)}:${at + 1}`] : [],
      ),
  );
  return { uses, files: files.length };
}

describe('ICU formatters in shipped code', () => {
  it('are not used: the bot and what it imports write numbers and dates without them', () => {
    const folders = readdirSync(join(root, 'packages')).map((name) => `packages/${name}/src`);
    const { uses, files } = icuFormatterUses([...folders, 'apps/slack-bot/src', 'apps/cli/src']);
    expect(uses).toEqual([]);
    expect(files).toBeGreaterThan(100); // it read the code
  });

  it('are found where they are used (the scan can fail)', () => {
    expect(FORBIDDEN.test("const n = new Intl.NumberFormat('en-US');")).toBe(true);
    expect(FORBIDDEN.test('label = when.toLocaleDateString()')).toBe(true);
    expect(FORBIDDEN.test("const byName = new Intl.Collator('en');")).toBe(false);
  });
});
