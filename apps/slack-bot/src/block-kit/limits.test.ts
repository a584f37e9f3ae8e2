import { BLOCK_KIT_LIMITS } from '@licensewatch/slack-stand-in';
import { describe, expect, it } from 'vitest';
import { LIMITS } from './limits.js';

describe('Block Kit limits', () => {
  it('the output gate fits payloads into the same limits the Slack stand-in enforces', () => {
    expect(LIMITS).toEqual(BLOCK_KIT_LIMITS);
  });
});
