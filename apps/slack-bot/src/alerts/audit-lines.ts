// Audit entries as people read them in Slack: a date token (shown in each reader's time zone),
// who, and what changed in words - never raw JSON.

import type { AuditEntry } from '@licensewatch/store';
import { escapeMrkdwn, formatCount } from '../block-kit/format.js';
import { dataName } from '../block-kit/mrkdwn.js';
import { slackDate } from '../block-kit/slack-dates.js';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** A stored audit value in words: levels, a mute's end, an acknowledgement, a count. */
function describe(value: unknown): string {
  if (value === null || value === undefined) return 'none';
  if (!isObject(value)) return escapeMrkdwn(String(value));
  if (typeof value.low === 'number' && typeof value.critical === 'number')
    return `low ≤ ${formatCount(value.low)}, critical ≤ ${formatCount(value.critical)}`;
  if (typeof value.until === 'string') {
    const at = Date.parse(value.until);
    return Number.isNaN(at) ? 'muted' : `muted until ${slackDate(at)}`;
  }
  if (typeof value.acknowledged === 'boolean') return value.acknowledged ? 'acknowledged' : 'not acknowledged';
  if (typeof value.requeued === 'number') return `${formatCount(value.requeued)} re-queued`;
  return 'changed';
}

const VERBS: Record<string, string> = {
  'threshold.set': 'set the levels of',
  'threshold.clear': 'cleared the levels of',
  'alert.acknowledge': 'acknowledged',
  'alert.mute': 'muted',
  'alert.unmute': 'unmuted',
  'alerts.retry': 're-queued',
};

/**
 * One readable audit line, e.g. `<!date^…> <@U0123> set the levels of *NNZBXXE1X*: low ≤ 600,
 * critical ≤ 100 (was: none)`.
 *
 * @example
 * ```ts
 * const lines = (await store.rules.recentAudit(5)).map(auditLine)
 * ```
 */
export function auditLine(entry: AuditEntry): string {
  const verb = VERBS[entry.action] ?? escapeMrkdwn(entry.action);
  const what = `*${dataName(entry.target)}*`;
  const now = describe(entry.newValue);
  const was = describe(entry.oldValue);
  const detail =
    entry.action === 'alerts.retry' || entry.action === 'alert.acknowledge' ? '' : `: ${now} (was: ${was})`;
  return `${slackDate(entry.at)} <@${entry.actor}> ${verb} ${what}${detail}`;
}
