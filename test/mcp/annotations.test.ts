import { describe, expect, it } from 'vitest';
import { CLOSED_WORLD_TOOLS, toolAnnotations, WRITE_EFFECTS } from '../../src/mcp/annotations.js';
import { readTools, writeTools } from '../../src/tools/catalogue.js';

describe('toolAnnotations', () => {
  it('classifies every write tool of the catalogue by hand, and nothing else', () => {
    expect(Object.keys(WRITE_EFFECTS).sort()).toEqual(writeTools.map((t) => t.name).sort());
  });

  it('marks read tools read-only, non-destructive and idempotent', () => {
    for (const tool of readTools) {
      expect(toolAnnotations(tool), tool.name).toEqual({
        title: tool.title,
        readOnlyHint: true,
        destructiveHint: false,
        idempotentHint: true,
        openWorldHint: !CLOSED_WORLD_TOOLS.has(tool.name),
      });
    }
  });

  it('marks each write tool for what it does to PagerDuty', () => {
    const hints = Object.fromEntries(
      writeTools.map((t) => {
        const a = toolAnnotations(t);
        return [t.name, [a.readOnlyHint, a.destructiveHint, a.idempotentHint, a.openWorldHint]];
      }),
    );
    expect(hints).toEqual({
      create_incident: [false, false, false, true],
      update_incident: [false, true, true, true],
      escalate_incident: [false, true, false, true],
      add_incident_note: [false, false, false, true],
      merge_incidents: [false, true, true, true],
      snooze_incident: [false, true, false, true],
      reassign_incident: [false, true, true, true],
      add_responders: [false, false, false, true],
      post_status_update: [false, false, false, true],
    });
  });

  it('treats an unclassified write tool as destructive and not idempotent', () => {
    const base = writeTools[0];
    if (!base) throw new Error('no write tools');
    expect(toolAnnotations({ ...base, name: 'purge_everything' })).toMatchObject({
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: false,
    });
  });
});
