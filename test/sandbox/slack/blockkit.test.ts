import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type BlockSurface, validateBlocks, validateView } from '../../../src/sandbox/slack/blockkit.js';

const LIMITS_FILE = '/work/shared/specs/slack-blockkit-limits.json';
interface LimitEntry {
  type: string;
  property: string;
  limit_text: string;
}
const limitsFile = JSON.parse(readFileSync(LIMITS_FILE, 'utf8')) as { limits: LimitEntry[] };

const s = (n: number): string => 'x'.repeat(n);
const plain = (text: string): { type: 'plain_text'; text: string } => ({ type: 'plain_text', text });
const mrkdwn = (text: string): { type: 'mrkdwn'; text: string } => ({ type: 'mrkdwn', text });
const opt = (value: string, text = value): Record<string, unknown> => ({ text: plain(text), value });
const opts = (n: number): Array<Record<string, unknown>> => Array.from({ length: n }, (_, i) => opt(`v${i}`));
const button = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: 'button',
  text: plain('Go'),
  action_id: 'go',
  ...extra,
});
const actions = (...elements: unknown[]): Record<string, unknown> => ({ type: 'actions', elements });
const section = (extra: Record<string, unknown>): Record<string, unknown> => ({ type: 'section', ...extra });
const input = (element: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: 'input',
  block_id: 'in',
  label: plain('Label'),
  element,
  ...extra,
});
const modal = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: 'modal',
  title: plain('Title'),
  submit: plain('Submit'),
  blocks: [section({ text: mrkdwn('hi') })],
  ...extra,
});
const confirmDialog = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  title: plain('Sure?'),
  text: plain('Really'),
  confirm: plain('Yes'),
  deny: plain('No'),
  ...extra,
});
const cell = (text: string): Record<string, unknown> => ({ type: 'raw_text', text });

/** What a probe builds: message blocks, modal/home blocks, or a whole view. */
type Target = { blocks: unknown; surface: BlockSurface } | { view: unknown };
interface Probe {
  /** The number from the limit sentence this probe exercises. */
  n: number;
  /** 'max': n valid, n+1 invalid; 'min': n valid, n-1 invalid; 'below': n-1 valid, n invalid. */
  kind: 'max' | 'min' | 'below';
  build(size: number): Target;
}
const msg = (...blocks: unknown[]): Target => ({ blocks, surface: 'message' });
const inModal = (...blocks: unknown[]): Target => ({ blocks, surface: 'modal' });

