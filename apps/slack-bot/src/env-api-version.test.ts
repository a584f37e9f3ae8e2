import { describe, expect, it } from 'vitest';
import { ConfigError, readBotConfig } from './env.js';

// LMPI without Slack is not a local trial unless asked for: LOCAL_MODE=true keeps Slack local.
const remote = {
  LOCAL_MODE: 'true',
  LMPI_BASE_URL: 'https://cspi.trendmicro.com',
  LMPI_ACCESS_TOKEN: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
  LMPI_SECRET_KEY: 'example-secret-not-logged',
};

function problems(env: NodeJS.ProcessEnv): string {
  try {
    readBotConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('LMPI_API_VERSION', () => {
  it('speaks v2 unless v3 is chosen, for a real LMPI and for the embedded sandbox alike', () => {
    expect(readBotConfig(remote).lmpi.apiVersion ?? 'v2').toBe('v2');
    expect(readBotConfig({ ...remote, LMPI_API_VERSION: 'v3' }).lmpi).toEqual({
      mode: 'remote',
      baseUrl: 'https://cspi.trendmicro.com',
      accessToken: remote.LMPI_ACCESS_TOKEN,
      secretKey: remote.LMPI_SECRET_KEY,
      apiVersion: 'v3',
    });
    expect(readBotConfig({ LMPI_API_VERSION: 'v3' }).lmpi).toEqual({ mode: 'sandbox', apiVersion: 'v3' });
    expect(readBotConfig({ LMPI_API_VERSION: 'v2' }).lmpi).toEqual({ mode: 'sandbox' });
  });

  it('refuses any other value, naming the allowed ones, with the other problems at once and no secret', () => {
    const message = problems({ ...remote, LMPI_API_VERSION: '3', PORT: 'eighty' });
    expect(message).toContain('LMPI_API_VERSION must be v2 or v3');
    expect(message).toContain('got "3"');
    expect(message).toContain('PORT');
    expect(message).not.toContain(remote.LMPI_SECRET_KEY);
    expect(problems({ LMPI_API_VERSION: 'v2.5' })).toContain('LMPI_API_VERSION must be v2 or v3');
  });
});
