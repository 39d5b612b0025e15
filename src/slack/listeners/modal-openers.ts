/**
 * Opening modals within Slack's 3-second trigger window: the modal opens at once in a loading state (no PagerDuty
 * call before `views.open`), then `views.update` fills it from PagerDuty, or says what failed.
 */
import type { IncidentBrief } from '../blocks/ai-common.js';
import { context, section } from '../blocks/kit.js';
import {
  buildNoteModal,
  buildReassignModal,
  buildResolveModal,
  buildSnoozeModal,
  buildStatusUpdateModal,
  type ModalMetadata,
} from '../blocks/modals.js';
import type { ModalView } from '../blocks/model.js';
import { fetchIncident, toBrief, toIncidentView } from '../incident-view.js';
import { plain, plainText } from '../text.js';
import { asSlackError } from '../web-client.js';
import { failureText, type ListenerDeps } from './shared.js';

export function loadingModal(title: string, text = '⏳ Loading from PagerDuty…'): ModalView {
  return {
    type: 'modal',
    callback_id: 'loading',
    title: plainText(plain(title, 24)),
    close: plainText('Close'),
    blocks: [section(text)],
  };
}

function errorModal(title: string, text: string): ModalView {
  return {
    type: 'modal',
    callback_id: 'error',
    title: plainText(plain(title, 24)),
    close: plainText('Close'),
    blocks: [section(`⚠️ ${text}`), context(['Nothing was changed.'])],
  };
}

/** Opens `loading` now, then replaces it with what `load` builds (or an error view). Returns the view id. */
export async function openThenLoad(
  deps: ListenerDeps,
  triggerId: string,
  loading: ModalView,
  what: string,
  load: () => Promise<ModalView>,
): Promise<string | null> {
  let viewId: string | null = null;
  try {
    const res = (await deps.rt.client.views.open({ trigger_id: triggerId, view: loading as never })) as {
      view?: { id?: string };
    };
    viewId = res.view?.id ?? null;
  } catch (error) {
    throw asSlackError('views.open', error);
  }
  if (!viewId) return null;
  let view: ModalView;
  try {
    view = await load();
  } catch (error) {
    view = errorModal(loading.title.text, failureText(what, error));
  }
  try {
    await deps.rt.client.views.update({ view_id: viewId, view: view as never });
  } catch (error) {
    deps.rt.logger.warn({ err: asSlackError('views.update', error) }, 'could not fill the modal');
  }
  return viewId;
}

/** An incident id, or a function that finds it (run after the modal opened, e.g. a `#number` lookup). */
export type IncidentTarget = string | (() => Promise<string>);

async function brief(deps: ListenerDeps, target: IncidentTarget): Promise<IncidentBrief> {
  const incidentId = typeof target === 'string' ? target : await target();
  const incident = await fetchIncident(deps.services.runner, incidentId);
  deps.services.resolver.remember(incident.number, incident.id);
  return toBrief(toIncidentView(incident));
}

export function openResolveModal(
  deps: ListenerDeps,
  triggerId: string,
  incidentId: IncidentTarget,
  meta: ModalMetadata,
  note: string | null,
): Promise<string | null> {
  return openThenLoad(deps, triggerId, loadingModal('Resolve'), 'load the incident', async () =>
    buildResolveModal(await brief(deps, incidentId), note, meta),
  );
}

export function openNoteModal(deps: ListenerDeps, triggerId: string, incidentId: IncidentTarget, meta: ModalMetadata) {
  return openThenLoad(deps, triggerId, loadingModal('Add note'), 'load the incident', async () =>
    buildNoteModal(await brief(deps, incidentId), meta),
  );
}

export function openSnoozeModal(
  deps: ListenerDeps,
  triggerId: string,
  incidentId: IncidentTarget,
  meta: ModalMetadata,
) {
  return openThenLoad(deps, triggerId, loadingModal('Snooze'), 'load the incident', async () =>
    buildSnoozeModal(await brief(deps, incidentId), meta),
  );
}

export function openReassignModal(
  deps: ListenerDeps,
  triggerId: string,
  incidentId: IncidentTarget,
  meta: ModalMetadata,
) {
  return openThenLoad(deps, triggerId, loadingModal('Reassign'), 'load the incident', async () =>
    buildReassignModal(await brief(deps, incidentId), meta),
  );
}

/** The status update editor, with an AI draft from `analyze_incident` (or an empty editor if the AI fails). */
export function openStatusUpdateModal(
  deps: ListenerDeps,
  triggerId: string,
  incidentId: IncidentTarget,
  meta: ModalMetadata,
  draft: (incident: IncidentBrief) => Promise<string>,
) {
  return openThenLoad(
    deps,
    triggerId,
    loadingModal('Status update', '⏳ Drafting an update…'),
    'load the incident',
    async () => {
      const b = await brief(deps, incidentId);
      try {
        return buildStatusUpdateModal(b, await draft(b), meta);
      } catch (error) {
        return buildStatusUpdateModal(
          b,
          '',
          meta,
          `The AI draft failed (${failureText('draft', error)}); write the update yourself.`,
        );
      }
    },
  );
}
