/** Registers every listener of the Slack front on a Bolt app. */
import type { App } from '@slack/bolt';
import { registerAcknowledgeAction, registerEscalateAction } from './actions/card-actions.js';
import {
  registerAiButton,
  registerLinkButtons,
  registerOpenChannelButton,
  registerOverflowMenu,
  registerResolveButton,
  registerShowButton,
} from './actions/card-menus.js';
import { registerExportPostmortem, registerRegeneratePostmortem } from './actions/postmortem-actions.js';
import { registerRunbookCheck } from './actions/runbook-check.js';
import {
  registerApplyUrgency,
  registerMerge,
  registerPageResponder,
  registerTriageEscalate,
} from './actions/suggestion-actions.js';
import { registerIncidentCommand } from './commands/incident-command.js';
import { registerAppMention } from './events/app-mention.js';
import { registerChannelMessages } from './events/channel-messages.js';
import { registerMemberJoined } from './events/member-joined.js';
import { registerPinReaction } from './events/pin-reaction.js';
import type { ListenerDeps } from './shared.js';
import { registerDeclareSubmission } from './views/declare-submission.js';
import {
  registerNoteSubmission,
  registerReassignSubmission,
  registerResolveSubmission,
  registerSnoozeSubmission,
  registerStatusUpdateSubmission,
} from './views/incident-forms.js';

export function registerListeners(app: App, deps: ListenerDeps): void {
  registerIncidentCommand(app, deps);

  registerAcknowledgeAction(app, deps);
  registerEscalateAction(app, deps);
  registerResolveButton(app, deps);
  registerAiButton(app, deps);
  registerOverflowMenu(app, deps);
  registerOpenChannelButton(app, deps);
  registerShowButton(app, deps);
  registerLinkButtons(app);
  registerApplyUrgency(app, deps);
  registerTriageEscalate(app, deps);
  registerMerge(app, deps);
  registerPageResponder(app, deps);
  registerRegeneratePostmortem(app, deps);
  registerExportPostmortem(app, deps);
  registerRunbookCheck(app, deps);

  registerDeclareSubmission(app, deps);
  registerResolveSubmission(app, deps);
  registerNoteSubmission(app, deps);
  registerSnoozeSubmission(app, deps);
  registerReassignSubmission(app, deps);
  registerStatusUpdateSubmission(app, deps);

  registerChannelMessages(app, deps);
  registerPinReaction(app, deps);
  registerAppMention(app, deps);
  registerMemberJoined(app, deps);
}
