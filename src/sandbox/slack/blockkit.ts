/**
 * Block Kit validation, as Slack's servers do it before accepting `blocks` or a `view`.
 *
 * Limits come from `@slack/types` (the JSDoc sentences collected in `shared/specs/slack-blockkit-limits.json`) and the
 * block-count limits of docs.slack.dev (50 per message, 100 per modal / Home tab). Structure is checked for every
 * block and element type `@slack/types` 3.2 knows; unknown types and unknown properties are errors, as in Slack.
 *
 * Each problem is one string in Slack's own style, e.g.
 * `must be less than 151 characters [json-pointer:/blocks/0/text/text]`; the Web API prefixes them with `[ERROR] `
 * in `response_metadata.messages` of an `invalid_blocks` / `invalid_arguments` answer.
 */

export type BlockSurface = 'message' | 'modal' | 'home';

/** Limits enforced here, named so tests and builders can refer to them. */
export const BLOCK_LIMITS = {
  blocksPerMessage: 50,
  blocksPerView: 100,
  blockId: 255,
  actionId: 255,
  textObject: 3000,
  sectionText: 3000,
  sectionFields: 10,
  sectionField: 2000,
  header: 150,
  contextElements: 10,
  contextActionsElements: 5,
  actionsElements: 25,
  imageAltText: 2000,
  imageTitle: 2000,
  imageUrl: 3000,
  inputLabel: 2000,
  inputHint: 2000,
  markdownText: 12000,
  buttonText: 75,
  buttonValue: 2000,
  buttonUrl: 3000,
  accessibilityLabel: 75,
  optionText: 75,
  optionValue: 75,
  optionDescription: 75,
  optionUrl: 3000,
  optionGroupLabel: 75,
  selectOptions: 100,
  selectOptionGroups: 100,
  optionGroupOptions: 100,
  overflowOptions: 5,
  radioOptions: 10,
  checkboxOptions: 10,
  placeholder: 150,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  plainTextInputMinLength: 3000,
  fileInputMaxFiles: 10,
  cardTitle: 150,
  cardSubtitle: 150,
  cardBody: 200,
  carouselCards: 10,
  containerTitle: 150,
  containerSubtitle: 150,
  containerChildBlocks: 10,
  tableRows: 100,
  tableCells: 20,
  tableColumnSettings: 20,
  videoTitleBelow: 200,
  videoAuthorBelow: 50,
  viewTitle: 24,
  viewSubmit: 24,
  viewClose: 24,
  privateMetadata: 3000,
  callbackId: 255,
  externalId: 255,
} as const;

type Path = ReadonlyArray<string | number>;

interface Checker {
  errors: string[];
  surface: BlockSurface;
}

function pointer(path: Path): string {
  return `/${path.map((p) => String(p).replaceAll('~', '~0').replaceAll('/', '~1')).join('/')}`;
}

