/// <reference lib="dom" />
/**
 * The sandbox's Slack console: a Slack-like workspace in the browser. Everything a person does here becomes a real
 * signed request from the emulator to the bot, exactly like Slack's; the view refreshes live over SSE.
 */
import { type ActionResult, type ConsoleMessage, type ConsoleState, getState, post, subscribe } from './api.js';
import { append, formatTs, h, link } from './dom.js';
import { renderModal } from './modal.js';
import { composeText } from './mrkdwn.js';
import { type ElementAction, type RenderContext, renderBlocks, renderMrkdwn } from './render-blocks.js';
import { renderSidePanel } from './side-panel.js';

interface Ui {
  me: string;
  channel: string;
  thread: string | undefined;
  highlight: string | undefined;
  openMenu: string | undefined;
  notices: Array<{ id: string; text: string }>;
  dismissed: Set<string>;
  modalKey: string;
  panelKey: string;
  data: ConsoleState | undefined;
}

const ui: Ui = {
  me: localStorage.getItem('slack-console-user') ?? '',
  channel: '',
  thread: undefined,
  highlight: undefined,
  openMenu: undefined,
  notices: [],
  dismissed: new Set(),
  modalKey: '',
  panelKey: '',
  data: undefined,
};

const SYSTEM_SUBTYPES = new Set([
  'channel_join',
  'channel_leave',
  'channel_topic',
  'channel_purpose',
  'channel_archive',
  'tombstone',
]);

// ---- Layout (built once; regions are re-rendered from state) --------------------------------------------------------

const workspaceName = h('div', { className: 'workspace-name', 'data-testid': 'workspace-name' });
const live = h('span', { className: 'live', 'data-testid': 'live', title: 'live updates' }, '●');
const userPicker = h('select', { className: 'select user-picker', 'data-testid': 'user-picker', title: 'Who you are' });
const channelList = h('nav', { className: 'channel-list', 'data-testid': 'channel-list' });
const channelHeader = h('header', { className: 'channel-header', 'data-testid': 'channel-header' });
const messageList = h('div', { className: 'messages', 'data-testid': 'messages' });
const statusBanner = h('div', { className: 'status-banner', hidden: true, 'data-testid': 'status-banner' });
const composerInput = h('textarea', {
  className: 'composer-input',
  rows: 1,
  'data-testid': 'composer-input',
  placeholder: 'Message (@incident-bot to ask the app), or /incident …',
});
const composerSend = h('button', { className: 'btn btn-primary', 'data-testid': 'composer-send' }, 'Send');
const threadPane = h('aside', { className: 'thread-pane', hidden: true, 'data-testid': 'thread-pane' });
const sidePanelHost = h('div', { className: 'side-panel-host' });
const modalHost = h('div', { className: 'modal-host' });
const noticeHost = h('div', { className: 'notices', 'data-testid': 'notices' });

function layout(root: HTMLElement): void {
  root.replaceChildren(
    h(
      'div',
      { className: 'app' },
      h(
        'div',
        { className: 'sidebar' },
        h('div', { className: 'sidebar-top' }, workspaceName, live),
        h('label', { className: 'picker-label' }, 'You are', userPicker),
        channelList,
      ),
      h(
        'main',
        { className: 'main' },
        channelHeader,
        statusBanner,
        messageList,
        h('div', { className: 'composer' }, composerInput, composerSend),
      ),
      threadPane,
      sidePanelHost,
    ),
    modalHost,
    noticeHost,
  );
}

// ---- Actions -------------------------------------------------------------------------------------------------------

function notify(text: string): void {
  const id = `${Date.now()}-${Math.random()}`;
  ui.notices.push({ id, text });
  renderNotices();
  setTimeout(() => {
    ui.notices = ui.notices.filter((n) => n.id !== id);
    renderNotices();
  }, 10_000);
}

async function act(path: string, body: Record<string, unknown>): Promise<ActionResult> {
  const result = await post(path, body).catch(
    (error: unknown) => ({ ok: false, error: String(error) }) as ActionResult,
  );
  // Failed deliveries to the bot come back in the state's `failures`; anything else (bad input) is shown here.
  if (!result.ok && !('kind' in result)) notify(`⚠️ ${result.error ?? 'failed'}`);
  // Nothing was sent: the app has no request URL yet (the sandbox is still starting it).
  if (!result.ok && result.error === 'no_request_url') {
    notify(`⚠️ ${ui.data?.bot.name ?? 'The app'} is not connected yet: nothing was sent. Try again once it is ready.`);
  }
  await refresh();
  return result;
}

