// A strict local Slack: what licensewatch's local mode, tests and benchmarks talk to instead of
// slack.com. Not a production dependency of the bot: it loads this only in local mode.
export { blockKitViolations, LIMITS as BLOCK_KIT_LIMITS, viewBlockViolations } from './block-kit-limits.js';
export type { FileStore, StoredFile } from './files.js';
export type { LocalUser } from './local-view/local-view.js';
export { manifestBotScopes } from './manifest.js';
export type { AppEndpoint } from './outbound.js';
export type { Limit, Tier } from './rate-limits.js';
export { RateLimits, tierLimit } from './rate-limits.js';
export { renderMessageText } from './render-text.js';
export type {
  CallFault,
  ChannelSpec,
  InjectedFailure,
  ReceivedMessage,
  RefusedCall,
  SlackStandIn,
  SlackStandInOptions,
} from './stand-in.js';
export { startSlackStandIn } from './stand-in.js';
