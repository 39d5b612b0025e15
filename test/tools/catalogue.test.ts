import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { getTool, readTools, tools, writeTools } from '../../src/tools/catalogue.js';

describe('the tool catalogue', () => {
  it('holds the read and write tools the fronts rely on, by name', () => {
    const names = (list: readonly { name: string }[]): string[] => list.map((t) => t.name).sort();
    expect(names(readTools)).toEqual(
      expect.arrayContaining([
        'find_user_by_email',
        'get_incident',
        'get_incident_timeline',
        'get_oncall',
        'get_service',
        'list_escalation_policies',
        'list_incident_alerts',
        'list_incident_notes',
        'list_incidents',
        'list_oncalls',
        'list_priorities',
        'list_services',
      ]),
    );
    expect(names(writeTools)).toEqual(
      expect.arrayContaining([
        'add_incident_note',
        'add_responders',
        'create_incident',
        'escalate_incident',
        'merge_incidents',
        'post_status_update',
        'reassign_incident',
        'snooze_incident',
        'update_incident',
      ]),
    );
    expect(readTools.length + writeTools.length).toBe(tools.length);
  });

  it('finds tools by name and nothing else', () => {
    expect(getTool('get_incident')?.access).toBe('read');
    expect(getTool('escalate_incident')?.access).toBe('write');
    expect(getTool('drop_database')).toBeUndefined();
  });

  it('gives every tool JSON schemas a model or an MCP client can use, within a size budget', () => {
    let inputs = 0;
    let outputs = 0;
    for (const tool of tools) {
      const input = z.toJSONSchema(tool.input, { io: 'input' }) as {
        type?: string;
        properties?: Record<string, { description?: string }>;
      };
      expect(input.type, tool.name).toBe('object');
      for (const [key, property] of Object.entries(input.properties ?? {})) {
        expect(property.description, `${tool.name}.${key}`).toBeTruthy();
      }
      inputs += JSON.stringify(input).length + tool.description.length;
      outputs += JSON.stringify(z.toJSONSchema(tool.output, { io: 'output' })).length;
    }
    // What a model's tool list carries (name, description, input schema) stays small; PagerDuty's MCP server
    // allows itself 150K characters. Output schemas (MCP outputSchema) get their own budget.
    expect(inputs).toBeLessThan(40_000);
    expect(outputs).toBeLessThan(80_000);
  });
});