/** Clicks and selections in a message (channel + ts) or in a modal (view id) go to the emulator as block_actions. */
function onElementAction(target: { channelId: string; messageTs: string } | { viewId: string }) {
  return (action: ElementAction): void => {
    const body = {
      userId: ui.me,
      ...target,
      actionId: action.actionId,
      ...(action.blockId !== '' ? { blockId: action.blockId } : {}),
      ...(action.kind === 'select' && action.value !== undefined ? { value: action.value } : {}),
    };
    void act(action.kind === 'click' ? 'click' : 'select', body);
  };
}

async function send(input: HTMLTextAreaElement, threadTs?: string): Promise<void> {
  const typed = input.value.trim();
  const data = ui.data;
  if (typed === '' || !data?.channel) return;
  input.value = '';
  // As Slack's composer does: escape &, <, > and turn @person / #channel into mentions (the command name stays as typed).
  const [first = '', ...rest] = typed.split(' ');
  const channels = data.channels.filter((c) => !c.isIm);
  const text = first.startsWith('/')
    ? [first, composeText(rest.join(' '), data.users, channels)].join(' ').trim()
    : composeText(typed, data.users, channels);
  await act('compose', { userId: ui.me, channelId: ui.channel, text, ...(threadTs ? { threadTs } : {}) });
}

// ---- Rendering -----------------------------------------------------------------------------------------------------

function context(onAction: (action: ElementAction) => void): RenderContext {
  const data = ui.data;
  return {
    users: data?.users ?? [],
    channels: data?.channels ?? [],
    onAction,
    ...(ui.openMenu !== undefined ? { openMenu: ui.openMenu } : {}),
    setOpenMenu: (key) => {
      ui.openMenu = key;
    },
  };
}

function author(message: ConsoleMessage): { name: string; isApp: boolean } {
  const data = ui.data;
  if (message.user === 'USLACKBOT') return { name: 'Slackbot', isApp: true };
  const user = data?.users.find((u) => u.id === message.user);
  if (message.bot_id !== undefined) return { name: user?.realName ?? data?.bot.name ?? 'app', isApp: true };
  return { name: user?.realName ?? message.user ?? 'someone', isApp: false };
}

