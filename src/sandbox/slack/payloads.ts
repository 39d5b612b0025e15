import { AppError, ErrorCode, InvalidInputError } from '../../shared/errors.js';
import { formatTs, type IdGenerator } from './ids.js';

/**
 * Shapes of what Slack sends apps: the element a user acted on, `state.values` entries, `actions[]` items,
 * and the ids Slack fills in when an app omits them.
 */

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const MIXED = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Slack's generated block_id / action_id look like `Ukh0F`: five mixed-case alphanumerics. */
function shortId(ids: IdGenerator): string {
  let out = '';
  for (const hex of ids.hex(10).match(/../g) ?? []) out += MIXED[Number.parseInt(hex, 16) % MIXED.length];
  return out;
}

function elementsOf(block: Json): Json[] {
  const out: Json[] = [];
  if (Array.isArray(block.elements) && (block.type === 'actions' || block.type === 'context_actions')) {
    for (const e of block.elements) if (isObject(e)) out.push(e);
  }
  if (isObject(block.accessory)) out.push(block.accessory);
  if (block.type === 'input' && isObject(block.element)) out.push(block.element);
  return out;
}

/** Copies blocks, filling in block_id and action_id where the app left them out, as Slack stores them. */
export function withGeneratedIds(blocks: unknown[], ids: IdGenerator): unknown[] {
  return blocks.map((raw) => {
    if (!isObject(raw)) return raw;
    const block: Json = structuredClone(raw);
    if (block.block_id === undefined) block.block_id = shortId(ids);
    for (const element of elementsOf(block)) {
      if (element.type !== 'image' && element.action_id === undefined) element.action_id = shortId(ids);
    }
    return block;
  });
}

export interface FoundElement {
  element: Json;
  blockId: string;
  block: Json;
}

/** The interactive element with `actionId` (in `blockId` when given); throws when the surface has none. */
export function findElement(blocks: unknown[] | undefined, actionId: string, blockId?: string): FoundElement {
  for (const block of blocks ?? []) {
    if (!isObject(block)) continue;
    if (blockId !== undefined && block.block_id !== blockId) continue;
    for (const element of elementsOf(block)) {
      if (element.action_id === actionId) return { element, blockId: String(block.block_id ?? ''), block };
    }
  }
  const where = blockId === undefined ? '' : ` in block ${blockId}`;
  throw new InvalidInputError(`no element with action_id "${actionId}"${where}`, [
    { path: 'actionId', message: `no element with action_id "${actionId}"${where} on this surface` },
  ]);
}

/** All options of a select / overflow / radio / checkbox element (option groups flattened). */
export function optionsOf(element: Json): Json[] {
  const out: Json[] = [];
  if (Array.isArray(element.options)) for (const o of element.options) if (isObject(o)) out.push(o);
  if (Array.isArray(element.option_groups)) {
    for (const g of element.option_groups) {
      if (isObject(g) && Array.isArray(g.options)) for (const o of g.options) if (isObject(o)) out.push(o);
    }
  }
  return out;
}

function pickOption(element: Json, value: string): Json {
  const option = optionsOf(element).find((o) => o.value === value);
  if (!option) {
    throw new InvalidInputError(`no option "${value}" in ${String(element.type)} "${String(element.action_id)}"`, [
      {
        path: 'value',
        message: `must be one of: ${optionsOf(element)
          .map((o) => String(o.value))
          .join(', ')}`,
      },
    ]);
  }
  const { text, value: v, description } = option;
  return { text, value: v, ...(description !== undefined ? { description } : {}) };
}

function list(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string') return value === '' ? [] : value.split(',').map((s) => s.trim());
  return [];
}

function single(value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  return String(value);
}

