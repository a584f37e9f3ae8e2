import type { DatabaseHealth } from '@licensewatch/store';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { OutageNotices } from './outage-notices.js';

const down = (code: string): DatabaseHealth => ({
  status: 'down',
  dialect: 'sqlite',
  since: 1,
  error: { code, message: `${code}: database or disk is full` },
});
const UP: DatabaseHealth = { status: 'up', dialect: 'sqlite', since: 2, error: undefined };

function notices(speaks = true) {
  const posted: string[] = [];
  const n = new OutageNotices({
    post: async (text) => {
      posted.push(text);
    },
    speaksForAll: () => speaks,
    logger: pino({ level: 'silent' }),
  });
  return { n, posted };
}

describe('outage notices', () => {
  it('posts one notice per database outage, naming the code, and one when it is back', async () => {
    const { n, posted } = notices();
    n.database(down('SQLITE_FULL'));
    n.database(down('SQLITE_FULL'));
    n.database(UP);
    n.database(UP);
    await Promise.resolve();
    expect(posted).toHaveLength(2);
    expect(posted[0]).toContain('`SQLITE_FULL`: the disk is full');
    expect(posted[0]).not.toContain('database or disk is full'); // the driver's message stays in the log
    expect(posted[1]).toContain('can use its database again');
  });

  it('posts once while dead letters exist, and again only after they were all cleared', async () => {
    const { n, posted } = notices();
    n.deadLetters(0);
    n.deadLetters(2);
    n.deadLetters(5);
    n.deadLetters(0);
    n.deadLetters(1);
    await Promise.resolve();
    expect(posted).toHaveLength(2);
    expect(posted[0]).toContain('2 alerts could not be delivered');
    expect(posted[0]).toContain('/licenses alerts retry');
    expect(posted[1]).toContain('1 alert could not be delivered');
  });

  it('stays quiet on a replica that another one speaks for', async () => {
    const { n, posted } = notices(false);
    n.database(down('ECONNREFUSED'));
    n.deadLetters(3);
    n.database(UP);
    await Promise.resolve();
    expect(posted).toEqual([]);
  });

  it('logs a notice Slack refused with the error itself: its code and stack, its token scrubbed', async () => {
    const lines: string[] = [];
    const refused = Object.assign(new Error('An API error occurred: not_in_channel (xoxb-notice-token-42)'), {
      code: 'slack_webapi_platform_error',
      data: { ok: false, error: 'not_in_channel' },
    });
    const n = new OutageNotices({
      post: async () => Promise.reject(refused),
      speaksForAll: () => true,
      logger: createLogger({
        level: 'info',
        secrets: ['xoxb-notice-token-42'],
        destination: { write: (line: string) => lines.push(line) },
      }),
    });
    n.deadLetters(1);
    await new Promise((resolve) => setImmediate(resolve));
    const logged = lines.map((line) => JSON.parse(line) as { msg: string; err?: Record<string, unknown> });
    const line = logged.find((l) => l.msg === 'outage notice not posted');
    expect(line?.err).toMatchObject({
      type: 'Error',
      code: 'slack_webapi_platform_error',
      data: { error: 'not_in_channel' },
      message: 'An API error occurred: not_in_channel ([redacted])',
    });
    expect(line?.err?.stack).toMatch(/\n\s+at /);
    expect(lines.join('')).not.toContain('xoxb-notice-token-42');
  });
});
