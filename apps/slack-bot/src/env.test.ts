import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_DATA_DIR, loadDotEnv, readBotConfig, secretsOf } from './env.js';

function problems(env: NodeJS.ProcessEnv): string {
  try {
    readBotConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('readBotConfig', () => {
  it('defaults to local mode and the embedded sandbox', () => {
    expect(readBotConfig({})).toMatchObject({
      port: 3000,
      cacheTtlMs: 60_000,
      slack: { mode: 'local' },
      lmpi: { mode: 'sandbox' },
    });
  });

  it('picks HTTP or Socket Mode from the tokens given', () => {
    const demo = { LMPI_SANDBOX: 'true' };
    expect(readBotConfig({ ...demo, SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }).slack.mode).toBe('http');
    expect(readBotConfig({ ...demo, SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }).slack.mode).toBe('socket');
  });

  it('refuses to serve the sandbox to a real workspace unless LMPI_SANDBOX=true says so', () => {
    for (const slack of [
      { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' },
      { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' },
    ]) {
      const message = problems(slack);
      expect(message).toContain('a bot connected to Slack needs real LMPI credentials');
      expect(message).toContain('LMPI_SANDBOX=true');
      expect(readBotConfig({ ...slack, LMPI_SANDBOX: 'true' }).lmpi).toEqual({ mode: 'sandbox' });
    }
    expect(problems({ LMPI_SANDBOX: 'yes' })).toContain('LMPI_SANDBOX must be true or false');
  });

  it('gives up on an alert after OUTBOX_MAX_ATTEMPTS failures (default 8)', () => {
    expect(readBotConfig({}).alerts.maxAttempts).toBe(8);
    expect(readBotConfig({ OUTBOX_MAX_ATTEMPTS: '3' }).alerts.maxAttempts).toBe(3);
    expect(problems({ OUTBOX_MAX_ATTEMPTS: '0' })).toContain('OUTBOX_MAX_ATTEMPTS must be at least 1');
  });

  it('names each wrong variable and the fix, all at once, without echoing secrets', () => {
    const message = problems({ SLACK_BOT_TOKEN: 'xoxp-user-token-secret', PORT: 'eighty', CACHE_TTL: 'soon' });
    expect(message).toContain('SLACK_BOT_TOKEN: SLACK_BOT_TOKEN must be a bot token starting with xoxb-');
    expect(message).toContain('PORT');
    expect(message).toContain('CACHE_TTL must be a duration like 30s, 5m or 1h');
    expect(message).not.toContain('xoxp-user-token-secret');
  });

  it('refuses half-configured Slack and LMPI', () => {
    expect(problems({ SLACK_BOT_TOKEN: 'xoxb-1' })).toContain('SLACK_SIGNING_SECRET: missing');
    expect(problems({ SLACK_SIGNING_SECRET: 'x' })).toContain('SLACK_BOT_TOKEN: missing');
    expect(problems({ LMPI_BASE_URL: 'https://cspi.trendmicro.com' })).toContain(
      'LMPI_ACCESS_TOKEN, LMPI_SECRET_KEY: missing',
    );
  });

  it('reads PagerDuty settings, refuses a malformed routing key without echoing it, and treats the key as a secret', () => {
    const key = 'abcdefABCDEF0123456789abcdef0123';
    const config = readBotConfig({ PAGERDUTY_ROUTING_KEY: key });
    expect(config.pagerduty).toEqual({ routingKey: key, eventsUrl: 'https://events.pagerduty.com/v2/enqueue' });
    expect(secretsOf(config)).toContain(key);
    expect(readBotConfig({}).pagerduty).toBeUndefined();
    expect(
      readBotConfig({ PAGERDUTY_ROUTING_KEY: key, PAGERDUTY_EVENTS_URL: 'https://events.eu.pagerduty.com/v2/enqueue' })
        .pagerduty?.eventsUrl,
    ).toBe('https://events.eu.pagerduty.com/v2/enqueue');
    const message = problems({ PAGERDUTY_ROUTING_KEY: 'too-short-secret-key' });
    expect(message).toContain('PAGERDUTY_ROUTING_KEY must be the 32-character integration key');
    expect(message).not.toContain('too-short-secret-key');
  });

  it('reports cross-variable problems together with per-variable ones', () => {
    const message = problems({ PORT: 'eighty', SLACK_BOT_TOKEN: 'xoxb-1', LMPI_BASE_URL: 'not a url' });
    expect(message).toContain('PORT');
    expect(message).toContain('SLACK_SIGNING_SECRET: missing');
    expect(message).toContain('LMPI_BASE_URL must be a URL');
    expect(message).toContain('LMPI_ACCESS_TOKEN, LMPI_SECRET_KEY: missing');
    expect(message.match(/LMPI_BASE_URL/g)?.length).toBe(2); // once as malformed, once in the one LMPI line
  });

  it('keeps state under an absolute DATA_DIR, whatever the working directory', () => {
    expect(isAbsolute(DEFAULT_DATA_DIR)).toBe(true);
    expect(readBotConfig({}).alerts.databaseUrl).toBe(`sqlite:${join(DEFAULT_DATA_DIR, 'licensewatch.db')}`);
    expect(readBotConfig({ DATA_DIR: '/data' }).alerts.databaseUrl).toBe('sqlite:/data/licensewatch.db');
    expect(readBotConfig({ DATA_DIR: '/data', DATABASE_URL: 'postgres://db/x' }).alerts.databaseUrl).toBe(
      'postgres://db/x',
    );
    expect(problems({ DATA_DIR: 'data' })).toContain('DATA_DIR must be an absolute path');
  });

  it('treats METRICS_TOKEN as a secret', () => {
    const config = readBotConfig({ METRICS_TOKEN: 'metrics-token-123' });
    expect(config.metricsToken).toBe('metrics-token-123');
    expect(secretsOf(config)).toContain('metrics-token-123');
  });
});

describe('loadDotEnv', () => {
  it('loads .env when present, and real environment variables win over it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'licensewatch-env-'));
    try {
      const file = join(dir, '.env');
      expect(loadDotEnv(file)).toBeUndefined();
      writeFileSync(file, 'LW_TEST_FROM_FILE=file\nLW_TEST_BOTH=file\n');
      process.env.LW_TEST_BOTH = 'real';
      expect(loadDotEnv(file)).toBe(file);
      expect(process.env.LW_TEST_FROM_FILE).toBe('file');
      expect(process.env.LW_TEST_BOTH).toBe('real');
    } finally {
      delete process.env.LW_TEST_FROM_FILE;
      delete process.env.LW_TEST_BOTH;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