/** The `state.values[block][action]` entry for `raw` (a plain value, or a full Slack state object passed through). */
export function stateValue(element: Json, raw: unknown): Json {
  const type = String(element.type);
  if (isObject(raw)) {
    if (raw.type !== type) {
      throw new InvalidInputError(`state for "${String(element.action_id)}" must have type ${type}`, [
        { path: 'values', message: `type must be ${type}` },
      ]);
    }
    return raw;
  }
  switch (type) {
    case 'plain_text_input':
    case 'email_text_input':
    case 'url_text_input':
    case 'number_input':
      return { type, value: single(raw) };
    case 'rich_text_input': {
      const text = single(raw);
      return {
        type,
        rich_text_value: {
          type: 'rich_text',
          elements: text === null ? [] : [{ type: 'rich_text_section', elements: [{ type: 'text', text }] }],
        },
      };
    }
    case 'static_select':
    case 'external_select':
    case 'radio_buttons':
    case 'overflow': {
      const v = single(raw);
      return { type, selected_option: v === null ? null : pickOption(element, v) };
    }
    case 'multi_static_select':
    case 'multi_external_select':
    case 'checkboxes':
      return { type, selected_options: list(raw).map((v) => pickOption(element, v)) };
    case 'users_select':
      return { type, selected_user: single(raw) };
    case 'multi_users_select':
      return { type, selected_users: list(raw) };
    case 'conversations_select':
      return { type, selected_conversation: single(raw) };
    case 'multi_conversations_select':
      return { type, selected_conversations: list(raw) };
    case 'channels_select':
      return { type, selected_channel: single(raw) };
    case 'multi_channels_select':
      return { type, selected_channels: list(raw) };
    case 'datepicker':
      return { type, selected_date: single(raw) };
    case 'timepicker':
      return { type, selected_time: single(raw) };
    case 'datetimepicker':
      return { type, selected_date_time: raw === undefined || raw === null || raw === '' ? null : Number(raw) };
    case 'file_input':
      return { type, files: [] };
    default:
      throw new AppError(ErrorCode.InvalidInput, `element type ${type} holds no value`);
  }
}

/** The state an input starts with (its initial_* fields), as Slack reports untouched inputs. */
export function initialState(element: Json): Json {
  const type = String(element.type);
  const initialOption = (o: unknown): Json | null =>
    isObject(o)
      ? { text: o.text, value: o.value, ...(o.description !== undefined ? { description: o.description } : {}) }
      : null;
  switch (type) {
    case 'static_select':
    case 'external_select':
    case 'radio_buttons':
      return { type, selected_option: initialOption(element.initial_option) };
    case 'multi_static_select':
    case 'multi_external_select':
    case 'checkboxes':
      return {
        type,
        selected_options: Array.isArray(element.initial_options) ? element.initial_options.map(initialOption) : [],
      };
    case 'users_select':
      return { type, selected_user: element.initial_user ?? null };
    case 'multi_users_select':
      return { type, selected_users: element.initial_users ?? [] };
    case 'conversations_select':
      return { type, selected_conversation: element.initial_conversation ?? null };
    case 'multi_conversations_select':
      return { type, selected_conversations: element.initial_conversations ?? [] };
    case 'channels_select':
      return { type, selected_channel: element.initial_channel ?? null };
    case 'multi_channels_select':
      return { type, selected_channels: element.initial_channels ?? [] };
    case 'datepicker':
      return { type, selected_date: element.initial_date ?? null };
    case 'timepicker':
      return { type, selected_time: element.initial_time ?? null };
    case 'datetimepicker':
      return { type, selected_date_time: element.initial_date_time ?? null };
    case 'rich_text_input':
      return { type, rich_text_value: element.initial_value ?? { type: 'rich_text', elements: [] } };
    case 'file_input':
      return { type, files: [] };
    default:
      return { type, value: element.initial_value ?? null };
  }
}

/** Whether a state entry holds nothing (a required input left empty). */
export function isEmptyState(state: Json): boolean {
  for (const key of ['value', 'selected_option', 'selected_user', 'selected_conversation', 'selected_channel']) {
    if (key in state) return state[key] === null || state[key] === '';
  }
  for (const key of ['selected_date', 'selected_time', 'selected_date_time'])
    if (key in state) return state[key] === null;
  for (const key of ['selected_options', 'selected_users', 'selected_conversations', 'selected_channels', 'files']) {
    if (key in state) return !Array.isArray(state[key]) || (state[key] as unknown[]).length === 0;
  }
  if ('rich_text_value' in state) {
    const v = state.rich_text_value;
    return !isObject(v) || !Array.isArray(v.elements) || v.elements.length === 0;
  }
  return false;
}

/** The `actions[0]` item of a block_actions payload. */
export function actionItem(found: FoundElement, state: Json | undefined, nowMs: number): Json {
  const { element, blockId } = found;
  const base: Json = {
    type: element.type,
    action_id: element.action_id,
    block_id: blockId,
    action_ts: formatTs(Math.floor(nowMs) * 1000),
  };
  if (element.type === 'button' || element.type === 'workflow_button' || element.type === 'icon_button') {
    return {
      ...base,
      text: element.text,
      ...(element.value !== undefined ? { value: element.value } : {}),
      ...(element.style !== undefined ? { style: element.style } : {}),
      ...(element.url !== undefined ? { url: element.url } : {}),
    };
  }
  const { type: _type, ...selection } = state ?? {};
  return {
    ...base,
    ...selection,
    ...(element.placeholder !== undefined ? { placeholder: element.placeholder } : {}),
  };
}