/** One entry per limit sentence of the limits file, keyed `Type.property`; each number in the sentence is probed. */
const PROBES: Record<string, Probe[]> = {
  'Block.block_id': [{ n: 255, kind: 'max', build: (k) => msg({ type: 'divider', block_id: s(k) }) }],
  'ActionsBlock.elements': [
    {
      n: 25,
      kind: 'max',
      build: (k) => msg(actions(...Array.from({ length: k }, (_, i) => button({ action_id: `a${i}` })))),
    },
  ],
  'CardBlock.title': [{ n: 150, kind: 'max', build: (k) => msg({ type: 'card', title: mrkdwn(s(k)) }) }],
  'CardBlock.subtitle': [
    { n: 150, kind: 'max', build: (k) => msg({ type: 'card', title: mrkdwn('t'), subtitle: mrkdwn(s(k)) }) },
  ],
  'CardBlock.body': [{ n: 200, kind: 'max', build: (k) => msg({ type: 'card', body: mrkdwn(s(k)) }) }],
  'CarouselBlock.elements': [
    {
      n: 1,
      kind: 'min',
      build: (k) =>
        msg({ type: 'carousel', elements: Array.from({ length: k }, () => ({ type: 'card', title: mrkdwn('t') })) }),
    },
    {
      n: 10,
      kind: 'max',
      build: (k) =>
        msg({ type: 'carousel', elements: Array.from({ length: k }, () => ({ type: 'card', title: mrkdwn('t') })) }),
    },
  ],
  'ContainerBlock.title': [
    {
      n: 150,
      kind: 'max',
      build: (k) => msg({ type: 'container', title: plain(s(k)), child_blocks: [{ type: 'divider' }] }),
    },
  ],
  'ContainerBlock.subtitle': [
    {
      n: 150,
      kind: 'max',
      build: (k) =>
        msg({ type: 'container', title: plain('t'), subtitle: mrkdwn(s(k)), child_blocks: [{ type: 'divider' }] }),
    },
  ],
  'ContainerBlock.child_blocks': [
    {
      n: 10,
      kind: 'max',
      build: (k) =>
        msg({
          type: 'container',
          title: plain('t'),
          child_blocks: Array.from({ length: k }, () => ({ type: 'divider' })),
        }),
    },
  ],
  'ContextBlock.elements': [
    {
      n: 10,
      kind: 'max',
      build: (k) => msg({ type: 'context', elements: Array.from({ length: k }, () => mrkdwn('c')) }),
    },
  ],
  'ContextActionsBlock.elements': [
    {
      n: 5,
      kind: 'max',
      build: (k) =>
        msg({
          type: 'context_actions',
          elements: Array.from({ length: k }, (_, i) => ({
            type: 'icon_button',
            icon: 'trash',
            text: plain('Delete'),
            action_id: `i${i}`,
          })),
        }),
    },
  ],
  'HeaderBlock.text': [{ n: 150, kind: 'max', build: (k) => msg({ type: 'header', text: plain(s(k)) }) }],
  'ImageBlock.alt_text': [
    { n: 2000, kind: 'max', build: (k) => msg({ type: 'image', image_url: 'https://x.test/a.png', alt_text: s(k) }) },
  ],
  'ImageBlock.title': [
    {
      n: 2000,
      kind: 'max',
      build: (k) => msg({ type: 'image', image_url: 'https://x.test/a.png', alt_text: 'a', title: plain(s(k)) }),
    },
  ],
  'InputBlock.label': [
    {
      n: 2000,
      kind: 'max',
      build: (k) => inModal(input({ type: 'plain_text_input', action_id: 'v' }, { label: plain(s(k)) })),
    },
  ],
  'InputBlock.hint': [
    {
      n: 2000,
      kind: 'max',
      build: (k) => inModal(input({ type: 'plain_text_input', action_id: 'v' }, { hint: plain(s(k)) })),
    },
  ],
  'MarkdownBlock.text': [{ n: 12000, kind: 'max', build: (k) => msg({ type: 'markdown', text: s(k) }) }],
  'SectionBlock.text': [
    { n: 1, kind: 'min', build: (k) => msg(section({ text: mrkdwn(s(k)) })) },
    { n: 3000, kind: 'max', build: (k) => msg(section({ text: mrkdwn(s(k)) })) },
  ],
  'SectionBlock.fields': [
    { n: 10, kind: 'max', build: (k) => msg(section({ fields: Array.from({ length: k }, () => mrkdwn('f')) })) },
    { n: 2000, kind: 'max', build: (k) => msg(section({ fields: [mrkdwn('a'), mrkdwn(s(k))] })) },
  ],
  'TableBlock.rows': [
    { n: 100, kind: 'max', build: (k) => msg({ type: 'table', rows: Array.from({ length: k }, () => [cell('a')]) }) },
    {
      n: 20,
      kind: 'max',
      build: (k) => msg({ type: 'table', rows: [Array.from({ length: k }, (_, i) => cell(`c${i}`))] }),
    },
  ],
  'TableBlock.column_settings': [
    {
      n: 20,
      kind: 'max',
      build: (k) =>
        msg({
          type: 'table',
          rows: [[cell('a')]],
          column_settings: Array.from({ length: k }, () => ({ align: 'left' })),
        }),
    },
  ],
  'VideoBlock.title': [
    {
      n: 200,
      kind: 'below',
      build: (k) =>
        msg({
          type: 'video',
          video_url: 'https://v.test/e',
          thumbnail_url: 'https://v.test/t.png',
          alt_text: 'video',
          title: plain(s(k)),
        }),
    },
  ],
  'VideoBlock.author_name': [
    {
      n: 50,
      kind: 'below',
      build: (k) =>
        msg({
          type: 'video',
          video_url: 'https://v.test/e',
          thumbnail_url: 'https://v.test/t.png',
          alt_text: 'video',
          title: plain('t'),
          author_name: s(k),
        }),
    },
  ],
  'Button.text': [{ n: 75, kind: 'max', build: (k) => msg(actions(button({ text: plain(s(k)) }))) }],
  'Button.value': [{ n: 2000, kind: 'max', build: (k) => msg(actions(button({ value: s(k) }))) }],
  'Button.url': [{ n: 3000, kind: 'max', build: (k) => msg(actions(button({ url: s(k) }))) }],
  'Button.accessibility_label': [
    { n: 75, kind: 'max', build: (k) => msg(actions(button({ accessibility_label: s(k) }))) },
  ],
  'Checkboxes.options': [
    { n: 10, kind: 'max', build: (k) => inModal(input({ type: 'checkboxes', action_id: 'c', options: opts(k) })) },
  ],
  'FeedbackButtons.accessibility_label': [
    {
      n: 75,
      kind: 'max',
      build: (k) =>
        msg({
          type: 'context_actions',
          elements: [
            {
              type: 'feedback_buttons',
              action_id: 'fb',
              positive_button: { text: plain('Good'), value: 'up', accessibility_label: s(k) },
              negative_button: { text: plain('Bad'), value: 'down', accessibility_label: s(k) },
            },
          ],
        }),
    },
  ],
  'FileInput.max_files': [
    { n: 1, kind: 'min', build: (k) => inModal(input({ type: 'file_input', action_id: 'f', max_files: k })) },
    { n: 10, kind: 'max', build: (k) => inModal(input({ type: 'file_input', action_id: 'f', max_files: k })) },
  ],
  'IconButton.accessibility_label': [
    {
      n: 75,
      kind: 'max',
      build: (k) =>
        msg({
          type: 'context_actions',
          elements: [
            { type: 'icon_button', icon: 'trash', text: plain('Delete'), action_id: 'i', accessibility_label: s(k) },
          ],
        }),
    },
  ],
  'StaticSelect.options': [
    { n: 100, kind: 'max', build: (k) => msg(actions({ type: 'static_select', action_id: 's', options: opts(k) })) },
  ],
  'StaticSelect.option_groups': [
    {
      n: 100,
      kind: 'max',
      build: (k) =>
        msg(
          actions({
            type: 'static_select',
            action_id: 's',
            option_groups: Array.from({ length: k }, (_, g) => ({ label: plain(`g${g}`), options: [opt(`g${g}`)] })),
          }),
        ),
    },
  ],
  'MultiStaticSelect.options': [
    {
      n: 100,
      kind: 'max',
      build: (k) => inModal(input({ type: 'multi_static_select', action_id: 's', options: opts(k) })),
    },
  ],
  'MultiStaticSelect.option_groups': [
    {
      n: 100,
      kind: 'max',
      build: (k) =>
        inModal(
          input({
            type: 'multi_static_select',
            action_id: 's',
            option_groups: Array.from({ length: k }, (_, g) => ({ label: plain(`g${g}`), options: [opt(`g${g}`)] })),
          }),
        ),
    },
  ],
  'Overflow.options': [
    {
      n: 5,
      kind: 'max',
      build: (k) =>
        msg(section({ text: mrkdwn('m'), accessory: { type: 'overflow', action_id: 'o', options: opts(k) } })),
    },
  ],
  'PlainTextInput.min_length': [
    { n: 3000, kind: 'max', build: (k) => inModal(input({ type: 'plain_text_input', action_id: 'p', min_length: k })) },
  ],
  'RadioButtons.options': [
    { n: 10, kind: 'max', build: (k) => inModal(input({ type: 'radio_buttons', action_id: 'r', options: opts(k) })) },
  ],
  'WorkflowButton.text': [
    {
      n: 75,
      kind: 'max',
      build: (k) =>
        msg(
          actions({
            type: 'workflow_button',
            action_id: 'w',
            text: plain(s(k)),
            workflow: { trigger: { url: 'https://x.test' } },
          }),
        ),
    },
  ],
  'WorkflowButton.accessibility_label': [
    {
      n: 75,
      kind: 'max',
      build: (k) =>
        msg(
          actions({
            type: 'workflow_button',
            action_id: 'w',
            text: plain('Run'),
            accessibility_label: s(k),
            workflow: { trigger: { url: 'https://x.test' } },
          }),
        ),
    },
  ],
  'Confirm.title': [
    { n: 100, kind: 'max', build: (k) => msg(actions(button({ confirm: confirmDialog({ title: plain(s(k)) }) }))) },
  ],
  'Confirm.text': [
    { n: 300, kind: 'max', build: (k) => msg(actions(button({ confirm: confirmDialog({ text: mrkdwn(s(k)) }) }))) },
  ],
  'Confirm.confirm': [
    { n: 30, kind: 'max', build: (k) => msg(actions(button({ confirm: confirmDialog({ confirm: plain(s(k)) }) }))) },
  ],
  'Confirm.deny': [
    { n: 30, kind: 'max', build: (k) => msg(actions(button({ confirm: confirmDialog({ deny: plain(s(k)) }) }))) },
  ],
  'OptionDescriptor.value': [
    {
      n: 75,
      kind: 'max',
      build: (k) => msg(actions({ type: 'static_select', action_id: 's', options: [opt(s(k), 'a')] })),
    },
  ],
  'OptionDescriptor.url': [
    {
      n: 3000,
      kind: 'max',
      build: (k) =>
        msg(
          section({
            text: mrkdwn('m'),
            accessory: { type: 'overflow', action_id: 'o', options: [{ ...opt('a'), url: s(k) }] },
          }),
        ),
    },
  ],
  'OptionDescriptor.description': [
    {
      n: 75,
      kind: 'max',
      build: (k) =>
        inModal(input({ type: 'radio_buttons', action_id: 'r', options: [{ ...opt('a'), description: plain(s(k)) }] })),
    },
  ],
  'MrkdwnOption.text': [
    {
      n: 75,
      kind: 'max',
      build: (k) =>
        inModal(input({ type: 'checkboxes', action_id: 'c', options: [{ text: mrkdwn(s(k)), value: 'a' }] })),
    },
  ],
  'PlainTextOption.text': [
    {
      n: 75,
      kind: 'max',
      build: (k) => msg(actions({ type: 'static_select', action_id: 's', options: [opt('a', s(k))] })),
    },
  ],
  'OptionGroup.label': [
    {
      n: 75,
      kind: 'max',
      build: (k) =>
        msg(
          actions({
            type: 'static_select',
            action_id: 's',
            option_groups: [{ label: plain(s(k)), options: [opt('a')] }],
          }),
        ),
    },
  ],
  'OptionGroup.options': [
    {
      n: 100,
      kind: 'max',
      build: (k) =>
        msg(
          actions({ type: 'static_select', action_id: 's', option_groups: [{ label: plain('g'), options: opts(k) }] }),
        ),
    },
  ],
  'PlainTextElement.text': [
    { n: 1, kind: 'min', build: (k) => msg({ type: 'context', elements: [plain(s(k))] }) },
    { n: 3000, kind: 'max', build: (k) => msg({ type: 'context', elements: [plain(s(k))] }) },
  ],
  'MrkdwnElement.text': [
    { n: 1, kind: 'min', build: (k) => msg({ type: 'context', elements: [mrkdwn(s(k))] }) },
    { n: 3000, kind: 'max', build: (k) => msg({ type: 'context', elements: [mrkdwn(s(k))] }) },
  ],
  'RawNumberElement.text': [
    { n: 1, kind: 'min', build: (k) => msg({ type: 'table', rows: [[{ type: 'raw_number', value: 1, text: s(k) }]] }) },
  ],
  'RawTextElement.text': [{ n: 1, kind: 'min', build: (k) => msg({ type: 'table', rows: [[cell(s(k))]] }) }],
  'Action.action_id': [{ n: 255, kind: 'max', build: (k) => msg(actions(button({ action_id: s(k) }))) }],
  'MaxItemsSelectable.max_selected_items': [
    {
      n: 1,
      kind: 'min',
      build: (k) => inModal(input({ type: 'multi_users_select', action_id: 'u', max_selected_items: k })),
    },
  ],
  'Placeholdable.placeholder': [
    {
      n: 150,
      kind: 'max',
      build: (k) => inModal(input({ type: 'plain_text_input', action_id: 'p', placeholder: plain(s(k)) })),
    },
  ],
  'BaseView.blocks': [
    {
      n: 100,
      kind: 'max',
      build: (k) => ({ view: modal({ blocks: Array.from({ length: k }, () => ({ type: 'divider' })) }) }),
    },
  ],
  'BaseView.private_metadata': [{ n: 3000, kind: 'max', build: (k) => ({ view: modal({ private_metadata: s(k) }) }) }],
  'BaseView.callback_id': [{ n: 255, kind: 'max', build: (k) => ({ view: modal({ callback_id: s(k) }) }) }],
  'ModalView.title': [{ n: 24, kind: 'max', build: (k) => ({ view: modal({ title: plain(s(k)) }) }) }],
  'ModalView.close': [{ n: 24, kind: 'max', build: (k) => ({ view: modal({ close: plain(s(k)) }) }) }],
  'ModalView.submit': [{ n: 24, kind: 'max', build: (k) => ({ view: modal({ submit: plain(s(k)) }) }) }],
};

