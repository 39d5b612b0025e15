/**
 * The Slack workspace emulator: Slack's Web API, signed inbound requests to the bot, response_urls and a browser
 * console, on 127.0.0.1. See `startSlackEmulator`.
 */
export { BLOCK_LIMITS, type BlockSurface, validateBlocks, validateView } from './blockkit.js';
export { startSlackEmulator } from './emulator.js';
export { REQUIRED_FIELD_MESSAGE } from './interactions.js';
export { signSlackRequest, slackSignatureHeaders } from './signing.js';
export { parseSlackSnapshot, SLACK_SNAPSHOT_VERSION, type SlackWorkspaceSnapshot } from './snapshot.js';
export type {
  ApiCall,
  Bookmark,
  Channel,
  ClickButtonInput,
  ConsoleNotice,
  InboundError,
  InboundKind,
  InboundResult,
  Message,
  Reaction,
  SelectOptionInput,
  SidePanelAdapter,
  SlackBotOptions,
  SlackChannelSeed,
  SlackEmulator,
  SlackEmulatorChange,
  SlackEmulatorOptions,
  SlackUser,
  SlackUsergroupSeed,
  SlackUserSeed,
  SlashCommandInput,
  SubmitViewInput,
  View,
} from './types.js';
