// views.publish in the Slack stand-in: a Home tab view is checked as Slack checks it.
import { viewBlockViolations } from './block-kit-limits.js';

/** Slack's limits for a published view. */
export const VIEW_LIMITS = { bytes: 250_000 } as const;

type Published =
  | { ok: true; view: Record<string, unknown> }
  | { ok: false; error: string; response_metadata?: { messages: string[] } };

/**
 * Validates a views.publish call: a `user_id`, a `home` view of at most 250 kB and 100 blocks, every
 * block within Block Kit limits (`viewBlockViolations`).
 *
 * @example
 * ```ts
 * const result = publishHomeView({ user_id: 'U1', view: { type: 'home', blocks } })
 * ```
 */
export function publishHomeView(args: Record<string, unknown>): Published {
  if (typeof args.user_id !== 'string' || !args.user_id) return { ok: false, error: 'invalid_arguments' };
  const view = args.view as Record<string, unknown> | undefined;
  if (!view || typeof view !== 'object') return { ok: false, error: 'invalid_arguments' };
  if (view.type !== 'home')
    return {
      ok: false,
      error: 'invalid_arguments',
      response_metadata: { messages: ['[ERROR] view type must be home'] },
    };
  if (Buffer.byteLength(JSON.stringify(view)) > VIEW_LIMITS.bytes) return { ok: false, error: 'view_too_large' };
  const problems = viewBlockViolations(view.blocks);
  if (problems.length > 0)
    return { ok: false, error: 'invalid_blocks', response_metadata: { messages: problems.map((p) => `[ERROR] ${p}`) } };
  return { ok: true, view };
}