/** Sentences in the file that carry no enforceable number, each with the reason and the check made instead. */
const NOT_NUMERIC: Record<string, string> = {
  'NumberInput.min_value': 'relation: min_value <= max_value (tested below)',
  'NumberInput.max_value': 'relation: min_value <= max_value (tested below)',
  'PlainTextInput.max_length': 'no number; checked as >= 1 and >= min_length (tested below)',
  'RichTextInput.min_lines': 'no number; checked as integer >= 1 and <= max_lines (tested below)',
  'RichTextInput.max_lines': 'no number; checked as integer >= 1 and <= max_lines (tested below)',
  'MessageAttachment.fields': 'advice ("for best results"), attachments are not Block Kit',
  'MessageAttachment.image_url': 'rendering behaviour, not a limit on the payload',
  'MessageAttachment.thumb_url': 'file size of a remote image, not visible in the payload',
  'MessageAttachment.footer': 'attachments are legacy, not Block Kit; the bot uses blocks only',
};

function run(target: Target): string[] {
  return 'view' in target ? validateView(target.view) : validateBlocks(target.blocks, target.surface);
}

describe('validateBlocks / validateView against slack-blockkit-limits.json', () => {
  it('has a probe or a stated reason for every entry of the limits file, and every number is probed', () => {
    const keys = limitsFile.limits.map((l) => `${l.type}.${l.property}`);
    expect(keys.length).toBeGreaterThanOrEqual(74);
    for (const entry of limitsFile.limits) {
      const key = `${entry.type}.${entry.property}`;
      if (key in NOT_NUMERIC) continue;
      const probes = PROBES[key];
      expect(probes, `no probe for ${key}: ${entry.limit_text}`).toBeDefined();
      // "~30 characters" is a rendering hint (visual truncation), not a limit.
      const numbers = [...entry.limit_text.replaceAll(',', '').matchAll(/(?<!~)\b\d+\b/g)].map((m) => Number(m[0]));
      expect(numbers.length, key).toBeGreaterThan(0);
      expect(new Set(probes?.map((p) => p.n)), key).toEqual(new Set(numbers));
    }
    for (const key of [...Object.keys(PROBES), ...Object.keys(NOT_NUMERIC)]) expect(keys).toContain(key);
  });

  for (const [key, probes] of Object.entries(PROBES)) {
    for (const probe of probes) {
      const [ok, bad] =
        probe.kind === 'max'
          ? [probe.n, probe.n + 1]
          : probe.kind === 'min'
            ? [probe.n, probe.n - 1]
            : [probe.n - 1, probe.n];
      it(`${key}: ${ok} accepted, ${bad} rejected (${probe.kind} ${probe.n})`, () => {
        expect(run(probe.build(ok))).toEqual([]);
        const errors = run(probe.build(bad));
        expect(errors.length).toBeGreaterThan(0);
        for (const e of errors) expect(e).toMatch(/ \[json-pointer:\/(blocks|view)[^\]]*\]$/);
      });
    }
  }

  it('50 blocks per message and 100 per modal / Home tab', () => {
    const dividers = (n: number): unknown[] => Array.from({ length: n }, () => ({ type: 'divider' }));
    expect(validateBlocks(dividers(50), 'message')).toEqual([]);
    expect(validateBlocks(dividers(51), 'message')).toEqual(['no more than 50 items allowed [json-pointer:/blocks]']);
    expect(validateBlocks(dividers(100), 'modal')).toEqual([]);
    expect(validateBlocks(dividers(101), 'home')).toEqual(['no more than 100 items allowed [json-pointer:/blocks]']);
  });

  it('relations the file states without numbers', () => {
    const number = (extra: Record<string, unknown>): unknown[] => [
      input({ type: 'number_input', action_id: 'n', is_decimal_allowed: false, ...extra }),
    ];
    expect(validateBlocks(number({ min_value: '1', max_value: '1' }), 'modal')).toEqual([]);
    expect(validateBlocks(number({ min_value: '2', max_value: '1' }), 'modal')).toEqual([
      'must be less than or equal to max_value [json-pointer:/blocks/0/element/min_value]',
    ]);
    const text = (extra: Record<string, unknown>): unknown[] => [
      input({ type: 'plain_text_input', action_id: 'p', ...extra }),
    ];
    expect(validateBlocks(text({ min_length: 5, max_length: 5 }), 'modal')).toEqual([]);
    expect(validateBlocks(text({ min_length: 5, max_length: 4 }), 'modal')).toHaveLength(1);
    expect(validateBlocks(text({ max_length: 0 }), 'modal')).toEqual([
      'must be at least 1 [json-pointer:/blocks/0/element/max_length]',
    ]);
    const rich = (extra: Record<string, unknown>): unknown[] => [
      input({ type: 'rich_text_input', action_id: 'r', ...extra }),
    ];
    expect(validateBlocks(rich({ min_lines: 2, max_lines: 2 }), 'modal')).toEqual([]);
    expect(validateBlocks(rich({ min_lines: 3, max_lines: 2 }), 'modal')).toHaveLength(1);
  });
});