function messageView(message: ConsoleMessage, options: { ephemeral?: boolean; inThread?: boolean } = {}): HTMLElement {
  const who = author(message);
  const system = message.subtype !== undefined && SYSTEM_SUBTYPES.has(message.subtype);
  const pinned = ui.data?.channel?.pins.includes(message.ts) ?? false;
  const ctx = context(onElementAction({ channelId: message.channel, messageTs: message.ts }));
  const body =
    message.blocks && message.blocks.length > 0
      ? renderBlocks(message.blocks, ctx)
      : h('div', { className: 'text' }, renderMrkdwn(message.text, ctx));
  const reactions = (message.reactions ?? []).map((r) =>
    h(
      'button',
      {
        className: `reaction${r.users.includes(ui.me) ? ' mine' : ''}`,
        'data-testid': `reaction-${message.ts}-${r.name}`,
        title: `:${r.name}:`,
        onclick: () =>
          void act('reaction', { userId: ui.me, channelId: message.channel, ts: message.ts, name: r.name }),
      },
      `${r.name === 'pushpin' ? '📌' : r.name === 'eyes' ? '👀' : r.name === 'white_check_mark' ? '✅' : `:${r.name}:`} ${r.count}`,
    ),
  );
  const replies = !options.inThread && (message.reply_count ?? 0) > 0;
  const toolbar =
    options.ephemeral || system
      ? null
      : h(
          'div',
          { className: 'toolbar' },
          h(
            'button',
            {
              className: 'tool',
              title: 'Add :pushpin: reaction',
              'data-testid': `react-pushpin-${message.ts}`,
              onclick: () =>
                void act('reaction', { userId: ui.me, channelId: message.channel, ts: message.ts, name: 'pushpin' }),
            },
            '📌',
          ),
          options.inThread
            ? null
            : h(
                'button',
                {
                  className: 'tool',
                  title: 'Reply in thread',
                  'data-testid': `reply-${message.ts}`,
                  onclick: () => {
                    ui.thread = message.ts;
                    render();
                  },
                },
                '💬',
              ),
        );
  return h(
    'div',
    {
      className: `message${options.ephemeral ? ' ephemeral' : ''}${system ? ' system' : ''}${ui.highlight === message.ts ? ' highlight' : ''}`,
      'data-testid': options.ephemeral ? `ephemeral-${message.ts}` : `message-${message.ts}`,
      'data-ts': message.ts,
    },
    h('div', { className: 'avatar', 'aria-hidden': 'true' }, who.name.slice(0, 1).toUpperCase()),
    h(
      'div',
      { className: 'message-main' },
      h(
        'div',
        { className: 'message-meta' },
        h('span', { className: 'author' }, who.name),
        who.isApp ? h('span', { className: 'app-badge' }, 'APP') : null,
        h('span', { className: 'time' }, formatTs(message.ts)),
        message.edited ? h('span', { className: 'edited' }, '(edited)') : null,
        pinned ? h('span', { className: 'pinned', 'data-testid': `pinned-${message.ts}` }, '📌 Pinned') : null,
      ),
      options.ephemeral
        ? h('div', { className: 'ephemeral-label', 'data-testid': 'ephemeral-label' }, '👁 Only visible to you')
        : null,
      body,
      reactions.length > 0 ? h('div', { className: 'reactions' }, ...reactions) : null,
      replies
        ? h(
            'button',
            {
              className: 'thread-link',
              'data-testid': `open-thread-${message.ts}`,
              onclick: () => {
                ui.thread = message.ts;
                render();
              },
            },
            `${message.reply_count} ${message.reply_count === 1 ? 'reply' : 'replies'}`,
          )
        : null,
    ),
    toolbar,
  );
}

function renderSidebar(data: ConsoleState): void {
  workspaceName.textContent = data.team.name;
  const humans = data.users.filter((u) => !u.isBot);
  if (userPicker.options.length !== humans.length) {
    userPicker.replaceChildren(...humans.map((u) => h('option', { value: u.id }, `${u.realName} (@${u.name})`)));
  }
  userPicker.value = ui.me;
  const item = (c: ConsoleState['channels'][number]) =>
    h(
      'a',
      {
        href: `#channel=${c.id}`,
        className: `channel-link${c.id === ui.channel ? ' active' : ''}${c.isMember ? '' : ' not-member'}${c.isArchived ? ' archived' : ''}`,
        'data-testid': `channel-link-${c.isIm ? `dm-${c.name}` : c.name}`,
        onclick: (event: Event) => {
          event.preventDefault();
          selectChannel(c.id);
        },
      },
      c.isIm ? '● ' : c.isPrivate ? '🔒 ' : '# ',
      c.name,
    );
  channelList.replaceChildren(
    h('div', { className: 'list-title' }, 'Channels'),
    ...data.channels.filter((c) => !c.isIm).map(item),
    h('div', { className: 'list-title' }, 'Direct messages'),
    ...data.channels.filter((c) => c.isIm).map(item),
  );
}

