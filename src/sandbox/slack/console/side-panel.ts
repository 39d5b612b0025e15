/// <reference lib="dom" />
/** The PagerDuty side panel: services, open incidents, who is on call, and the buttons that drive the simulator. */
import type { ConsoleState } from './api.js';
import { h } from './dom.js';

export interface SidePanelHandlers {
  trigger(input: { serviceId: string; title: string; urgency: 'high' | 'low' }): void;
  storm(count: number): void;
  acknowledge(incidentId: string): void;
  resolve(incidentId: string): void;
}

export function renderSidePanel(
  panel: NonNullable<ConsoleState['sidePanel']>,
  handlers: SidePanelHandlers,
): HTMLElement {
  const service = h(
    'select',
    { className: 'select', 'data-testid': 'pd-service' },
    ...panel.services.map((s) => h('option', { value: s.id }, s.name)),
  );
  const title = h('input', {
    className: 'text-input',
    'data-testid': 'pd-title',
    placeholder: 'Incident title',
    value: 'Checkout latency above SLO',
  });
  const urgency = h(
    'select',
    { className: 'select', 'data-testid': 'pd-urgency' },
    h('option', { value: 'high' }, 'High urgency'),
    h('option', { value: 'low' }, 'Low urgency'),
  );
  const count = h('input', {
    className: 'text-input narrow',
    type: 'number',
    min: 2,
    max: 500,
    value: 20,
    'data-testid': 'pd-storm-count',
  });
  const open = panel.incidents.filter((i) => i.status !== 'resolved');
  const resolved = panel.incidents.filter((i) => i.status === 'resolved').slice(0, 5);
  const row = (i: (typeof panel.incidents)[number]) =>
    h(
      'li',
      { className: `incident status-${i.status}`, 'data-testid': `pd-incident-${i.id}` },
      h(
        'div',
        { className: 'incident-title' },
        h('span', { className: `badge badge-${i.urgency}` }, i.urgency),
        ` #${i.number} ${i.title}`,
      ),
      h(
        'div',
        { className: 'incident-meta' },
        `${i.status} · ${i.service}${i.assignees.length > 0 ? ` · ${i.assignees.join(', ')}` : ''}`,
      ),
      i.status === 'resolved'
        ? null
        : h(
            'div',
            { className: 'incident-actions' },
            i.status === 'triggered'
              ? h(
                  'button',
                  {
                    className: 'btn btn-small',
                    'data-testid': `pd-ack-${i.id}`,
                    onclick: () => handlers.acknowledge(i.id),
                  },
                  'Acknowledge in PagerDuty',
                )
              : null,
            h(
              'button',
              {
                className: 'btn btn-small btn-danger',
                'data-testid': `pd-resolve-${i.id}`,
                onclick: () => handlers.resolve(i.id),
              },
              'Resolve in PagerDuty',
            ),
          ),
    );
  return h(
    'aside',
    { className: 'side-panel', 'data-testid': 'side-panel' },
    h('h2', {}, 'PagerDuty (simulator)'),
    h(
      'section',
      {},
      h('h3', {}, 'New incident'),
      service,
      title,
      urgency,
      h(
        'button',
        {
          className: 'btn btn-primary',
          'data-testid': 'pd-trigger',
          onclick: () =>
            handlers.trigger({
              serviceId: service.value,
              title: title.value,
              urgency: urgency.value === 'low' ? 'low' : 'high',
            }),
        },
        'Trigger incident',
      ),
      h(
        'div',
        { className: 'row' },
        count,
        h(
          'button',
          {
            className: 'btn btn-danger',
            'data-testid': 'pd-storm',
            onclick: () => handlers.storm(Number(count.value)),
          },
          'Alert storm',
        ),
      ),
    ),
    h(
      'section',
      {},
      h('h3', {}, `Open incidents (${open.length})`),
      h('ul', { className: 'incidents', 'data-testid': 'pd-incidents' }, ...open.map(row)),
    ),
    resolved.length > 0
      ? h('section', {}, h('h3', {}, 'Recently resolved'), h('ul', { className: 'incidents' }, ...resolved.map(row)))
      : null,
    h(
      'section',
      {},
      h('h3', {}, 'On call now'),
      h(
        'ul',
        { className: 'oncall', 'data-testid': 'pd-oncall' },
        ...panel.oncall.map((o) => h('li', {}, `${o.schedule} · L${o.level}: ${o.user}`)),
      ),
    ),
  );
}
