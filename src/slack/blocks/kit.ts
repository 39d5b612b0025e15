/**
 * Tiny constructors for Block Kit JSON, each enforcing the limit of the field it fills, so builders cannot
 * produce an oversized block by accident. Untrusted text must already be escaped (`mrkdwn()`), or be passed as
 * plain text (these functions truncate plain text themselves).
 */
import { mrkdwnText, plain, plainText, truncate, truncateMrkdwn } from '../text.js';
import type { Block } from './model.js';

export const LIMITS = {
  header: 150,
  sectionText: 3000,
  field: 2000,
  fields: 10,
  contextElements: 10,
  buttonText: 75,
  buttonValue: 2000,
  optionText: 75,
  optionValue: 75,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  blocksPerMessage: 50,
  blocksPerModal: 100,
  viewTitle: 24,
  privateMetadata: 3000,
  inputLabel: 2000,
  placeholder: 150,
  overflowOptions: 5,
  selectOptions: 100,
} as const;

export function header(text: string): Block {
  return { type: 'header', text: plainText(plain(text, LIMITS.header)) };
}

/** A section of trusted-or-escaped mrkdwn (truncated to the section limit). */
export function section(text: string, accessory?: Block): Block {
  const block: Block = { type: 'section', text: mrkdwnText(truncateMrkdwn(text || ' ', LIMITS.sectionText)) };
  if (accessory) block.accessory = accessory;
  return block;
}

/** A section of up to 10 two-column fields (each truncated). */
export function fields(items: string[]): Block {
  return {
    type: 'section',
    fields: items.slice(0, LIMITS.fields).map((t) => mrkdwnText(truncateMrkdwn(t || ' ', LIMITS.field))),
  };
}

/** A context block of up to 10 mrkdwn elements (each truncated). */
export function context(items: string[]): Block {
  const elements = items
    .filter((t) => t.length > 0)
    .slice(0, LIMITS.contextElements)
    .map((t) => mrkdwnText(truncateMrkdwn(t, LIMITS.sectionText)));
  return { type: 'context', elements: elements.length > 0 ? elements : [mrkdwnText(' ')] };
}

export function divider(): Block {
  return { type: 'divider' };
}

export function actions(elements: Block[], blockId?: string): Block {
  const block: Block = { type: 'actions', elements: elements.slice(0, 25) };
  if (blockId) block.block_id = blockId;
  return block;
}

export interface Confirm {
  title: string;
  text: string;
  confirm: string;
  deny?: string;
  danger?: boolean;
}

export function confirmDialog(c: Confirm): Block {
  const dialog: Block = {
    title: plainText(plain(c.title, LIMITS.confirmTitle)),
    text: plainText(plain(c.text, LIMITS.confirmText)),
    confirm: plainText(plain(c.confirm, LIMITS.confirmButton)),
    deny: plainText(plain(c.deny ?? 'Cancel', LIMITS.confirmButton)),
  };
  if (c.danger) dialog.style = 'danger';
  return dialog;
}

export interface ButtonOptions {
  value?: string;
  style?: 'primary' | 'danger';
  url?: string;
  confirm?: Confirm;
}

export function button(text: string, actionId: string, options: ButtonOptions = {}): Block {
  const b: Block = { type: 'button', text: plainText(plain(text, LIMITS.buttonText)), action_id: actionId };
  if (options.value !== undefined) b.value = truncate(options.value, LIMITS.buttonValue, '');
  if (options.style) b.style = options.style;
  if (options.url) b.url = options.url;
  if (options.confirm) b.confirm = confirmDialog(options.confirm);
  return b;
}

export function option(text: string, value: string, description?: string): Block {
  const o: Block = { text: plainText(plain(text, LIMITS.optionText)), value: truncate(value, LIMITS.optionValue, '') };
  if (description) o.description = plainText(plain(description, LIMITS.optionText));
  return o;
}

export function staticSelect(
  placeholder: string,
  actionId: string,
  options: Block[],
  extra: { confirm?: Confirm; initial?: Block } = {},
): Block {
  const s: Block = {
    type: 'static_select',
    action_id: actionId,
    placeholder: plainText(plain(placeholder, LIMITS.placeholder)),
    options: options.slice(0, LIMITS.selectOptions),
  };
  if (extra.confirm) s.confirm = confirmDialog(extra.confirm);
  if (extra.initial) s.initial_option = extra.initial;
  return s;
}

export function overflow(actionId: string, options: Block[]): Block {
  return { type: 'overflow', action_id: actionId, options: options.slice(0, LIMITS.overflowOptions) };
}

/** An input block for a modal. */
export function input(
  label: string,
  blockId: string,
  element: Block,
  extra: { optional?: boolean; hint?: string } = {},
): Block {
  const b: Block = {
    type: 'input',
    block_id: blockId,
    label: plainText(plain(label, LIMITS.inputLabel)),
    element,
  };
  if (extra.optional) b.optional = true;
  if (extra.hint) b.hint = plainText(plain(extra.hint, LIMITS.inputLabel));
  return b;
}

export function textInput(
  actionId: string,
  options: { multiline?: boolean; initial?: string | null; placeholder?: string; maxLength?: number } = {},
): Block {
  const e: Block = { type: 'plain_text_input', action_id: actionId };
  if (options.multiline) e.multiline = true;
  const max = options.maxLength ?? 3000;
  e.max_length = max;
  if (options.initial) e.initial_value = truncate(options.initial, max, '');
  if (options.placeholder) e.placeholder = plainText(plain(options.placeholder, LIMITS.placeholder));
  return e;
}

/** Splits blocks into messages of at most `max` blocks each. */
export function chunkBlocks(blocks: Block[], max: number = LIMITS.blocksPerMessage): Block[][] {
  const out: Block[][] = [];
  for (let i = 0; i < blocks.length; i += max) out.push(blocks.slice(i, i + max));
  return out.length > 0 ? out : [[]];
}
