/// <reference lib="dom" />
/**
 * Block Kit → DOM, as Slack draws it: header, section (text, fields, accessory), divider, context, actions (button
 * styles, confirm dialogs, overflow menus, selects), image (as a link), rich_text, input (in modals), markdown.
 * Every string goes in as text.
 */
import type { ConsoleChannel, ConsoleUser } from './api.js';
import { append, h, link } from './dom.js';
import { type MrkdwnNode, parseMrkdwn } from './mrkdwn.js';

type Json = Record<string, unknown>;

/** What the user did to an interactive element. */
export interface ElementAction {
  kind: 'click' | 'select';
  actionId: string;
  blockId: string;
  value?: string | string[];
}

export interface RenderContext {
  users: ConsoleUser[];
  channels: ConsoleChannel[];
  /** Called for clicks and selections in messages and in modal action blocks. */
  onAction(action: ElementAction): void;
  /** The overflow menu open right now (`blockId/actionId`), kept open across re-renders. */
  openMenu?: string;
  setOpenMenu(key: string | undefined): void;
  /** Modal inputs register how to read their value here (`blockId` → `actionId` → reader). */
  inputs?: Map<string, Map<string, () => unknown>>;
  /** Errors under modal inputs, by block_id. */
  errors?: Record<string, string>;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function userName(ctx: RenderContext, id: string): string {
  return ctx.users.find((u) => u.id === id)?.name ?? id;
}

function channelName(ctx: RenderContext, id: string): string {
  return ctx.channels.find((c) => c.id === id)?.name ?? id;
}

function mrkdwnNodes(nodes: readonly MrkdwnNode[], ctx: RenderContext): Node[] {
  return nodes.map((node): Node => {
    switch (node.type) {
      case 'text':
        return document.createTextNode(node.text);
      case 'bold':
        return h('b', {}, ...mrkdwnNodes(node.children, ctx));
      case 'italic':
        return h('i', {}, ...mrkdwnNodes(node.children, ctx));
      case 'strike':
        return h('s', {}, ...mrkdwnNodes(node.children, ctx));
      case 'code':
        return h('code', {}, node.text);
      case 'pre':
        return h('pre', {}, node.text);
      case 'quote':
        return h('blockquote', {}, ...mrkdwnNodes(node.children, ctx));
      case 'link':
        return link(node.url, node.label);
      case 'user':
        return h('span', { className: 'mention' }, `@${node.label ?? userName(ctx, node.id)}`);
      case 'channel':
        return h('span', { className: 'mention' }, `#${node.label ?? channelName(ctx, node.id)}`);
      case 'usergroup':
        return h('span', { className: 'mention' }, node.label ?? `@${node.id}`);
      case 'broadcast':
        return h('span', { className: 'mention broadcast' }, `@${node.range}`);
      case 'date':
        return document.createTextNode(node.text);
      case 'emoji':
        return h('span', { className: 'emoji', title: `:${node.name}:` }, node.char ?? `:${node.name}:`);
      case 'br':
        return h('br');
      default:
        return document.createTextNode('');
    }
  });
}

/** Renders mrkdwn text safely. */
export function renderMrkdwn(text: string, ctx: RenderContext): HTMLElement {
  return h('span', { className: 'mrkdwn' }, ...mrkdwnNodes(parseMrkdwn(text), ctx));
}

/** A text object: plain_text verbatim, mrkdwn rendered. */
export function renderText(value: unknown, ctx: RenderContext): Node {
  if (!isObject(value)) return document.createTextNode('');
  if (value.type === 'mrkdwn') return renderMrkdwn(str(value.text), ctx);
  return document.createTextNode(str(value.text));
}

function confirmDialog(confirm: Json, ctx: RenderContext, onYes: () => void): void {
  const close = (): void => overlay.remove();
  const overlay = h(
    'div',
    { className: 'overlay', 'data-testid': 'confirm-dialog' },
    h(
      'div',
      { className: 'dialog', role: 'dialog' },
      h('h3', {}, str(isObject(confirm.title) ? confirm.title.text : 'Are you sure?')),
      h('p', {}, renderText(confirm.text, ctx)),
      h(
        'div',
        { className: 'dialog-buttons' },
        h(
          'button',
          { className: 'btn', 'data-testid': 'confirm-no', onclick: close },
          str(isObject(confirm.deny) ? confirm.deny.text : 'Cancel'),
        ),
        h(
          'button',
          {
            className: `btn ${confirm.style === 'danger' ? 'btn-danger' : 'btn-primary'}`,
            'data-testid': 'confirm-yes',
            onclick: () => {
              close();
              onYes();
            },
          },
          str(isObject(confirm.confirm) ? confirm.confirm.text : 'Yes'),
        ),
      ),
    ),
  );
  document.body.appendChild(overlay);
}

function optionsOf(element: Json): Json[] {
  const out: Json[] = [];
  if (Array.isArray(element.options)) for (const o of element.options) if (isObject(o)) out.push(o);
  if (Array.isArray(element.option_groups)) {
    for (const g of element.option_groups)
      if (isObject(g) && Array.isArray(g.options)) for (const o of g.options) if (isObject(o)) out.push(o);
  }
  return out;
}

function optionText(option: Json): string {
  return isObject(option.text) ? str(option.text.text) : '';
}

function placeholder(element: Json, fallback: string): string {
  return isObject(element.placeholder) ? str(element.placeholder.text) : fallback;
}

/** A native select over choices; `dispatch` sends block_actions on change (not for modal inputs). */
function select(
  element: Json,
  blockId: string,
  ctx: RenderContext,
  choices: Array<{ value: string; label: string }>,
  initial: string[],
  dispatch: boolean,
  multiple: boolean,
): HTMLSelectElement {
  const actionId = str(element.action_id);
  const el = h('select', {
    className: 'select',
    'data-testid': dispatch ? `select-${actionId}` : `input-${blockId}-${actionId}`,
    'data-action-id': actionId,
    multiple,
  });
  if (!multiple)
    el.appendChild(
      h('option', { value: '', disabled: true, selected: initial.length === 0 }, placeholder(element, 'Select…')),
    );
  for (const choice of choices) {
    el.appendChild(h('option', { value: choice.value, selected: initial.includes(choice.value) }, choice.label));
  }
  if (dispatch) {
    el.addEventListener('change', () => {
      const value = multiple ? [...el.selectedOptions].map((o) => o.value) : el.value;
      const go = (): void => ctx.onAction({ kind: 'select', actionId, blockId, value });
      if (isObject(element.confirm)) confirmDialog(element.confirm, ctx, go);
      else go();
    });
  }
  return el;
}

function humans(ctx: RenderContext): Array<{ value: string; label: string }> {
  return ctx.users.filter((u) => !u.isBot).map((u) => ({ value: u.id, label: `${u.realName} (@${u.name})` }));
}

function conversations(ctx: RenderContext): Array<{ value: string; label: string }> {
  return ctx.channels.filter((c) => !c.isIm).map((c) => ({ value: c.id, label: `#${c.name}` }));
}

function register(ctx: RenderContext, blockId: string, actionId: string, read: () => unknown): void {
  if (!ctx.inputs) return;
  const block = ctx.inputs.get(blockId) ?? new Map<string, () => unknown>();
  block.set(actionId, read);
  ctx.inputs.set(blockId, block);
}

/** One interactive element. `inInput` = inside a modal input block (collected on submit, not dispatched). */
export function renderElement(element: unknown, blockId: string, ctx: RenderContext, inInput = false): Node {
  if (!isObject(element)) return document.createTextNode('');
  const actionId = str(element.action_id);
  const type = str(element.type);
  const dispatch = !inInput;
  switch (type) {
    case 'button': {
      const style = element.style === 'primary' ? ' btn-primary' : element.style === 'danger' ? ' btn-danger' : '';
      return h(
        'button',
        {
          className: `btn${style}`,
          'data-testid': `action-${actionId}`,
          'data-action-id': actionId,
          onclick: () => {
            const url = str(element.url);
            const go = (): void => {
              if (url !== '') window.open(url, '_blank', 'noopener');
              ctx.onAction({
                kind: 'click',
                actionId,
                blockId,
                ...(typeof element.value === 'string' ? { value: element.value } : {}),
              });
            };
            if (isObject(element.confirm)) confirmDialog(element.confirm, ctx, go);
            else go();
          },
        },
        isObject(element.text) ? str(element.text.text) : '',
      );
    }
    case 'overflow': {
      const key = `${blockId}/${actionId}`;
      const open = ctx.openMenu === key;
      const menu = h(
        'div',
        { className: 'menu', hidden: !open, 'data-testid': `menu-${actionId}` },
        ...optionsOf(element).map((option) =>
          h(
            'button',
            {
              className: 'menu-item',
              'data-testid': `option-${str(option.value)}`,
              onclick: () => {
                ctx.setOpenMenu(undefined);
                menu.hidden = true;
                if (str(option.url) !== '') window.open(str(option.url), '_blank', 'noopener');
                const go = (): void => ctx.onAction({ kind: 'select', actionId, blockId, value: str(option.value) });
                if (isObject(element.confirm)) confirmDialog(element.confirm, ctx, go);
                else go();
              },
            },
            optionText(option),
          ),
        ),
      );
      return h(
        'span',
        { className: 'overflow' },
        h(
          'button',
          {
            className: 'btn btn-overflow',
            title: 'More actions',
            'data-testid': `overflow-${actionId}`,
            'data-action-id': actionId,
            onclick: () => {
              const nowOpen = menu.hidden;
              menu.hidden = !nowOpen;
              ctx.setOpenMenu(nowOpen ? key : undefined);
            },
          },
          '⋯',
        ),
        menu,
      );
    }
    case 'static_select':
    case 'external_select':
    case 'multi_static_select':
    case 'multi_external_select': {
      const multiple = type.startsWith('multi_');
      const initial = (
        multiple ? (Array.isArray(element.initial_options) ? element.initial_options : []) : [element.initial_option]
      )
        .filter(isObject)
        .map((o) => str(o.value));
      const el = select(
        element,
        blockId,
        ctx,
        optionsOf(element).map((o) => ({ value: str(o.value), label: optionText(o) })),
        initial,
        dispatch,
        multiple,
      );
      register(ctx, blockId, actionId, () =>
        multiple ? [...el.selectedOptions].map((o) => o.value) : el.value || undefined,
      );
      return el;
    }
    case 'users_select':
    case 'multi_users_select': {
      const multiple = type === 'multi_users_select';
      const initial = multiple
        ? Array.isArray(element.initial_users)
          ? element.initial_users.map(String)
          : []
        : [str(element.initial_user)];
      const el = select(element, blockId, ctx, humans(ctx), initial, dispatch, multiple);
      register(ctx, blockId, actionId, () =>
        multiple ? [...el.selectedOptions].map((o) => o.value) : el.value || undefined,
      );
      return el;
    }
    case 'conversations_select':
    case 'channels_select':
    case 'multi_conversations_select':
    case 'multi_channels_select': {
      const multiple = type.startsWith('multi_');
      const initialKey =
        type === 'conversations_select' ? 'initial_conversation' : type === 'channels_select' ? 'initial_channel' : '';
      const initialList = multiple
        ? (element.initial_conversations ?? element.initial_channels)
        : [element[initialKey]];
      const initial = Array.isArray(initialList) ? initialList.map(String) : [];
      const el = select(element, blockId, ctx, conversations(ctx), initial, dispatch, multiple);
      register(ctx, blockId, actionId, () =>
        multiple ? [...el.selectedOptions].map((o) => o.value) : el.value || undefined,
      );
      return el;
    }
    case 'radio_buttons':
    case 'checkboxes': {
      const radio = type === 'radio_buttons';
      const initial = (
        radio ? [element.initial_option] : Array.isArray(element.initial_options) ? element.initial_options : []
      )
        .filter(isObject)
        .map((o) => str(o.value));
      const name = `${blockId}-${actionId}`;
      const boxes: HTMLInputElement[] = [];
      const group = h(
        'div',
        { className: 'choices', 'data-testid': `input-${blockId}-${actionId}` },
        ...optionsOf(element).map((option) => {
          const box = h('input', {
            type: radio ? 'radio' : 'checkbox',
            name,
            value: str(option.value),
            checked: initial.includes(str(option.value)),
          });
          boxes.push(box);
          if (dispatch) {
            box.addEventListener('change', () => {
              const value = radio ? box.value : boxes.filter((b) => b.checked).map((b) => b.value);
              ctx.onAction({ kind: 'select', actionId, blockId, value });
            });
          }
          return h('label', { className: 'choice' }, box, ' ', renderText(option.text, ctx));
        }),
      );
      register(ctx, blockId, actionId, () =>
        radio ? boxes.find((b) => b.checked)?.value : boxes.filter((b) => b.checked).map((b) => b.value),
      );
      return group;
    }
    case 'datepicker':
    case 'timepicker': {
      const el = h('input', {
        type: type === 'datepicker' ? 'date' : 'time',
        className: 'text-input',
        'data-testid': dispatch ? `select-${actionId}` : `input-${blockId}-${actionId}`,
        value: str(type === 'datepicker' ? element.initial_date : element.initial_time),
      });
      if (dispatch)
        el.addEventListener('change', () => ctx.onAction({ kind: 'select', actionId, blockId, value: el.value }));
      register(ctx, blockId, actionId, () => el.value || undefined);
      return el;
    }
    case 'image':
      return link(str(element.image_url), `🖼 ${str(element.alt_text)}`);
    default: {
      // plain_text_input and the other text inputs.
      const multiline = element.multiline === true;
      const attrs = {
        className: 'text-input',
        'data-testid': `input-${blockId}-${actionId}`,
        placeholder: placeholder(element, ''),
        value: str(element.initial_value),
        ...(typeof element.max_length === 'number' ? { maxlength: element.max_length } : {}),
      };
      const el = multiline
        ? h('textarea', { ...attrs, rows: 3 })
        : h('input', { ...attrs, type: type === 'number_input' ? 'number' : 'text' });
      register(ctx, blockId, actionId, () => el.value);
      return el;
    }
  }
}

function richTextElements(elements: unknown, ctx: RenderContext): Node[] {
  if (!Array.isArray(elements)) return [];
  return elements.filter(isObject).map((e): Node => {
    const style = isObject(e.style) ? e.style : {};
    let node: Node;
    switch (e.type) {
      case 'text':
        node = document.createTextNode(str(e.text));
        break;
      case 'link':
        node = link(str(e.url), str(e.text) || str(e.url));
        break;
      case 'user':
        node = h('span', { className: 'mention' }, `@${userName(ctx, str(e.user_id))}`);
        break;
      case 'channel':
        node = h('span', { className: 'mention' }, `#${channelName(ctx, str(e.channel_id))}`);
        break;
      case 'usergroup':
        node = h('span', { className: 'mention' }, `@${str(e.usergroup_id)}`);
        break;
      case 'broadcast':
        node = h('span', { className: 'mention broadcast' }, `@${str(e.range)}`);
        break;
      case 'emoji':
        node = h(
          'span',
          { className: 'emoji' },
          str(e.unicode)
            ? String.fromCodePoint(
                ...str(e.unicode)
                  .split('-')
                  .map((c) => Number.parseInt(c, 16)),
              )
            : `:${str(e.name)}:`,
        );
        break;
      default:
        node = document.createTextNode(str(e.text) || str(e.fallback));
    }
    if (style.code) node = h('code', {}, node);
    if (style.bold) node = h('b', {}, node);
    if (style.italic) node = h('i', {}, node);
    if (style.strike) node = h('s', {}, node);
    return node;
  });
}

function richText(block: Json, ctx: RenderContext): HTMLElement {
  const out = h('div', { className: 'rich-text' });
  const elements = Array.isArray(block.elements) ? block.elements.filter(isObject) : [];
  for (const e of elements) {
    switch (e.type) {
      case 'rich_text_section':
        out.appendChild(h('div', {}, ...richTextElements(e.elements, ctx)));
        break;
      case 'rich_text_quote':
        out.appendChild(h('blockquote', {}, ...richTextElements(e.elements, ctx)));
        break;
      case 'rich_text_preformatted':
        out.appendChild(h('pre', {}, ...richTextElements(e.elements, ctx)));
        break;
      case 'rich_text_list': {
        const items = (Array.isArray(e.elements) ? e.elements.filter(isObject) : []).map((item) =>
          h('li', {}, ...richTextElements(item.elements, ctx)),
        );
        out.appendChild(e.style === 'ordered' ? h('ol', {}, ...items) : h('ul', {}, ...items));
        break;
      }
    }
  }
  return out;
}

/** One block. */
export function renderBlock(block: unknown, ctx: RenderContext): HTMLElement {
  if (!isObject(block)) return h('div');
  const blockId = str(block.block_id);
  const testid = `block-${blockId}`;
  switch (block.type) {
    case 'header':
      return h('div', { className: 'block block-header', 'data-testid': testid }, renderText(block.text, ctx));
    case 'section': {
      const body = h('div', { className: 'section-body' });
      if (block.text !== undefined)
        body.appendChild(h('div', { className: 'section-text' }, renderText(block.text, ctx)));
      if (Array.isArray(block.fields)) {
        body.appendChild(
          h(
            'div',
            { className: 'section-fields' },
            ...block.fields.map((f) => h('div', { className: 'field' }, renderText(f, ctx))),
          ),
        );
      }
      const accessory =
        block.accessory === undefined
          ? null
          : h('div', { className: 'accessory' }, renderElement(block.accessory, blockId, ctx));
      return h('div', { className: 'block block-section', 'data-testid': testid }, body, accessory);
    }
    case 'divider':
      return h('hr', { className: 'block block-divider' });
    case 'context':
      return h(
        'div',
        { className: 'block block-context', 'data-testid': testid },
        ...(Array.isArray(block.elements) ? block.elements : []).map((e) =>
          isObject(e) && e.type === 'image'
            ? renderElement(e, blockId, ctx)
            : h('span', { className: 'context-item' }, renderText(e, ctx)),
        ),
      );
    case 'actions':
      return h(
        'div',
        { className: 'block block-actions', 'data-testid': testid },
        ...(Array.isArray(block.elements) ? block.elements : []).map((e) => renderElement(e, blockId, ctx)),
      );
    case 'image':
      return h(
        'div',
        { className: 'block block-image', 'data-testid': testid },
        link(
          str(block.image_url) || (isObject(block.slack_file) ? str(block.slack_file.url) : ''),
          `🖼 ${isObject(block.title) ? str(block.title.text) : str(block.alt_text)}`,
        ),
      );
    case 'rich_text':
      return richText(block, ctx);
    case 'markdown':
      return h('div', { className: 'block block-markdown' }, str(block.text));
    case 'input': {
      const error = ctx.errors?.[blockId];
      return h(
        'div',
        { className: `block block-input${error ? ' has-error' : ''}`, 'data-testid': testid },
        h(
          'label',
          { className: 'input-label' },
          isObject(block.label) ? str(block.label.text) : '',
          block.optional === true ? h('span', { className: 'optional' }, ' (optional)') : null,
        ),
        renderElement(block.element, blockId, ctx, true),
        isObject(block.hint) ? h('div', { className: 'hint' }, str(block.hint.text)) : null,
        error ? h('div', { className: 'input-error', 'data-testid': `input-error-${blockId}` }, error) : null,
      );
    }
    default:
      return h('div', { className: 'block block-unsupported' }, `[${str(block.type)} block]`);
  }
}

export function renderBlocks(blocks: readonly unknown[], ctx: RenderContext): HTMLElement {
  const out = h('div', { className: 'blocks' });
  append(out, ...blocks.map((b) => renderBlock(b, ctx)));
  return out;
}
