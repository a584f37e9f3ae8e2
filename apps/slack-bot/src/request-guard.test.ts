import { isValidSlackRequest } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { isSignedBySlack } from './request-guard.js';

// Slack's documented example (api.slack.com, "Verifying requests from Slack").
const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const TIMESTAMP = 1531420618;
const BODY =
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const SIGNATURE = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';
const NOW = TIMESTAMP * 1000 + 30_000;

describe('isSignedBySlack', () => {
  it("accepts Slack's documented example, as Bolt does", () => {
    expect(isSignedBySlack(SECRET, BODY, SIGNATURE, TIMESTAMP, NOW)).toBe(true);
    expect(
      isValidSlackRequest({
        signingSecret: SECRET,
        body: BODY,
        headers: { 'x-slack-signature': SIGNATURE, 'x-slack-request-timestamp': TIMESTAMP },
        nowMilliseconds: NOW,
      }),
    ).toBe(true);
  });

  it('refuses what Bolt refuses: another body, secret, version or timestamp, a stale or missing timestamp', () => {
    expect(isSignedBySlack(SECRET, `${BODY}x`, SIGNATURE, TIMESTAMP, NOW)).toBe(false);
    expect(isSignedBySlack(`${SECRET}x`, BODY, SIGNATURE, TIMESTAMP, NOW)).toBe(false);
    expect(isSignedBySlack(SECRET, BODY, SIGNATURE.replace('v0=', 'v1='), TIMESTAMP, NOW)).toBe(false);
    expect(isSignedBySlack(SECRET, BODY, SIGNATURE, TIMESTAMP + 1, NOW)).toBe(false);
    expect(isSignedBySlack(SECRET, BODY, SIGNATURE.slice(0, -1), TIMESTAMP, NOW)).toBe(false);
    expect(isSignedBySlack(SECRET, BODY, SIGNATURE.toUpperCase(), TIMESTAMP, NOW)).toBe(false);
    expect(isSignedBySlack(SECRET, BODY, SIGNATURE, TIMESTAMP, (TIMESTAMP + 301) * 1000)).toBe(false);
    expect(isSignedBySlack(SECRET, BODY, SIGNATURE, Number.NaN, NOW)).toBe(false);
    expect(isSignedBySlack(SECRET, BODY, '', TIMESTAMP, NOW)).toBe(false);
  });
});
