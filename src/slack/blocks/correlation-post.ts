/**
 * The correlation post: groups of related open incidents, the likely root cause of each, and **Merge** buttons
 * (with a confirm dialog) for the merge recommendations.
 */
import type { CorrelateResult } from '../../ai/contract.js';
import { encodeMerge } from '../action-values.js';
import { ActionId } from '../ids.js';
import { fallbackText, link, mrkdwn } from '../text.js';
import { type AiMeta, engineNote, incidentUrl, percent } from './ai-common.js';
import { actions, button, context, divider, section } from './kit.js';
import type { Block, MessagePayload } from './model.js';

/** What the post knows about each incident it mentions. */
export interface CorrelatedIncident {
  id: string;
  number: number | null;
  title: string;
}

const REASON_LABEL: Record<string, string> = {
  temporal: 'started together',
  same_service: 'same service',
  same_symptom: 'same symptom',
  dependency: 'dependency',
};

const MAX_GROUPS = 8;
const ID = /^[A-Z0-9]{1,20}$/;

/** Merge buttons share a prefix (`correlation_merge:<n>`): action ids must be unique within a block. */
export function mergeActionId(index: number): string {
  return `${ActionId.merge}:${index}`;
}

/** Matches every merge button's action id. */
export const MERGE_ACTION = new RegExp(`^${ActionId.merge}:\\d+$`);

function name(i: CorrelatedIncident | undefined, id: string): string {
  if (!i) return id;
  return i.number === null ? i.id : `#${i.number}`;
}

/** Builds the correlation post. `baseUrl` is any trusted PagerDuty incident URL (for links). */
export function buildCorrelationPost(
  result: CorrelateResult,
  incidents: readonly CorrelatedIncident[],
  meta: AiMeta,
  baseUrl: string | null,
): MessagePayload {
  const byId = new Map(incidents.map((i) => [i.id, i]));
  const blocks: Block[] = [];
  if (result.groups.length === 0) {
    blocks.push(
      section(
        `*✨ Correlation* · no related incidents found among ${incidents.length} open incident${incidents.length === 1 ? '' : 's'}.`,
      ),
    );
  } else {
    blocks.push(
      section(
        `*✨ Correlation* · ${result.groups.length} group${result.groups.length === 1 ? '' : 's'} of related incidents${result.ungroupedCount > 0 ? ` (${result.ungroupedCount} unrelated)` : ''}`,
      ),
    );
  }
  result.groups.slice(0, MAX_GROUPS).forEach((g, index) => {
    const root = byId.get(g.rootCauseIncidentId);
    const members = g.incidentIds
      .slice(0, 10)
      .map((id) => {
        const i = byId.get(id);
        const label = `${name(i, id)} ${i ? i.title : ''}`.trim();
        const marker = id === g.rootCauseIncidentId ? ' 🎯' : '';
        return `• ${link(incidentUrl(baseUrl, id), label, 120)}${marker}`;
      })
      .join('\n');
    const more = g.incidentIds.length > 10 ? `\n_+${g.incidentIds.length - 10} more_` : '';
    const reasons = g.reasons.map((r) => REASON_LABEL[r] ?? r).join(', ');
    blocks.push(divider());
    blocks.push(
      section(
        `*Group ${index + 1}* · ${reasons} · ${percent(g.confidence)} confident\n${mrkdwn(g.summary, 500)}\n*Likely root cause:* ${mrkdwn(`${name(root, g.rootCauseIncidentId)} ${root?.title ?? ''}`.trim(), 200)}\n${members}${more}`,
      ),
    );
  });
  if (result.groups.length > MAX_GROUPS) blocks.push(context([`_+${result.groups.length - MAX_GROUPS} more groups_`]));
  const merges = result.mergeRecommendations
    .map((m) => ({
      ...m,
      sourceIncidentIds: [...new Set(m.sourceIncidentIds)].filter((id) => id !== m.targetIncidentId && ID.test(id)),
    }))
    .filter((m) => ID.test(m.targetIncidentId) && m.sourceIncidentIds.length > 0)
    .slice(0, 5);
  if (merges.length > 0) {
    blocks.push(
      actions(
        merges.map((m, index) => {
          const target = name(byId.get(m.targetIncidentId), m.targetIncidentId);
          const sources = m.sourceIncidentIds.map((id) => name(byId.get(id), id));
          return button(`Merge ${sources.length} into ${target}`, mergeActionId(index), {
            value: encodeMerge(m.targetIncidentId, m.sourceIncidentIds),
            confirm: {
              title: `Merge into ${target}?`,
              text: `${sources.join(', ')} will be resolved and their alerts moved into ${target}. This cannot be undone. Reason: ${m.reason}`,
              confirm: 'Merge',
              danger: true,
            },
          });
        }),
      ),
    );
  }
  blocks.push(context([engineNote(meta)]));
  return {
    text: fallbackText(`Correlation: ${result.groups.length} group(s) of related incidents`),
    blocks,
  };
}
