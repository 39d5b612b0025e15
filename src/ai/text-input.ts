/** Turns a bare text (batch classification, evaluation) into a triage input with no service or urgency hints. */
import type { TriageInput } from './schemas/inputs.js';

export interface TextItem {
  id: string;
  title?: string | undefined;
  text: string;
}

/**
 * The incident a text stands for: the title (or the first line of the text) as title, the rest as description,
 * an unspecified service, and no urgency or priority hints, so only the words decide.
 */
export function textToTriageInput(item: TextItem, nowIso: string): TriageInput {
  const text = item.text.trim();
  const firstLine = text.split('\n', 1)[0] ?? '';
  const title = (item.title?.trim() || firstLine).slice(0, 20_000);
  const description = item.title?.trim() ? text : text.slice(firstLine.length).trim();
  return {
    incident: {
      id: item.id.slice(0, 200) || 'item',
      title,
      description: description.slice(0, 200_000),
      status: 'triggered',
      service: { id: 'unspecified', name: '' },
      createdAt: nowIso,
    },
  };
}
