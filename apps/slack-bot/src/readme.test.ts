import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HOME_AT_RISK_LIMIT } from './home/home-view.js';
import { PAGE_SIZE } from './licenses/message.js';
import { USAGE_PAGE_SIZE } from './licenses/usage.js';
import { importSlackStandIn } from './slack-stand-in.js';

// The bot's README is what a new user has: its tables and numbers must be the code's.

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const envSource = readFileSync(new URL('./env.ts', import.meta.url), 'utf8');

/** The body of a `## ` section, up to the next one. */
function section(title: string): string {
  const start = readme.indexOf(`## ${title}`);
  expect(start, `README section "${title}"`).toBeGreaterThanOrEqual(0);
  const end = readme.indexOf('\n## ', start + 3);
  return readme.slice(start, end < 0 ? undefined : end);
}

describe('the bot README matches the code', () => {
  it('names every setting src/env.ts reads in its configuration table', () => {
    // The keys of the zod object the environment is parsed with: `  NAME: z…` / `  NAME: duration(…)`.
    const settings = [...envSource.matchAll(/^ {2}([A-Z][A-Z0-9_]+): /gm)].map((m) => m[1] ?? '');
    expect(settings).toEqual(expect.arrayContaining(['SLACK_BOT_TOKEN', 'ALERT_CHANNEL', 'OUTBOX_CLAIM_TIMEOUT']));
    const table = section('Configuration')
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .join('\n');
    const missing = settings.filter((name) => !table.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });

  it('says how to find the ids it asks for', () => {
    const config = section('Configuration');
    expect(config).toMatch(/`ADMIN_USER_IDS`[^\n]*Copy member ID/);
    expect(config).toMatch(/`ALERT_CHANNEL`[^\n]*About/);
  });

  it('gives the page sizes and limits the replies use', () => {
    const numbers = (pattern: RegExp) => new Set([...readme.matchAll(pattern)].map((m) => Number(m[1])));
    expect(numbers(/(\d+) products a page/g)).toEqual(new Set([PAGE_SIZE]));
    expect(numbers(/(\d+) rows a page/g)).toEqual(new Set([USAGE_PAGE_SIZE]));
    expect(numbers(/up to (\d+)\)/g)).toEqual(new Set([HOME_AT_RISK_LIMIT]));
  });

  it('quotes what a production install says when asked for local mode, and where the local Slack is (the banner: local-slack.browser.test.ts)', async () => {
    const quoted = /exits 64 with\s+"(local mode needs the Slack stand-in[^"]+)"/.exec(section('Run it'))?.[1] ?? '';
    const missing = Object.assign(new Error("Cannot find package '@licensewatch/slack-stand-in' imported from x"), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
    const said = await importSlackStandIn(() => Promise.reject(missing)).catch((error: Error) => error.message);
    expect(quoted.replace(/\s+/g, ' ')).toBe(said);
    expect(section('Run it')).toContain('http://127.0.0.1:3000/local');
  });
});