function fail(c: Checker, path: Path, message: string): void {
  c.errors.push(`${message} [json-pointer:${pointer(path)}]`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks `value` is an object with only `allowed` keys (plus `type`). Returns the object or undefined. */
function object(
  c: Checker,
  value: unknown,
  path: Path,
  allowed: readonly string[],
): Record<string, unknown> | undefined {
  if (!isObject(value)) {
    fail(c, path, 'must provide an object');
    return undefined;
  }
  for (const key of Object.keys(value)) {
    if (key !== 'type' && !allowed.includes(key)) fail(c, [...path, key], `invalid additional property: ${key}`);
  }
  return value;
}

function required(c: Checker, obj: Record<string, unknown>, key: string, path: Path): boolean {
  if (obj[key] === undefined) {
    fail(c, path, `missing required field: ${key}`);
    return false;
  }
  return true;
}

function string(
  c: Checker,
  value: unknown,
  path: Path,
  limits: { max?: number; min?: number; below?: number } = {},
): value is string {
  if (typeof value !== 'string') {
    fail(c, path, 'must provide a string');
    return false;
  }
  const length = [...value].length;
  if (limits.min !== undefined && length < limits.min) fail(c, path, `must be more than ${limits.min - 1} characters`);
  if (limits.max !== undefined && length > limits.max) fail(c, path, `must be less than ${limits.max + 1} characters`);
  if (limits.below !== undefined && length >= limits.below)
    fail(c, path, `must be less than ${limits.below} characters`);
  return true;
}

function optionalString(c: Checker, obj: Record<string, unknown>, key: string, path: Path, max?: number): void {
  if (obj[key] !== undefined) string(c, obj[key], [...path, key], max === undefined ? {} : { max });
}

function boolean(c: Checker, obj: Record<string, unknown>, key: string, path: Path): void {
  if (obj[key] !== undefined && typeof obj[key] !== 'boolean') fail(c, [...path, key], 'must provide a boolean');
}

function integer(
  c: Checker,
  obj: Record<string, unknown>,
  key: string,
  path: Path,
  limits: { min?: number; max?: number } = {},
): number | undefined {
  const value = obj[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    fail(c, [...path, key], 'must provide an integer');
    return undefined;
  }
  if (limits.min !== undefined && value < limits.min) fail(c, [...path, key], `must be at least ${limits.min}`);
  if (limits.max !== undefined && value > limits.max) fail(c, [...path, key], `must be at most ${limits.max}`);
  return value;
}

/** Two integer bounds (e.g. min_length / max_length) where the upper one may not be below the lower one. */
function integerRange(
  c: Checker,
  obj: Record<string, unknown>,
  path: Path,
  lower: [string, { min?: number; max?: number }],
  upper: [string, { min?: number; max?: number }],
): void {
  const low = integer(c, obj, lower[0], path, lower[1]);
  const high = integer(c, obj, upper[0], path, upper[1]);
  if (low !== undefined && high !== undefined && high < low) {
    fail(c, [...path, upper[0]], `must be greater than or equal to ${lower[0]}`);
  }
}

function oneOf(c: Checker, obj: Record<string, unknown>, key: string, path: Path, values: readonly unknown[]): void {
  if (obj[key] !== undefined && !values.includes(obj[key])) {
    fail(c, [...path, key], `must be one of: ${values.map(String).join(', ')}`);
  }
}

function array(
  c: Checker,
  value: unknown,
  path: Path,
  limits: { min?: number; max?: number } = {},
): value is unknown[] {
  if (!Array.isArray(value)) {
    fail(c, path, 'must provide an array');
    return false;
  }
  if (limits.min !== undefined && value.length < limits.min) fail(c, path, `must contain at least ${limits.min} items`);
  if (limits.max !== undefined && value.length > limits.max) fail(c, path, `no more than ${limits.max} items allowed`);
  return true;
}

// ---------------------------------------------------------------------------------------------------------------
// Composition objects
// ---------------------------------------------------------------------------------------------------------------

type TextKind = 'plain_text' | 'mrkdwn' | 'any';

/** A text object (`plain_text` / `mrkdwn`) whose `text` holds 1..max characters. */
function textObject(
  c: Checker,
  value: unknown,
  path: Path,
  kind: TextKind,
  max: number = BLOCK_LIMITS.textObject,
): void {
  if (!isObject(value)) {
    fail(c, path, 'must provide an object');
    return;
  }
  const type = value.type;
  if (type !== 'plain_text' && type !== 'mrkdwn') {
    fail(c, [...path, 'type'], 'must be one of: plain_text, mrkdwn');
    return;
  }
  if (kind !== 'any' && type !== kind) {
    fail(c, [...path, 'type'], `must be ${kind}`);
    return;
  }
  object(c, value, path, type === 'plain_text' ? ['text', 'emoji'] : ['text', 'verbatim']);
  if (required(c, value, 'text', path)) string(c, value.text, [...path, 'text'], { min: 1, max });
  boolean(c, value, type === 'plain_text' ? 'emoji' : 'verbatim', path);
}

function confirm(c: Checker, value: unknown, path: Path): void {
  const obj = object(c, value, path, ['title', 'text', 'confirm', 'deny', 'style']);
  if (!obj) return;
  if (obj.title !== undefined) textObject(c, obj.title, [...path, 'title'], 'plain_text', BLOCK_LIMITS.confirmTitle);
  if (required(c, obj, 'text', path)) textObject(c, obj.text, [...path, 'text'], 'any', BLOCK_LIMITS.confirmText);
  if (obj.confirm !== undefined) {
    textObject(c, obj.confirm, [...path, 'confirm'], 'plain_text', BLOCK_LIMITS.confirmButton);
  }
  if (obj.deny !== undefined) textObject(c, obj.deny, [...path, 'deny'], 'plain_text', BLOCK_LIMITS.confirmButton);
  oneOf(c, obj, 'style', path, ['primary', 'danger']);
}

interface OptionRules {
  /** mrkdwn text allowed (radio buttons, checkboxes). */
  mrkdwn?: boolean;
  /** `url` allowed (overflow menus). */
  url?: boolean;
}

/** An option object; returns its value when it has one. */
function option(c: Checker, value: unknown, path: Path, rules: OptionRules = {}): string | undefined {
  const allowed = ['text', 'value', 'description', ...(rules.url ? ['url'] : [])];
  const obj = object(c, value, path, allowed);
  if (!obj) return undefined;
  if (required(c, obj, 'text', path)) {
    textObject(c, obj.text, [...path, 'text'], rules.mrkdwn ? 'any' : 'plain_text', BLOCK_LIMITS.optionText);
  }
  if (required(c, obj, 'value', path)) string(c, obj.value, [...path, 'value'], { max: BLOCK_LIMITS.optionValue });
  if (obj.description !== undefined) {
    textObject(
      c,
      obj.description,
      [...path, 'description'],
      rules.mrkdwn ? 'any' : 'plain_text',
      BLOCK_LIMITS.optionDescription,
    );
  }
  optionalString(c, obj, 'url', path, BLOCK_LIMITS.optionUrl);
  return typeof obj.value === 'string' ? obj.value : undefined;
}

function options(
  c: Checker,
  value: unknown,
  path: Path,
  max: number,
  rules: OptionRules = {},
): Array<string | undefined> | undefined {
  if (!array(c, value, path, { min: 1, max })) return undefined;
  const values = value.map((item, index) => option(c, item, [...path, index], rules));
  const seen = new Set<string>();
  values.forEach((v, index) => {
    if (v === undefined) return;
    if (seen.has(v)) fail(c, [...path, index, 'value'], `duplicate option value: ${v}`);
    seen.add(v);
  });
  return values;
}

/** The chosen initial option(s) must be among the options, as Slack requires. */
function initialOptions(
  c: Checker,
  obj: Record<string, unknown>,
  key: 'initial_option' | 'initial_options',
  path: Path,
  available: Array<string | undefined> | undefined,
  rules: OptionRules = {},
): void {
  const value = obj[key];
  if (value === undefined) return;
  const list = key === 'initial_options' ? value : [value];
  if (key === 'initial_options' && !array(c, value, [...path, key])) return;
  (list as unknown[]).forEach((item, index) => {
    const itemPath = key === 'initial_options' ? [...path, key, index] : [...path, key];
    const v = option(c, item, itemPath, rules);
    if (v !== undefined && available && !available.includes(v)) fail(c, itemPath, 'must match one of the options');
  });
}

function dispatchActionConfig(c: Checker, obj: Record<string, unknown>, path: Path): void {
  if (obj.dispatch_action_config === undefined) return;
  const cfg = object(c, obj.dispatch_action_config, [...path, 'dispatch_action_config'], ['trigger_actions_on']);
  if (!cfg || cfg.trigger_actions_on === undefined) return;
  const p = [...path, 'dispatch_action_config', 'trigger_actions_on'];
  if (!array(c, cfg.trigger_actions_on, p, { min: 1 })) return;
  cfg.trigger_actions_on.forEach((t, i) => {
    if (t !== 'on_enter_pressed' && t !== 'on_character_entered') {
      fail(c, [...p, i], 'must be one of: on_enter_pressed, on_character_entered');
    }
  });
}

function imageSource(c: Checker, obj: Record<string, unknown>, path: Path): void {
  if (obj.image_url === undefined && obj.slack_file === undefined) {
    fail(c, path, 'missing required field: image_url');
    return;
  }
  if (obj.image_url !== undefined)
    string(c, obj.image_url, [...path, 'image_url'], { min: 1, max: BLOCK_LIMITS.imageUrl });
  if (obj.slack_file !== undefined) {
    const file = object(c, obj.slack_file, [...path, 'slack_file'], ['url', 'id']);
    if (file && file.url === undefined && file.id === undefined)
      fail(c, [...path, 'slack_file'], 'must provide url or id');
    if (file) {
      optionalString(c, file, 'url', [...path, 'slack_file']);
      optionalString(c, file, 'id', [...path, 'slack_file']);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Block elements
// ---------------------------------------------------------------------------------------------------------------

type ElementContext = 'actions' | 'accessory' | 'input' | 'context_actions';

/** Select menus of every flavour (single and multi). */
const SELECTS = ['static', 'users', 'conversations', 'channels', 'external'].flatMap((kind) => [
  `${kind}_select`,
  `multi_${kind}_select`,
]);
/** Elements that may sit in an actions block or a section accessory alike. */
const INTERACTIVE = [
  ...SELECTS,
  'button',
  'checkboxes',
  'datepicker',
  'overflow',
  'radio_buttons',
  'timepicker',
  'workflow_button',
];

const ELEMENTS_BY_CONTEXT: Record<ElementContext, readonly string[]> = {
  actions: [...INTERACTIVE, 'datetimepicker', 'rich_text_input'],
  accessory: [...INTERACTIVE, 'image'],
  input: [
    ...SELECTS,
    'checkboxes',
    'datepicker',
    'datetimepicker',
    'email_text_input',
    'file_input',
    'number_input',
    'plain_text_input',
    'radio_buttons',
    'rich_text_input',
    'timepicker',
    'url_text_input',
  ],
  context_actions: ['feedback_buttons', 'icon_button'],
};

const ACTIONABLE = ['action_id'];
const CONFIRMABLE = ['confirm'];
const FOCUSABLE = ['focus_on_load'];
const PLACEHOLDABLE = ['placeholder'];

/** Common checks for action_id / confirm / focus_on_load / placeholder / max_selected_items. */
function commonElement(c: Checker, obj: Record<string, unknown>, path: Path): void {
  optionalString(c, obj, 'action_id', path, BLOCK_LIMITS.actionId);
  if (obj.confirm !== undefined) confirm(c, obj.confirm, [...path, 'confirm']);
  boolean(c, obj, 'focus_on_load', path);
  if (obj.placeholder !== undefined) {
    textObject(c, obj.placeholder, [...path, 'placeholder'], 'plain_text', BLOCK_LIMITS.placeholder);
  }
  integer(c, obj, 'max_selected_items', path, { min: 1 });
}

function stringList(c: Checker, obj: Record<string, unknown>, key: string, path: Path): void {
  if (obj[key] === undefined) return;
  if (!array(c, obj[key], [...path, key])) return;
  (obj[key] as unknown[]).forEach((v, i) => {
    string(c, v, [...path, key, i], { min: 1 });
  });
}

function conversationFilter(c: Checker, obj: Record<string, unknown>, path: Path): void {
  if (obj.filter === undefined) return;
  const f = object(
    c,
    obj.filter,
    [...path, 'filter'],
    ['include', 'exclude_external_shared_channels', 'exclude_bot_users'],
  );
  if (!f) return;
  if (f.include !== undefined && array(c, f.include, [...path, 'filter', 'include'], { min: 1 })) {
    f.include.forEach((v, i) => {
      if (!['im', 'mpim', 'private', 'public'].includes(v as string)) {
        fail(c, [...path, 'filter', 'include', i], 'must be one of: im, mpim, private, public');
      }
    });
  }
  boolean(c, f, 'exclude_external_shared_channels', [...path, 'filter']);
  boolean(c, f, 'exclude_bot_users', [...path, 'filter']);
}

function selectWithOptions(c: Checker, obj: Record<string, unknown>, path: Path, multi: boolean): void {
  const hasOptions = obj.options !== undefined;
  const hasGroups = obj.option_groups !== undefined;
  if (hasOptions === hasGroups) {
    fail(c, path, 'must provide exactly one of options, option_groups');
  }
  let available: Array<string | undefined> | undefined;
  if (hasOptions) available = options(c, obj.options, [...path, 'options'], BLOCK_LIMITS.selectOptions);
  if (
    hasGroups &&
    array(c, obj.option_groups, [...path, 'option_groups'], { min: 1, max: BLOCK_LIMITS.selectOptionGroups })
  ) {
    available = [];
    (obj.option_groups as unknown[]).forEach((group, gi) => {
      const gp = [...path, 'option_groups', gi];
      const g = object(c, group, gp, ['label', 'options']);
      if (!g) return;
      if (required(c, g, 'label', gp))
        textObject(c, g.label, [...gp, 'label'], 'plain_text', BLOCK_LIMITS.optionGroupLabel);
      if (required(c, g, 'options', gp)) {
        const vals = options(c, g.options, [...gp, 'options'], BLOCK_LIMITS.optionGroupOptions);
        if (vals) available?.push(...vals);
      }
    });
  }
  initialOptions(c, obj, multi ? 'initial_options' : 'initial_option', path, available);
}

const ELEMENT_KEYS: Record<string, readonly string[]> = {
  button: [...ACTIONABLE, ...CONFIRMABLE, 'text', 'value', 'url', 'style', 'accessibility_label'],
  checkboxes: [...ACTIONABLE, ...CONFIRMABLE, ...FOCUSABLE, 'options', 'initial_options'],
  radio_buttons: [...ACTIONABLE, ...CONFIRMABLE, ...FOCUSABLE, 'options', 'initial_option'],
  datepicker: [...ACTIONABLE, ...CONFIRMABLE, ...FOCUSABLE, ...PLACEHOLDABLE, 'initial_date'],
  datetimepicker: [...ACTIONABLE, ...CONFIRMABLE, ...FOCUSABLE, 'initial_date_time'],
  timepicker: [...ACTIONABLE, ...CONFIRMABLE, ...FOCUSABLE, ...PLACEHOLDABLE, 'initial_time', 'timezone'],
  email_text_input: [...ACTIONABLE, 'dispatch_action_config', ...FOCUSABLE, ...PLACEHOLDABLE, 'initial_value'],
  url_text_input: [...ACTIONABLE, 'dispatch_action_config', ...FOCUSABLE, ...PLACEHOLDABLE, 'initial_value'],
  number_input: [
    ...ACTIONABLE,
    'dispatch_action_config',
    ...FOCUSABLE,
    ...PLACEHOLDABLE,
    'is_decimal_allowed',
    'initial_value',
    'min_value',
    'max_value',
  ],
  plain_text_input: [
    ...ACTIONABLE,
    'dispatch_action_config',
    ...FOCUSABLE,
    ...PLACEHOLDABLE,
    'initial_value',
    'multiline',
    'min_length',
    'max_length',
  ],
  rich_text_input: [
    ...ACTIONABLE,
    'dispatch_action_config',
    ...FOCUSABLE,
    ...PLACEHOLDABLE,
    'initial_value',
    'min_lines',
    'max_lines',
  ],
  file_input: [...ACTIONABLE, 'filetypes', 'max_files'],
  overflow: [...ACTIONABLE, ...CONFIRMABLE, 'options'],
  static_select: [
    ...ACTIONABLE,
    ...CONFIRMABLE,
    ...FOCUSABLE,
    ...PLACEHOLDABLE,
    'initial_option',
    'options',
    'option_groups',
  ],
  multi_static_select: [
    ...ACTIONABLE,
    ...CONFIRMABLE,
    ...FOCUSABLE,
    ...PLACEHOLDABLE,
    'max_selected_items',
    'initial_options',
    'options',
    'option_groups',
  ],
  external_select: [
    ...ACTIONABLE,
    ...CONFIRMABLE,
    ...FOCUSABLE,
    ...PLACEHOLDABLE,
    'initial_option',
    'min_query_length',
  ],
  multi_external_select: [
    ...ACTIONABLE,
    ...CONFIRMABLE,
    ...FOCUSABLE,
    ...PLACEHOLDABLE,
    'max_selected_items',
    'initial_options',
    'min_query_length',
  ],
  users_select: [...ACTIONABLE, ...CONFIRMABLE, ...FOCUSABLE, ...PLACEHOLDABLE, 'initial_user'],
  multi_users_select: [
    ...ACTIONABLE,
    ...CONFIRMABLE,
    ...FOCUSABLE,
    ...PLACEHOLDABLE,
    'max_selected_items',
    'initial_users',
  ],
  conversations_select: [
    ...ACTIONABLE,
    ...CONFIRMABLE,
    ...FOCUSABLE,
    ...PLACEHOLDABLE,
    'initial_conversation',
    'default_to_current_conversation',
    'filter',
    'response_url_enabled',
  ],
  multi_conversations_select: [
    ...ACTIONABLE,
    ...CONFIRMABLE,
    ...FOCUSABLE,
    ...PLACEHOLDABLE,
    'max_selected_items',
    'initial_conversations',
    'default_to_current_conversation',
    'filter',
  ],
  channels_select: [
    ...ACTIONABLE,
    ...CONFIRMABLE,
    ...FOCUSABLE,
    ...PLACEHOLDABLE,
    'initial_channel',
    'response_url_enabled',
  ],
  multi_channels_select: [
    ...ACTIONABLE,
    ...CONFIRMABLE,
    ...FOCUSABLE,
    ...PLACEHOLDABLE,
    'max_selected_items',
    'initial_channels',
  ],
  workflow_button: [...ACTIONABLE, ...CONFIRMABLE, 'text', 'workflow', 'style', 'accessibility_label', 'value'],
  feedback_buttons: [...ACTIONABLE, 'positive_button', 'negative_button'],
  icon_button: [...ACTIONABLE, ...CONFIRMABLE, 'icon', 'text', 'accessibility_label', 'value', 'visible_to_user_ids'],
  image: ['image_url', 'slack_file', 'alt_text'],
};

/** Validates one interactive element; returns its action_id when it has one. */
function element(c: Checker, value: unknown, path: Path, context: ElementContext): string | undefined {
  if (!isObject(value)) {
    fail(c, path, 'must provide an object');
    return undefined;
  }
  const type = value.type;
  if (typeof type !== 'string') {
    fail(c, [...path, 'type'], 'missing required field: type');
    return undefined;
  }
  if (!ELEMENTS_BY_CONTEXT[context].includes(type)) {
    fail(c, [...path, 'type'], `unsupported type: ${type}`);
    return undefined;
  }
  const keys = ELEMENT_KEYS[type] ?? [];
  const obj = object(c, value, path, keys);
  if (!obj) return undefined;
  if (type !== 'image') commonElement(c, obj, path);

  switch (type) {
    case 'button':
      if (required(c, obj, 'text', path))
        textObject(c, obj.text, [...path, 'text'], 'plain_text', BLOCK_LIMITS.buttonText);
      optionalString(c, obj, 'value', path, BLOCK_LIMITS.buttonValue);
      optionalString(c, obj, 'url', path, BLOCK_LIMITS.buttonUrl);
      optionalString(c, obj, 'accessibility_label', path, BLOCK_LIMITS.accessibilityLabel);
      oneOf(c, obj, 'style', path, ['primary', 'danger']);
      break;
    case 'workflow_button': {
      if (required(c, obj, 'text', path))
        textObject(c, obj.text, [...path, 'text'], 'plain_text', BLOCK_LIMITS.buttonText);
      optionalString(c, obj, 'accessibility_label', path, BLOCK_LIMITS.accessibilityLabel);
      oneOf(c, obj, 'style', path, ['primary', 'danger']);
      if (required(c, obj, 'workflow', path)) {
        const wf = object(c, obj.workflow, [...path, 'workflow'], ['trigger']);
        if (wf && required(c, wf, 'trigger', [...path, 'workflow'])) {
          const tp = [...path, 'workflow', 'trigger'];
          const trigger = object(c, wf.trigger, tp, ['url', 'customizable_input_parameters']);
          if (trigger && required(c, trigger, 'url', tp)) string(c, trigger.url, [...tp, 'url'], { min: 1 });
        }
      }
      break;
    }
    case 'icon_button':
      if (required(c, obj, 'icon', path)) string(c, obj.icon, [...path, 'icon'], { min: 1 });
      if (required(c, obj, 'text', path))
        textObject(c, obj.text, [...path, 'text'], 'plain_text', BLOCK_LIMITS.buttonText);
      optionalString(c, obj, 'accessibility_label', path, BLOCK_LIMITS.accessibilityLabel);
      optionalString(c, obj, 'value', path, BLOCK_LIMITS.buttonValue);
      stringList(c, obj, 'visible_to_user_ids', path);
      break;
    case 'feedback_buttons':
      for (const key of ['positive_button', 'negative_button'] as const) {
        if (!required(c, obj, key, path)) continue;
        const bp = [...path, key];
        const b = object(c, obj[key], bp, ['text', 'accessibility_label', 'value']);
        if (!b) continue;
        if (required(c, b, 'text', bp)) textObject(c, b.text, [...bp, 'text'], 'plain_text', BLOCK_LIMITS.buttonText);
        optionalString(c, b, 'accessibility_label', bp, BLOCK_LIMITS.accessibilityLabel);
        if (required(c, b, 'value', bp)) string(c, b.value, [...bp, 'value'], { max: BLOCK_LIMITS.buttonValue });
      }
      break;
    case 'overflow':
      if (required(c, obj, 'options', path)) {
        options(c, obj.options, [...path, 'options'], BLOCK_LIMITS.overflowOptions, { url: true });
      }
      break;
    case 'radio_buttons': {
      const available = required(c, obj, 'options', path)
        ? options(c, obj.options, [...path, 'options'], BLOCK_LIMITS.radioOptions, { mrkdwn: true })
        : undefined;
      initialOptions(c, obj, 'initial_option', path, available, { mrkdwn: true });
      break;
    }
    case 'checkboxes': {
      const available = required(c, obj, 'options', path)
        ? options(c, obj.options, [...path, 'options'], BLOCK_LIMITS.checkboxOptions, { mrkdwn: true })
        : undefined;
      initialOptions(c, obj, 'initial_options', path, available, { mrkdwn: true });
      break;
    }
    case 'static_select':
      selectWithOptions(c, obj, path, false);
      break;
    case 'multi_static_select':
      selectWithOptions(c, obj, path, true);
      break;
    case 'external_select':
    case 'multi_external_select':
      integer(c, obj, 'min_query_length', path, { min: 0 });
      if (type === 'external_select' && obj.initial_option !== undefined) {
        option(c, obj.initial_option, [...path, 'initial_option']);
      }
      if (type === 'multi_external_select' && obj.initial_options !== undefined) {
        if (array(c, obj.initial_options, [...path, 'initial_options'])) {
          obj.initial_options.forEach((o, i) => {
            option(c, o, [...path, 'initial_options', i]);
          });
        }
      }
      break;
    case 'users_select':
      optionalString(c, obj, 'initial_user', path);
      break;
    case 'multi_users_select':
      stringList(c, obj, 'initial_users', path);
      break;
    case 'conversations_select':
      optionalString(c, obj, 'initial_conversation', path);
      boolean(c, obj, 'default_to_current_conversation', path);
      boolean(c, obj, 'response_url_enabled', path);
      conversationFilter(c, obj, path);
      break;
    case 'multi_conversations_select':
      stringList(c, obj, 'initial_conversations', path);
      boolean(c, obj, 'default_to_current_conversation', path);
      conversationFilter(c, obj, path);
      break;
    case 'channels_select':
      optionalString(c, obj, 'initial_channel', path);
      boolean(c, obj, 'response_url_enabled', path);
      break;
    case 'multi_channels_select':
      stringList(c, obj, 'initial_channels', path);
      break;
    case 'datepicker':
      if (obj.initial_date !== undefined && string(c, obj.initial_date, [...path, 'initial_date'])) {
        if (!/^\d{4}-\d{2}-\d{2}$/.test(obj.initial_date))
          fail(c, [...path, 'initial_date'], 'must be in the format YYYY-MM-DD');
      }
      break;
    case 'timepicker':
      if (obj.initial_time !== undefined && string(c, obj.initial_time, [...path, 'initial_time'])) {
        if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(obj.initial_time))
          fail(c, [...path, 'initial_time'], 'must be in the format HH:mm');
      }
      optionalString(c, obj, 'timezone', path);
      break;
    case 'datetimepicker':
      integer(c, obj, 'initial_date_time', path, { min: 0 });
      break;
    case 'plain_text_input': {
      optionalString(c, obj, 'initial_value', path);
      boolean(c, obj, 'multiline', path);
      integerRange(
        c,
        obj,
        path,
        ['min_length', { min: 0, max: BLOCK_LIMITS.plainTextInputMinLength }],
        ['max_length', { min: 1 }],
      );
      dispatchActionConfig(c, obj, path);
      break;
    }
    case 'email_text_input':
    case 'url_text_input':
      optionalString(c, obj, 'initial_value', path);
      dispatchActionConfig(c, obj, path);
      break;
    case 'number_input': {
      if (required(c, obj, 'is_decimal_allowed', path)) boolean(c, obj, 'is_decimal_allowed', path);
      const numeric = (key: string): number | undefined => {
        if (obj[key] === undefined) return undefined;
        if (!string(c, obj[key], [...path, key])) return undefined;
        const n = Number(obj[key]);
        if (obj[key] === '' || !Number.isFinite(n)) {
          fail(c, [...path, key], 'must be a number');
          return undefined;
        }
        return n;
      };
      numeric('initial_value');
      const min = numeric('min_value');
      const max = numeric('max_value');
      if (min !== undefined && max !== undefined && min > max) {
        fail(c, [...path, 'min_value'], 'must be less than or equal to max_value');
      }
      dispatchActionConfig(c, obj, path);
      break;
    }
    case 'rich_text_input': {
      if (obj.initial_value !== undefined) richText(c, obj.initial_value, [...path, 'initial_value']);
      integerRange(c, obj, path, ['min_lines', { min: 1 }], ['max_lines', { min: 1 }]);
      dispatchActionConfig(c, obj, path);
      break;
    }
    case 'file_input':
      stringList(c, obj, 'filetypes', path);
      integer(c, obj, 'max_files', path, { min: 1, max: BLOCK_LIMITS.fileInputMaxFiles });
      break;
    case 'image':
      imageSource(c, obj, path);
      if (required(c, obj, 'alt_text', path))
        string(c, obj.alt_text, [...path, 'alt_text'], { max: BLOCK_LIMITS.imageAltText });
      break;
  }
  return typeof obj.action_id === 'string' ? obj.action_id : undefined;
}

/** action_ids must be unique within their block. */
function uniqueActionIds(c: Checker, ids: Array<[string | undefined, Path]>): void {
  const seen = new Set<string>();
  for (const [id, path] of ids) {
    if (id === undefined) continue;
    if (seen.has(id)) fail(c, [...path, 'action_id'], `duplicate action_id: ${id}`);
    seen.add(id);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Rich text
// ---------------------------------------------------------------------------------------------------------------

const RICH_TEXT_INLINE = [
  'text',
  'link',
  'user',
  'usergroup',
  'channel',
  'emoji',
  'broadcast',
  'date',
  'color',
  'team',
];

function richTextInline(c: Checker, value: unknown, path: Path, allowedTypes: readonly string[]): void {
  if (!isObject(value) || typeof value.type !== 'string') {
    fail(c, path, 'must provide an object with a type');
    return;
  }
  if (!allowedTypes.includes(value.type)) {
    fail(c, [...path, 'type'], `unsupported type: ${value.type}`);
    return;
  }
  const needs: Record<string, string> = {
    text: 'text',
    link: 'url',
    user: 'user_id',
    usergroup: 'usergroup_id',
    channel: 'channel_id',
    emoji: 'name',
    broadcast: 'range',
    date: 'timestamp',
    color: 'value',
    team: 'team_id',
  };
  const key = needs[value.type];
  if (key !== undefined) required(c, value, key, path);
  if (value.type === 'text' && value.text !== undefined) string(c, value.text, [...path, 'text']);
  if (value.type === 'broadcast') oneOf(c, value, 'range', path, ['here', 'channel', 'everyone']);
  if (value.style !== undefined && !isObject(value.style)) fail(c, [...path, 'style'], 'must provide an object');
}

function richTextContainer(c: Checker, value: unknown, path: Path): void {
  if (!isObject(value) || typeof value.type !== 'string') {
    fail(c, path, 'must provide an object with a type');
    return;
  }
  const type = value.type;
  if (!array(c, value.elements, [...path, 'elements'])) return;
  const elements = value.elements;
  switch (type) {
    case 'rich_text_section':
    case 'rich_text_quote':
      object(c, value, path, ['elements', 'border']);
      elements.forEach((e, i) => {
        richTextInline(c, e, [...path, 'elements', i], RICH_TEXT_INLINE);
      });
      break;
    case 'rich_text_preformatted':
      object(c, value, path, ['elements', 'border', 'language']);
      elements.forEach((e, i) => {
        richTextInline(c, e, [...path, 'elements', i], ['text', 'link']);
      });
      break;
    case 'rich_text_list':
      object(c, value, path, ['elements', 'style', 'indent', 'offset', 'border']);
      if (required(c, value, 'style', path)) oneOf(c, value, 'style', path, ['bullet', 'ordered']);
      integer(c, value, 'indent', path, { min: 0, max: 8 });
      elements.forEach((e, i) => {
        if (!isObject(e) || e.type !== 'rich_text_section') {
          fail(c, [...path, 'elements', i, 'type'], 'must be rich_text_section');
          return;
        }
        richTextContainer(c, e, [...path, 'elements', i]);
      });
      break;
    default:
      fail(c, [...path, 'type'], `unsupported type: ${type}`);
  }
}

function richText(c: Checker, value: unknown, path: Path): void {
  const obj = object(c, value, path, ['elements', 'block_id']);
  if (!obj) return;
  if (obj.type !== 'rich_text') fail(c, [...path, 'type'], 'must be rich_text');
  if (!required(c, obj, 'elements', path)) return;
  if (!array(c, obj.elements, [...path, 'elements'])) return;
  obj.elements.forEach((e, i) => {
    richTextContainer(c, e, [...path, 'elements', i]);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Blocks
// ---------------------------------------------------------------------------------------------------------------

const BLOCK_KEYS: Record<string, readonly string[]> = {
  actions: ['block_id', 'elements'],
  alert: ['block_id', 'text', 'level'],
  card: ['block_id', 'hero_image', 'icon', 'title', 'subtitle', 'body', 'actions'],
  carousel: ['block_id', 'elements'],
  container: [
    'block_id',
    'title',
    'rich_text_title',
    'subtitle',
    'child_blocks',
    'width',
    'icon',
    'is_collapsible',
    'default_collapsed',
    'has_header_divider',
  ],
  context: ['block_id', 'elements'],
  context_actions: ['block_id', 'elements'],
  data_table: ['block_id', 'rows', 'caption', 'page_size', 'row_header_column_index'],
  divider: ['block_id'],
  file: ['block_id', 'source', 'external_id'],
  header: ['block_id', 'text'],
  image: ['block_id', 'image_url', 'slack_file', 'alt_text', 'title'],
  input: ['block_id', 'label', 'hint', 'optional', 'element', 'dispatch_action'],
  markdown: ['block_id', 'text'],
  plan: ['block_id', 'title', 'tasks'],
  rich_text: ['block_id', 'elements'],
  section: ['block_id', 'text', 'fields', 'accessory', 'expand'],
  table: ['block_id', 'rows', 'column_settings'],
  task_card: ['block_id', 'task_id', 'title', 'details', 'output', 'sources', 'status'],
  video: [
    'block_id',
    'video_url',
    'thumbnail_url',
    'alt_text',
    'title',
    'title_url',
    'author_name',
    'provider_name',
    'provider_icon_url',
    'description',
  ],
};

/** Block types a surface accepts (input blocks only in modals and Home tabs). */
function blockAllowedOn(type: string, surface: BlockSurface): boolean {
  if (type === 'input') return surface !== 'message';
  return type in BLOCK_KEYS;
}

function tableCells(c: Checker, rows: unknown, path: Path, maxRows: number): void {
  if (!array(c, rows, path, { min: 1, max: maxRows })) return;
  rows.forEach((row, ri) => {
    if (!array(c, row, [...path, ri], { min: 1, max: BLOCK_LIMITS.tableCells })) return;
    row.forEach((cell, ci) => {
      const cp = [...path, ri, ci];
      if (!isObject(cell) || typeof cell.type !== 'string') {
        fail(c, cp, 'must provide an object with a type');
        return;
      }
      if (cell.type === 'raw_text') {
        object(c, cell, cp, ['text']);
        if (required(c, cell, 'text', cp)) string(c, cell.text, [...cp, 'text'], { min: 1 });
      } else if (cell.type === 'raw_number') {
        object(c, cell, cp, ['text', 'value']);
        if (required(c, cell, 'text', cp)) string(c, cell.text, [...cp, 'text'], { min: 1 });
        if (required(c, cell, 'value', cp) && typeof cell.value !== 'number')
          fail(c, [...cp, 'value'], 'must provide a number');
      } else if (cell.type === 'rich_text') {
        richText(c, cell, cp);
      } else {
        fail(c, [...cp, 'type'], `unsupported type: ${cell.type}`);
      }
    });
  });
}

function cardBlock(c: Checker, obj: Record<string, unknown>, path: Path): void {
  if (obj.title !== undefined) textObject(c, obj.title, [...path, 'title'], 'mrkdwn', BLOCK_LIMITS.cardTitle);
  if (obj.subtitle !== undefined)
    textObject(c, obj.subtitle, [...path, 'subtitle'], 'mrkdwn', BLOCK_LIMITS.cardSubtitle);
  if (obj.body !== undefined) textObject(c, obj.body, [...path, 'body'], 'mrkdwn', BLOCK_LIMITS.cardBody);
  for (const key of ['hero_image', 'icon']) {
    if (obj[key] !== undefined) element(c, obj[key], [...path, key], 'accessory');
  }
  if (obj.actions !== undefined && array(c, obj.actions, [...path, 'actions'])) {
    const ids: Array<[string | undefined, Path]> = obj.actions.map((b, i) => {
      const bp = [...path, 'actions', i];
      if (isObject(b) && b.type !== 'button') fail(c, [...bp, 'type'], 'must be button');
      return [element(c, b, bp, 'actions'), bp];
    });
    uniqueActionIds(c, ids);
  }
  if (obj.title === undefined && obj.body === undefined && obj.actions === undefined && obj.hero_image === undefined) {
    fail(c, path, 'must provide one of hero_image, title, actions, body');
  }
}

/** Validates one block; `inContainer` stops nesting containers. */
function block(c: Checker, value: unknown, path: Path, inContainer = false): void {
  if (!isObject(value)) {
    fail(c, path, 'must provide an object');
    return;
  }
  const type = value.type;
  if (typeof type !== 'string') {
    fail(c, [...path, 'type'], 'missing required field: type');
    return;
  }
  if (!(type in BLOCK_KEYS)) {
    fail(c, [...path, 'type'], `unsupported type: ${type}`);
    return;
  }
  if (!blockAllowedOn(type, c.surface)) {
    fail(c, [...path, 'type'], `unsupported type in a ${c.surface}: ${type}`);
    return;
  }
  const obj = object(c, value, path, BLOCK_KEYS[type] ?? []);
  if (!obj) return;
  if (obj.block_id !== undefined) string(c, obj.block_id, [...path, 'block_id'], { min: 1, max: BLOCK_LIMITS.blockId });

  switch (type) {
    case 'header':
      if (required(c, obj, 'text', path)) textObject(c, obj.text, [...path, 'text'], 'plain_text', BLOCK_LIMITS.header);
      break;
    case 'section': {
      if (obj.text === undefined && obj.fields === undefined) fail(c, path, 'must provide one of text, fields');
      if (obj.text !== undefined) textObject(c, obj.text, [...path, 'text'], 'any', BLOCK_LIMITS.sectionText);
      if (
        obj.fields !== undefined &&
        array(c, obj.fields, [...path, 'fields'], { min: 1, max: BLOCK_LIMITS.sectionFields })
      ) {
        obj.fields.forEach((f, i) => {
          textObject(c, f, [...path, 'fields', i], 'any', BLOCK_LIMITS.sectionField);
        });
      }
      if (obj.accessory !== undefined) element(c, obj.accessory, [...path, 'accessory'], 'accessory');
      boolean(c, obj, 'expand', path);
      break;
    }
    case 'divider':
      break;
    case 'context':
      if (
        required(c, obj, 'elements', path) &&
        array(c, obj.elements, [...path, 'elements'], { min: 1, max: BLOCK_LIMITS.contextElements })
      ) {
        obj.elements.forEach((e, i) => {
          const ep = [...path, 'elements', i];
          if (isObject(e) && e.type === 'image') {
            element(c, e, ep, 'accessory');
          } else {
            textObject(c, e, ep, 'any');
          }
        });
      }
      break;
    case 'actions':
    case 'context_actions': {
      const max = type === 'actions' ? BLOCK_LIMITS.actionsElements : BLOCK_LIMITS.contextActionsElements;
      if (required(c, obj, 'elements', path) && array(c, obj.elements, [...path, 'elements'], { min: 1, max })) {
        const ids: Array<[string | undefined, Path]> = obj.elements.map((e, i) => {
          const ep = [...path, 'elements', i];
          return [element(c, e, ep, type === 'actions' ? 'actions' : 'context_actions'), ep];
        });
        uniqueActionIds(c, ids);
      }
      break;
    }
    case 'input':
      if (required(c, obj, 'label', path))
        textObject(c, obj.label, [...path, 'label'], 'plain_text', BLOCK_LIMITS.inputLabel);
      if (obj.hint !== undefined) textObject(c, obj.hint, [...path, 'hint'], 'plain_text', BLOCK_LIMITS.inputHint);
      if (required(c, obj, 'element', path)) element(c, obj.element, [...path, 'element'], 'input');
      boolean(c, obj, 'optional', path);
      boolean(c, obj, 'dispatch_action', path);
      break;
    case 'image':
      imageSource(c, obj, path);
      if (required(c, obj, 'alt_text', path))
        string(c, obj.alt_text, [...path, 'alt_text'], { max: BLOCK_LIMITS.imageAltText });
      if (obj.title !== undefined) textObject(c, obj.title, [...path, 'title'], 'plain_text', BLOCK_LIMITS.imageTitle);
      break;
    case 'rich_text':
      richText(c, obj, path);
      break;
    case 'markdown':
      if (required(c, obj, 'text', path))
        string(c, obj.text, [...path, 'text'], { min: 1, max: BLOCK_LIMITS.markdownText });
      break;
    case 'alert':
      if (required(c, obj, 'text', path)) textObject(c, obj.text, [...path, 'text'], 'any');
      oneOf(c, obj, 'level', path, ['default', 'info', 'warning', 'error', 'success']);
      break;
    case 'card':
      cardBlock(c, obj, path);
      break;
    case 'carousel':
      if (
        required(c, obj, 'elements', path) &&
        array(c, obj.elements, [...path, 'elements'], { min: 1, max: BLOCK_LIMITS.carouselCards })
      ) {
        obj.elements.forEach((card, i) => {
          const cp = [...path, 'elements', i];
          if (!isObject(card) || card.type !== 'card') {
            fail(c, [...cp, 'type'], 'must be card');
            return;
          }
          const cardObj = object(c, card, cp, BLOCK_KEYS.card ?? []);
          if (cardObj) cardBlock(c, cardObj, cp);
        });
      }
      break;
    case 'container':
      if (obj.title === undefined && obj.rich_text_title === undefined)
        fail(c, path, 'must provide one of title, rich_text_title');
      if (obj.title !== undefined)
        textObject(c, obj.title, [...path, 'title'], 'plain_text', BLOCK_LIMITS.containerTitle);
      if (obj.rich_text_title !== undefined) richText(c, obj.rich_text_title, [...path, 'rich_text_title']);
      if (obj.subtitle !== undefined)
        textObject(c, obj.subtitle, [...path, 'subtitle'], 'any', BLOCK_LIMITS.containerSubtitle);
      if (obj.icon !== undefined) element(c, obj.icon, [...path, 'icon'], 'accessory');
      oneOf(c, obj, 'width', path, ['narrow', 'standard', 'wide', 'full']);
      for (const key of ['is_collapsible', 'default_collapsed', 'has_header_divider']) boolean(c, obj, key, path);
      if (inContainer) fail(c, [...path, 'type'], 'containers cannot be nested');
      if (
        required(c, obj, 'child_blocks', path) &&
        array(c, obj.child_blocks, [...path, 'child_blocks'], { min: 1, max: BLOCK_LIMITS.containerChildBlocks })
      ) {
        obj.child_blocks.forEach((child, i) => {
          block(c, child, [...path, 'child_blocks', i], true);
        });
      }
      break;
    case 'table':
      if (required(c, obj, 'rows', path)) tableCells(c, obj.rows, [...path, 'rows'], BLOCK_LIMITS.tableRows);
      if (
        obj.column_settings !== undefined &&
        array(c, obj.column_settings, [...path, 'column_settings'], { max: BLOCK_LIMITS.tableColumnSettings })
      ) {
        obj.column_settings.forEach((s, i) => {
          if (s === null) return;
          const sp = [...path, 'column_settings', i];
          const setting = object(c, s, sp, ['align', 'is_wrapped']);
          if (!setting) return;
          oneOf(c, setting, 'align', sp, ['left', 'center', 'right']);
          boolean(c, setting, 'is_wrapped', sp);
        });
      }
      break;
    case 'data_table':
      if (required(c, obj, 'rows', path)) tableCells(c, obj.rows, [...path, 'rows'], Number.POSITIVE_INFINITY);
      if (required(c, obj, 'caption', path)) string(c, obj.caption, [...path, 'caption'], { min: 1 });
      integer(c, obj, 'page_size', path, { min: 1, max: 100 });
      integer(c, obj, 'row_header_column_index', path, { min: 0 });
      break;
    case 'file':
      if (required(c, obj, 'source', path)) string(c, obj.source, [...path, 'source'], { min: 1 });
      if (required(c, obj, 'external_id', path)) string(c, obj.external_id, [...path, 'external_id'], { min: 1 });
      break;
    case 'video':
      for (const key of ['video_url', 'thumbnail_url', 'alt_text']) {
        if (required(c, obj, key, path)) string(c, obj[key], [...path, key], { min: 1 });
      }
      if (required(c, obj, 'title', path)) {
        textObject(c, obj.title, [...path, 'title'], 'plain_text');
        if (isObject(obj.title) && typeof obj.title.text === 'string') {
          string(c, obj.title.text, [...path, 'title', 'text'], { below: BLOCK_LIMITS.videoTitleBelow });
        }
      }
      if (obj.author_name !== undefined) {
        string(c, obj.author_name, [...path, 'author_name'], { below: BLOCK_LIMITS.videoAuthorBelow });
      }
      for (const key of ['title_url', 'provider_name', 'provider_icon_url']) optionalString(c, obj, key, path);
      if (obj.description !== undefined) textObject(c, obj.description, [...path, 'description'], 'plain_text');
      break;
    case 'plan':
      if (required(c, obj, 'title', path)) string(c, obj.title, [...path, 'title'], { min: 1 });
      if (obj.tasks !== undefined) array(c, obj.tasks, [...path, 'tasks']);
      break;
    case 'task_card':
      if (required(c, obj, 'task_id', path)) string(c, obj.task_id, [...path, 'task_id'], { min: 1 });
      if (required(c, obj, 'title', path)) string(c, obj.title, [...path, 'title'], { min: 1 });
      if (required(c, obj, 'status', path))
        oneOf(c, obj, 'status', path, ['pending', 'in_progress', 'complete', 'error']);
      if (obj.details !== undefined) richText(c, obj.details, [...path, 'details']);
      if (obj.output !== undefined) richText(c, obj.output, [...path, 'output']);
      break;
  }
}

function checkBlockList(c: Checker, blocks: unknown, path: Path): void {
  const max = c.surface === 'message' ? BLOCK_LIMITS.blocksPerMessage : BLOCK_LIMITS.blocksPerView;
  if (!array(c, blocks, path, { max })) return;
  blocks.forEach((b, i) => {
    block(c, b, [...path, i]);
  });
  const seen = new Set<string>();
  blocks.forEach((b, i) => {
    if (!isObject(b) || typeof b.block_id !== 'string') return;
    if (seen.has(b.block_id)) fail(c, [...path, i, 'block_id'], `duplicate block_id: ${b.block_id}`);
    seen.add(b.block_id);
  });
}

/**
 * Validates a `blocks` array for a surface. Returns Slack-style problem strings; empty means Slack would accept it.
 * Pointers start at `/blocks`.
 */
export function validateBlocks(blocks: unknown, surface: BlockSurface): string[] {
  const c: Checker = { errors: [], surface };
  checkBlockList(c, blocks, ['blocks']);
  return c.errors;
}

/**
 * Validates a view (`modal` or `home`) as `views.open` / `views.push` / `views.update` / `views.publish` do.
 * Returns Slack-style problem strings; pointers start at `/view`.
 */
export function validateView(view: unknown): string[] {
  const path = ['view'];
  const probe: Checker = { errors: [], surface: 'modal' };
  if (!isObject(view)) {
    fail(probe, path, 'must provide an object');
    return probe.errors;
  }
  const type = view.type;
  if (type !== 'modal' && type !== 'home') {
    fail(probe, [...path, 'type'], 'must be one of: modal, home');
    return probe.errors;
  }
  const c: Checker = { errors: [], surface: type };
  const common = ['blocks', 'private_metadata', 'callback_id', 'external_id'];
  const obj = object(
    c,
    view,
    path,
    type === 'modal'
      ? [...common, 'title', 'close', 'submit', 'clear_on_close', 'notify_on_close', 'submit_disabled']
      : common,
  );
  if (!obj) return c.errors;
  if (required(c, obj, 'blocks', path)) checkBlockList(c, obj.blocks, [...path, 'blocks']);
  optionalString(c, obj, 'private_metadata', path, BLOCK_LIMITS.privateMetadata);
  optionalString(c, obj, 'callback_id', path, BLOCK_LIMITS.callbackId);
  optionalString(c, obj, 'external_id', path, BLOCK_LIMITS.externalId);
  if (type === 'modal') {
    if (required(c, obj, 'title', path))
      textObject(c, obj.title, [...path, 'title'], 'plain_text', BLOCK_LIMITS.viewTitle);
    if (obj.submit !== undefined) textObject(c, obj.submit, [...path, 'submit'], 'plain_text', BLOCK_LIMITS.viewSubmit);
    if (obj.close !== undefined) textObject(c, obj.close, [...path, 'close'], 'plain_text', BLOCK_LIMITS.viewClose);
    for (const key of ['clear_on_close', 'notify_on_close', 'submit_disabled']) boolean(c, obj, key, path);
    const hasInput = Array.isArray(obj.blocks) && obj.blocks.some((b) => isObject(b) && b.type === 'input');
    if (hasInput && obj.submit === undefined)
      fail(c, [...path, 'submit'], 'submit is required when blocks contain input blocks');
  }
  return c.errors;
}
