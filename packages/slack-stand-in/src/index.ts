// A strict local Slack: what licensewatch's local mode, tests and benchmarks talk to instead of
// slack.com. Not a production dependency of the bot: it loads this only in local mode.
export { blockKitViolations, LIMITS as BLOCK_KIT_LIMITS, viewBlockViolations } from './block-kit-limits.js';
export type { FileStore, StoredFile } from './files.js';
export type { LocalUser } from './local-view/local-view.js';
export { RESPONSE_URL_LIMIT } from './local-view/local-view.js';
export { manifestBotScopes } from './manifest.js';
export type { AppEndpoint } from './outbound.js';
export { ACK_DEADLINE_MS } from './outbound.js';
export type { Limit, Tier } from './rate-limits.js';
export { POST_PER_CHANNEL, RateLimits, TIER_PER_MINUTE, tierLimit } from './rate-limits.js';
export { plainText, renderMessageText } from './render-text.js';
export type {
  CallFault,
  ChannelSpec,
  InjectedFailure,
  ReceivedMessage,
  RefusedCall,
  SlackStandIn,
  SlackStandInOptions,
} from './stand-in.js';
export { STAND_IN_BOT, STAND_IN_BOT_TOKEN, STAND_IN_USER, startSlackStandIn } from './stand-in.js';
export { VIEW_LIMITS } from './views.js';
