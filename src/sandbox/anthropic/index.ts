/**
 * The Anthropic Messages API emulator for tests (scripted) and the sandbox (auto). See `startAnthropicEmulator`.
 */
export { createAutoResponder } from './auto-responder.js';
export { type AnthropicEmulator, type AnthropicEmulatorOptions, startAnthropicEmulator } from './server.js';
export {
  API_ERRORS,
  apiError,
  type ContentBlock,
  jsonAnswer,
  type RecordedRequest,
  type ScriptedResponse,
  type StopReason,
  textAnswer,
  toolCall,
} from './wire.js';