describe('validateBlocks: structure', () => {
  const card = [
    { type: 'header', block_id: 'h', text: plain('🔥 [P1] Checkout is down') },
    section({
      block_id: 's',
      text: mrkdwn('*Service:* checkout\n<https://pd.test/incidents/PX|PX> &lt;b&gt;'),
      accessory: {
        type: 'overflow',
        action_id: 'incident_overflow',
        options: [opt('note', 'Add note'), opt('snooze', 'Snooze')],
      },
    }),
    section({ fields: [mrkdwn('*Status*\ntriggered'), mrkdwn('*Urgency*\nhigh')] }),
    { type: 'divider' },
    {
      type: 'context',
      elements: [
        { type: 'image', image_url: 'https://x.test/i.png', alt_text: 'pd' },
        mrkdwn('Opened <!date^1700000000^{ago}|now>'),
      ],
    },
    actions(
      button({ action_id: 'ack', style: 'primary', value: 'PX' }),
      button({
        action_id: 'resolve',
        style: 'danger',
        value: 'PX',
        confirm: confirmDialog({ style: 'danger' }),
      }),
      { type: 'users_select', action_id: 'reassign', placeholder: plain('Reassign') },
      { type: 'conversations_select', action_id: 'chan', filter: { include: ['public'] } },
      { type: 'static_select', action_id: 'prio', options: opts(3), initial_option: opt('v1') },
      { type: 'datepicker', action_id: 'date', initial_date: '2026-01-31' },
    ),
    {
      type: 'rich_text',
      elements: [
        {
          type: 'rich_text_section',
          elements: [
            { type: 'text', text: 'hi ', style: { bold: true } },
            { type: 'user', user_id: 'U1' },
          ],
        },
        {
          type: 'rich_text_list',
          style: 'bullet',
          elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: 'a' }] }],
        },
        { type: 'rich_text_preformatted', elements: [{ type: 'text', text: 'code' }] },
      ],
    },
    { type: 'image', image_url: 'https://x.test/graph.png', alt_text: 'graph', title: plain('Latency') },
  ];

  it('accepts a realistic incident card', () => {
    expect(validateBlocks(card, 'message')).toEqual([]);
  });

  it('accepts every input element the bot uses, in a modal', () => {
    const view = modal({
      callback_id: 'declare',
      private_metadata: JSON.stringify({ channel: 'C1' }),
      close: plain('Cancel'),
      notify_on_close: true,
      blocks: [
        input(
          { type: 'plain_text_input', action_id: 'title', multiline: true, max_length: 255 },
          { block_id: 'title' },
        ),
        input({ type: 'static_select', action_id: 'svc', options: opts(2) }, { block_id: 'svc' }),
        input({ type: 'users_select', action_id: 'u' }, { block_id: 'u' }),
        input(
          { type: 'multi_users_select', action_id: 'us', initial_users: ['U1'] },
          { block_id: 'us', optional: true },
        ),
        input(
          { type: 'conversations_select', action_id: 'c', default_to_current_conversation: true },
          { block_id: 'c' },
        ),
        input(
          { type: 'radio_buttons', action_id: 'urg', options: [{ text: mrkdwn('*high*'), value: 'high' }] },
          { block_id: 'urg' },
        ),
        input(
          { type: 'checkboxes', action_id: 'chk', options: opts(2), initial_options: [opt('v0')] },
          { block_id: 'chk' },
        ),
        input({ type: 'datepicker', action_id: 'd' }, { block_id: 'd', hint: plain('When') }),
      ],
    });
    expect(validateView(view)).toEqual([]);
  });

  it('names each problem with a JSON pointer, as Slack does', () => {
    const errors = validateBlocks(
      [
        { type: 'sektion', text: mrkdwn('x') },
        section({ text: { type: 'markdown', text: 'x' } }),
        { type: 'header', text: mrkdwn('not plain') },
        actions(button({ style: 'green' })),
        section({}),
        { type: 'divider', colour: 'red' },
      ],
      'message',
    );
    expect(errors).toEqual([
      'unsupported type: sektion [json-pointer:/blocks/0/type]',
      'must be one of: plain_text, mrkdwn [json-pointer:/blocks/1/text/type]',
      'must be plain_text [json-pointer:/blocks/2/text/type]',
      'must be one of: primary, danger [json-pointer:/blocks/3/elements/0/style]',
      'must provide one of text, fields [json-pointer:/blocks/4]',
      'invalid additional property: colour [json-pointer:/blocks/5/colour]',
    ]);
  });

  it('rejects input blocks in messages but accepts them in modals and Home tabs', () => {
    const blocks = [input({ type: 'plain_text_input', action_id: 'p' })];
    expect(validateBlocks(blocks, 'message')).toEqual([
      'unsupported type in a message: input [json-pointer:/blocks/0/type]',
    ]);
    expect(validateBlocks(blocks, 'modal')).toEqual([]);
    expect(validateBlocks(blocks, 'home')).toEqual([]);
  });

  it('requires unique block_ids per surface and unique action_ids per block', () => {
    expect(
      validateBlocks(
        [
          { type: 'divider', block_id: 'a' },
          { type: 'divider', block_id: 'a' },
          actions(button({ action_id: 'x' }), button({ action_id: 'x' })),
          actions(button({ action_id: 'x' })),
        ],
        'message',
      ),
    ).toEqual([
      'duplicate action_id: x [json-pointer:/blocks/2/elements/1/action_id]',
      'duplicate block_id: a [json-pointer:/blocks/1/block_id]',
    ]);
  });

  it('checks elements against where they may appear and what they must contain', () => {
    expect(validateBlocks([actions({ type: 'plain_text_input', action_id: 'p' })], 'message')).toEqual([
      'unsupported type: plain_text_input [json-pointer:/blocks/0/elements/0/type]',
    ]);
    expect(validateBlocks([actions()], 'message')).toEqual([
      'must contain at least 1 items [json-pointer:/blocks/0/elements]',
    ]);
    expect(validateBlocks([actions({ type: 'button', action_id: 'b' })], 'message')).toEqual([
      'missing required field: text [json-pointer:/blocks/0/elements/0]',
    ]);
    expect(
      validateBlocks(
        [actions({ type: 'static_select', action_id: 's', options: opts(2), initial_option: opt('nope') })],
        'message',
      ),
    ).toEqual(['must match one of the options [json-pointer:/blocks/0/elements/0/initial_option]']);
    expect(
      validateBlocks(
        [actions({ type: 'static_select', action_id: 's', options: opts(1), option_groups: [] })],
        'message',
      ),
    ).toContain('must provide exactly one of options, option_groups [json-pointer:/blocks/0/elements/0]');
    expect(
      validateBlocks([actions({ type: 'datepicker', action_id: 'd', initial_date: '31/01/2026' })], 'message'),
    ).toEqual(['must be in the format YYYY-MM-DD [json-pointer:/blocks/0/elements/0/initial_date]']);
    expect(validateBlocks([actions(button({ confirm: { title: plain('t') } }))], 'message')).toEqual([
      'missing required field: text [json-pointer:/blocks/0/elements/0/confirm]',
    ]);
    expect(
      validateBlocks(
        [
          section({
            text: mrkdwn('a'),
            accessory: { type: 'overflow', action_id: 'o', options: [opt('a'), opt('a')] },
          }),
        ],
        'message',
      ),
    ).toEqual(['duplicate option value: a [json-pointer:/blocks/0/accessory/options/1/value]']);
    expect(validateBlocks([{ type: 'image', alt_text: 'a' }], 'message')).toEqual([
      'missing required field: image_url [json-pointer:/blocks/0]',
    ]);
  });

  it('rejects what is not a block list', () => {
    expect(validateBlocks('[]', 'message')).toEqual(['must provide an array [json-pointer:/blocks]']);
    expect(validateBlocks([null], 'message')).toEqual(['must provide an object [json-pointer:/blocks/0]']);
    expect(validateBlocks([{}], 'message')).toEqual(['missing required field: type [json-pointer:/blocks/0/type]']);
    expect(validateBlocks([], 'message')).toEqual([]);
  });
});