function renderMain(data: ConsoleState): void {
  const channel = data.channel;
  if (!channel) {
    channelHeader.replaceChildren(h('h1', {}, 'No channel'));
    messageList.replaceChildren();
    return;
  }
  channelHeader.replaceChildren();
  append(
    channelHeader,
    h('h1', { 'data-testid': 'channel-name' }, channel.isIm ? channel.name : `# ${channel.name}`),
    channel.topic
      ? h(
          'div',
          { className: 'topic', 'data-testid': 'channel-topic' },
          renderMrkdwn(
            channel.topic,
            context(() => undefined),
          ),
        )
      : null,
    channel.bookmarks.length > 0
      ? h('div', { className: 'bookmarks' }, ...channel.bookmarks.map((b) => link(b.link, `🔖 ${b.title}`)))
      : null,
  );
  const atBottom = messageList.scrollHeight - messageList.scrollTop - messageList.clientHeight < 40;
  const items: Array<{ ts: string; node: HTMLElement }> = [
    ...data.messages.map((m) => ({ ts: m.ts, node: messageView(m) })),
    ...data.ephemerals
      .filter((m) => m.thread_ts === undefined)
      .map((m) => ({ ts: m.ts, node: messageView(m, { ephemeral: true }) })),
  ];
  items.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
  const nodes = items.map((i) => i.node);
  if (data.olderMessages > 0) {
    nodes.unshift(
      h(
        'div',
        { className: 'older', 'data-testid': 'older-messages' },
        `${data.olderMessages} older messages are not shown`,
      ),
    );
  }
  if (!channel.isMember && !channel.isIm) {
    nodes.push(
      h(
        'div',
        { className: 'join-banner' },
        `You are not in #${channel.name}. `,
        h(
          'button',
          {
            className: 'btn btn-primary',
            'data-testid': 'join-channel',
            onclick: () => void act('join', { userId: ui.me, channelId: channel.id }),
          },
          'Join channel',
        ),
      ),
    );
  }
  messageList.replaceChildren(
    ...(nodes.length > 0 ? nodes : [h('div', { className: 'empty' }, 'No messages yet. Try /incident help')]),
  );
  if (ui.highlight !== undefined) {
    messageList.querySelector(`[data-ts="${CSS.escape(ui.highlight)}"]`)?.scrollIntoView({ block: 'center' });
  } else if (atBottom) {
    messageList.scrollTop = messageList.scrollHeight;
  }
  composerInput.disabled = !channel.isMember && !channel.isIm;
}

function renderThread(data: ConsoleState): void {
  const parent = ui.thread === undefined ? undefined : data.messages.find((m) => m.ts === ui.thread);
  if (!parent) {
    threadPane.hidden = true;
    threadPane.replaceChildren();
    return;
  }
  const input = h('textarea', {
    className: 'composer-input',
    rows: 1,
    'data-testid': 'thread-composer-input',
    placeholder: 'Reply…',
  });
  const sendReply = (): void => void send(input, parent.ts);
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      sendReply();
    }
  });
  const ephemeralReplies = data.ephemerals
    .filter((m) => m.thread_ts === parent.ts)
    .map((m) => messageView(m, { ephemeral: true, inThread: true }));
  threadPane.hidden = false;
  threadPane.replaceChildren(
    h(
      'div',
      { className: 'thread-header' },
      h('h2', {}, 'Thread'),
      h(
        'button',
        {
          className: 'btn btn-close',
          'data-testid': 'thread-close',
          onclick: () => {
            ui.thread = undefined;
            render();
          },
        },
        '✕',
      ),
    ),
    messageView(parent, { inThread: true }),
    h('div', { className: 'thread-count' }, `${parent.replies?.length ?? 0} replies`),
    ...(parent.replies ?? []).map((r) => messageView(r, { inThread: true })),
    ...ephemeralReplies,
    h(
      'div',
      { className: 'composer' },
      input,
      h('button', { className: 'btn btn-primary', 'data-testid': 'thread-composer-send', onclick: sendReply }, 'Reply'),
    ),
  );
}

function renderModalLayer(data: ConsoleState): void {
  const top = data.views.at(-1);
  const key = top ? `${top.id}:${top.hash}:${JSON.stringify(top.errors)}:${data.views.length}` : '';
  if (key === ui.modalKey) return;
  ui.modalKey = key;
  if (!top) {
    modalHost.replaceChildren();
    return;
  }
  modalHost.replaceChildren(
    renderModal(top, data.views.length, context(onElementAction({ viewId: top.id })), {
      submit: (viewId, values) => void act('view/submit', { userId: ui.me, viewId, values }),
      close: (viewId) => void act('view/close', { userId: ui.me, viewId }),
    }),
  );
}

function renderSide(data: ConsoleState): void {
  if (!data.sidePanel) {
    sidePanelHost.replaceChildren();
    return;
  }
  const key = JSON.stringify(data.sidePanel);
  if (key === ui.panelKey) return;
  ui.panelKey = key;
  const keep = ['pd-service', 'pd-title', 'pd-urgency', 'pd-storm-count'].map(
    (id) => [id, sidePanelHost.querySelector<HTMLInputElement>(`[data-testid="${id}"]`)?.value] as const,
  );
  sidePanelHost.replaceChildren(
    renderSidePanel(data.sidePanel, {
      trigger: (input) => void act('pagerduty/trigger', input),
      storm: (count) => void act('pagerduty/storm', { count }),
      acknowledge: (incidentId) => void act('pagerduty/acknowledge', { incidentId }),
      resolve: (incidentId) => void act('pagerduty/resolve', { incidentId }),
    }),
  );
  for (const [id, value] of keep) {
    const el = sidePanelHost.querySelector<HTMLInputElement>(`[data-testid="${id}"]`);
    if (el && value !== undefined) el.value = value;
  }
}

