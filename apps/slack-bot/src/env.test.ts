import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_DATA_DIR, loadDotEnv, readBotConfig, secretsOf, strayVariables } from './env.js';

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

describe('configuration that cannot fall back silently', () => {
  const realLmpi = {
    LMPI_BASE_URL: 'https://cspi.trendmicro.com',
    LMPI_ACCESS_TOKEN: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
    LMPI_SECRET_KEY: 'example-secret-not-logged',
  };

  it('names misspelt Slack settings with a did-you-mean instead of starting in local mode (issue 20)', () => {
    const message = problems({
      NODE_ENV: 'production',
      SLACK_BOT_TOKN: 'xoxb-typo-secret-1',
      SLACK_SIGNIN_SECRET: 'typo-secret-2',
      ...realLmpi,
    });
    expect(message).toContain('SLACK_BOT_TOKN: unknown variable; did you mean SLACK_BOT_TOKEN?');
    expect(message).toContain('SLACK_SIGNIN_SECRET: unknown variable; did you mean SLACK_SIGNING_SECRET?');
    expect(message).toContain('SLACK_BOT_TOKEN: missing');
    expect(message).not.toMatch(/xoxb-typo-secret-1|typo-secret-2|example-secret-not-logged/);
  });

  it('names misspelt settings of every prefix, and only knows LMPI_API_VERSION as a real one', () => {
    expect(problems({ ALERT_CHANEL: 'C1' })).toContain('did you mean ALERT_CHANNEL?');
    expect(problems({ OUTBOX_CLAIM_TIMOUT: '5s' })).toContain('did you mean OUTBOX_CLAIM_TIMEOUT?');
    expect(problems({ LMPI_API_VERSON: 'v3' })).toContain('did you mean LMPI_API_VERSION?');
    expect(readBotConfig({ LMPI_API_VERSION: 'v3' }).lmpi).toMatchObject({ apiVersion: 'v3' });
  });

  it('leaves the rest of the project’s variables alone and lists strangers apart', () => {
    const env = { LMPI_SANDBOX_PORT: '4010', LICENSEWATCH_BIND: '0.0.0.0', SLACK_WEBHOOK_FOR_SOMETHING_ELSE: 'x' };
    expect(readBotConfig(env).slack.mode).toBe('local');
    expect(strayVariables(env)).toEqual(['SLACK_WEBHOOK_FOR_SOMETHING_ELSE']);
  });

  it('enters local mode only with nothing of Slack or LMPI outside production, or when asked', () => {
    expect(readBotConfig({ NODE_ENV: 'development' }).slack.mode).toBe('local');
    expect(problems({ NODE_ENV: 'production' })).toContain(
      'SLACK_BOT_TOKEN: missing; NODE_ENV=production never falls back to local mode',
    );
    expect(problems(realLmpi)).toContain('SLACK_BOT_TOKEN: missing; LMPI_* is configured');
    expect(problems({ LOCAL_MODE: 'false' })).toContain('LOCAL_MODE=false forbids local mode');
    expect(readBotConfig({ ...realLmpi, LOCAL_MODE: 'true' })).toMatchObject({
      slack: { mode: 'local' },
      lmpi: { mode: 'remote' },
    });
    expect(readBotConfig({ NODE_ENV: 'production', LOCAL_MODE: 'true' }).slack.mode).toBe('local');
    expect(problems({ LOCAL_MODE: 'true', SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' })).toContain(
      'LOCAL_MODE: true, but SLACK_* is set too',
    );
    expect(problems({ LOCAL_MODE: 'yes' })).toContain('LOCAL_MODE must be true');
  });
});

describe('.env.example', () => {
  const example = readFileSync(new URL('../.env.example', import.meta.url), 'utf8');

  /** `docker run --env-file`: `#` starts a comment only at the start of a line; a value is the rest of the line, verbatim. */
  function dockerEnvFile(text: string): Record<string, string> {
    const env: Record<string, string> = {};
    for (const line of text.split('\n')) {
      const trimmed = line.trimStart();
      if (trimmed === '' || trimmed.startsWith('#')) continue;
      const equals = line.indexOf('=');
      env[line.slice(0, equals)] = line.slice(equals + 1);
    }
    return env;
  }

  it('starts the bot unchanged with docker run --env-file, compose and Node --env-file (no trailing comments)', () => {
    const docker = dockerEnvFile(example);
    expect(Object.entries(docker).filter(([, value]) => /\s#|^\s|\s$/.test(value))).toEqual([]);
    expect(readBotConfig(docker).slack.mode).toBe('local');
    const node = parseEnv(example);
    expect(node).toEqual(docker); // Node's parser reads the same values
    expect(readBotConfig(node).lmpi.mode).toBe('sandbox');
  });

  it('lists only variables the bot knows', () => {
    expect(strayVariables(dockerEnvFile(example))).toEqual([]);
    expect(() => readBotConfig(dockerEnvFile(example))).not.toThrow();
  });
});
