import { describe, expect, it } from 'vitest';
import { renderPretty, renderTable } from '../../src/cli/render.js';

describe('renderPretty', () => {
  it('renders a list result as an aligned table with its summary', () => {
    const text = renderPretty({
      items: [
        {
          id: 'P1',
          title: 'Disk full',
          service: { id: 'S1', name: 'db' },
          assignees: [{ id: 'U1', name: 'Jane' }],
          html_url: 'x',
        },
        { id: 'P22', title: 'CPU', service: { id: 'S2', name: 'api' }, assignees: [] },
      ],
      truncated: false,
      summary: '2 incidents',
    });
    expect(text).toBe(
      [
        'ID   TITLE      SERVICE  ASSIGNEES',
        'P1   Disk full  db       Jane',
        'P22  CPU        api',
        '',
        '2 incidents',
      ].join('\n'),
    );
  });

  it('renders an object as key: value lines, naming references with their id and expanding the rest', () => {
    const text = renderPretty({
      id: 'P1',
      service: { id: 'S1', name: 'db' },
      note: { id: 'N1', content: 'hello', author: null },
      levels: [{ level: 1, oncalls: [{ user: { id: 'U1', name: 'Jane' }, start: null }] }],
    });
    expect(text).toBe(
      [
        'id: P1',
        'service: db (S1)',
        'note:',
        '  id: N1',
        '  content: hello',
        '  author: ',
        'levels:',
        '  LEVEL  ONCALLS',
        '  1      Jane',
      ].join('\n'),
    );
  });

  it('cuts long cells and says when a list is empty', () => {
    expect(renderTable([{ t: 'x'.repeat(100) }]).split('\n')[1]).toHaveLength(60);
    expect(renderTable([])).toBe('(none)');
  });
});
