/**
 * The Slack front of incident-bot: `createSlackApp` (the Bolt app, its services and job handlers),
 * `registerJobHandlers` for the job worker, and the services other fronts bind to (card, thread, AI posts,
 * postmortem, incident channel).
 */
export { createSlackApp, type SlackApp, type SlackAppOptions } from './app.js';
export type { AckObserver, SlackDeps, SlackRuntime, SlackSettings, SlackStore, ToolObserver } from './deps.js';
export { JobKind, SLASH_COMMAND } from './ids.js';
export { registerJobHandlers, slackJobHandlers } from './jobs/handlers.js';
export { SLACK_EVENTS_PATH } from './receiver.js';
export {
  createSlackServices,
  type IncidentSide,
  postmortemKey,
  type SlackServices,
} from './services/index.js';