describe('validateView', () => {
  it('requires a title, and a submit button when there are inputs', () => {
    expect(validateView({ type: 'modal', blocks: [] })).toEqual(['missing required field: title [json-pointer:/view]']);
    expect(
      validateView({ type: 'modal', title: plain('T'), blocks: [input({ type: 'plain_text_input', action_id: 'p' })] }),
    ).toEqual(['submit is required when blocks contain input blocks [json-pointer:/view/submit]']);
  });

  it('accepts a Home tab and rejects modal-only fields on it', () => {
    expect(validateView({ type: 'home', blocks: [section({ text: mrkdwn('Welcome') })] })).toEqual([]);
    expect(validateView({ type: 'home', title: plain('x'), blocks: [] })).toEqual([
      'invalid additional property: title [json-pointer:/view/title]',
    ]);
  });

  it('rejects unknown view types and non-objects', () => {
    expect(validateView({ type: 'dialog', blocks: [] })).toEqual([
      'must be one of: modal, home [json-pointer:/view/type]',
    ]);
    expect(validateView(null)).toEqual(['must provide an object [json-pointer:/view]']);
    expect(validateView(modal({ notify_on_close: 'yes' }))).toEqual([
      'must provide a boolean [json-pointer:/view/notify_on_close]',
    ]);
  });
});