function renderStatus(data: ConsoleState): void {
  const notice = data.notice;
  statusBanner.hidden = notice === null;
  statusBanner.className = `status-banner${notice?.level === 'warning' ? ' warning' : ''}`;
  statusBanner.textContent = notice?.text ?? '';
}

function renderNotices(): void {
  const failures = (ui.data?.failures ?? [])
    .map((f) => ({
      id: `${f.kind}-${f.sentAt}`,
      text: `⚠️ ${ui.data?.bot.name ?? 'The app'} did not answer the ${f.kind.replace('_', ' ')}: ${f.error ?? 'error'}${f.detail ? ` (${f.detail})` : ''}`,
    }))
    .filter((f) => !ui.dismissed.has(f.id));
  noticeHost.replaceChildren(
    ...[...failures, ...ui.notices].map((n) =>
      h(
        'div',
        {
          className: 'notice',
          'data-testid': 'notice',
          onclick: () => {
            ui.dismissed.add(n.id);
            ui.notices = ui.notices.filter((x) => x.id !== n.id);
            renderNotices();
          },
        },
        n.text,
      ),
    ),
  );
}

function render(): void {
  const data = ui.data;
  if (!data) return;
  renderSidebar(data);
  renderStatus(data);
  renderMain(data);
  renderThread(data);
  renderModalLayer(data);
  renderSide(data);
  renderNotices();
}

// ---- State ---------------------------------------------------------------------------------------------------------

let refreshing: Promise<void> | undefined;
let again = false;

/** Fetches the state and re-renders; calls that arrive meanwhile coalesce into one more refresh. */
async function refresh(): Promise<void> {
  if (refreshing) {
    again = true;
    return refreshing;
  }
  refreshing = (async () => {
    do {
      again = false;
      const data = await getState(ui.me, ui.channel);
      const humans = data.users.filter((u) => !u.isBot);
      if (!humans.some((u) => u.id === ui.me) && humans[0]) {
        ui.me = humans[0].id;
        again = true;
      }
      if (!data.channels.some((c) => c.id === ui.channel)) {
        const first = data.channels.find((c) => c.isMember && !c.isArchived && !c.isIm) ?? data.channels[0];
        if (first) {
          ui.channel = first.id;
          again = true;
        }
      }
      ui.data = data;
      if (!again) render();
    } while (again);
  })().finally(() => {
    refreshing = undefined;
  });
  return refreshing;
}

function selectChannel(id: string): void {
  ui.channel = id;
  ui.thread = undefined;
  ui.highlight = undefined;
  history.replaceState(null, '', `#channel=${id}`);
  void refresh();
}

function readHash(): void {
  const params = new URLSearchParams(location.hash.slice(1));
  const channel = params.get('channel');
  if (channel) ui.channel = channel;
  ui.highlight = params.get('ts') ?? undefined;
  const thread = params.get('thread');
  if (thread) ui.thread = thread;
}

function start(): void {
  const root = document.getElementById('app');
  if (!root) return;
  layout(root);
  readHash();
  userPicker.addEventListener('change', () => {
    ui.me = userPicker.value;
    localStorage.setItem('slack-console-user', ui.me);
    ui.modalKey = '';
    void refresh();
  });
  composerInput.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      void send(composerInput);
    }
  });
  composerSend.addEventListener('click', () => void send(composerInput));
  window.addEventListener('hashchange', () => {
    readHash();
    void refresh();
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  subscribe(
    () => {
      clearTimeout(timer);
      timer = setTimeout(() => void refresh(), 30);
    },
    (isLive) => {
      live.classList.toggle('on', isLive);
      live.title = isLive ? 'live updates on' : 'reconnecting…';
    },
  );
  void refresh();
}

start();
