/// <reference lib="dom" />
/** The open modal (top of the user's view stack): its blocks, inputs, errors, Submit and Close. */
import type { ConsoleView } from './api.js';
import { h } from './dom.js';
import { type RenderContext, renderBlocks } from './render-blocks.js';

export interface ModalHandlers {
  submit(viewId: string, values: Record<string, Record<string, unknown>>): void;
  close(viewId: string): void;
}

/** Reads what the user entered, as `block_id → action_id → value` (unset selects are left out). */
function collect(inputs: Map<string, Map<string, () => unknown>>): Record<string, Record<string, unknown>> {
  const values: Record<string, Record<string, unknown>> = {};
  for (const [blockId, actions] of inputs) {
    for (const [actionId, read] of actions) {
      const value = read();
      if (value === undefined) continue;
      values[blockId] = { ...values[blockId], [actionId]: value };
    }
  }
  return values;
}

export function renderModal(
  view: ConsoleView,
  depth: number,
  ctx: Omit<RenderContext, 'inputs' | 'errors'>,
  handlers: ModalHandlers,
): HTMLElement {
  const inputs = new Map<string, Map<string, () => unknown>>();
  const body = renderBlocks(view.blocks, { ...ctx, inputs, errors: view.errors });
  const submit = view.submit
    ? h(
        'button',
        {
          className: 'btn btn-primary',
          'data-testid': 'modal-submit',
          onclick: () => handlers.submit(view.id, collect(inputs)),
        },
        view.submit.text,
      )
    : null;
  return h(
    'div',
    { className: 'overlay', 'data-testid': 'modal', 'data-view-id': view.id },
    h(
      'div',
      { className: 'modal', role: 'dialog', 'aria-modal': 'true' },
      h(
        'div',
        { className: 'modal-header' },
        h('h2', { 'data-testid': 'modal-title' }, view.title?.text ?? ''),
        depth > 1 ? h('span', { className: 'modal-depth' }, `${depth} / 3`) : null,
        h(
          'button',
          {
            className: 'btn btn-close',
            title: 'Close',
            'data-testid': 'modal-x',
            onclick: () => handlers.close(view.id),
          },
          '✕',
        ),
      ),
      h('div', { className: 'modal-body' }, body),
      h(
        'div',
        { className: 'modal-footer' },
        h(
          'button',
          { className: 'btn', 'data-testid': 'modal-close', onclick: () => handlers.close(view.id) },
          view.close?.text ?? 'Cancel',
        ),
        submit,
      ),
    ),
  );
}
