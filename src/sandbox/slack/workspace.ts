import type { Clock } from '../../shared/clock.js';
import { AppError, ErrorCode } from '../../shared/errors.js';
import type { IdGenerator } from './ids.js';
import type {
  Channel,
  Message,
  SlackChannelSeed,
  SlackEmulatorChange,
  SlackUser,
  SlackUsergroupSeed,
  SlackUserSeed,
  View,
} from './types.js';

/** Slack's default app icons, as bot_profile.icons carries them. */
const BOT_ICONS = {
  image_36: 'https://a.slack-edge.com/80588/img/plugins/app/bot_36.png',
  image_48: 'https://a.slack-edge.com/80588/img/plugins/app/bot_48.png',
  image_72: 'https://a.slack-edge.com/80588/img/plugins/app/service_72.png',
};

/** Slack's own system user, author of "failed with the error …" notices. */
export const SLACKBOT_ID = 'USLACKBOT';

export interface BotIdentity {
  userId: string;
  botId: string;
  appId: string;
  name: string;
  token: string;
  signingSecret: string;
  scopes: ReadonlySet<string>;
  /** Legacy verification token Slack still puts in payloads. */
  verificationToken: string;
}

export interface Usergroup {
  id: string;
  handle: string;
  name: string;
  users: string[];
}

export interface Workspace {
  readonly team: { id: string; name: string; domain: string };
  readonly bot: BotIdentity;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly users: Map<string, SlackUser>;
  readonly channels: Map<string, Channel>;
  readonly usergroups: Map<string, Usergroup>;
  readonly views: Map<string, View>;
  /** userId → modal stack (view ids, bottom first). */
  readonly stacks: Map<string, string[]>;
  /** userId → Home tab view id. */
  readonly homes: Map<string, string>;
  /** channelId → pinned message ts, in pin order. */
  readonly pins: Map<string, string[]>;
  nowSeconds(): number;
  findUser(ref: string): SlackUser | undefined;
  findChannel(ref: string): Channel | undefined;
  /** The DM channel between the bot and a user, created on first use. */
  imWith(userId: string): Channel;
  createChannel(input: { name: string; isPrivate: boolean; creator: string; members: string[] }): Channel;
  /** All messages of a channel (top-level and replies), ts order. */
  allMessages(channelId: string): Message[];
  findMessage(channelId: string, ts: string): Message | undefined;
  /** Inserts a message authored by `user` (and `bot_id` for bots); threads and broadcasts are kept consistent. */
  insertMessage(
    channelId: string,
    fields: Omit<Message, 'channel' | 'type' | 'ts'>,
    options?: { threadTs?: string; broadcast?: boolean },
  ): Message;
  deleteMessage(channelId: string, ts: string): void;
  ephemerals(): Message[];
  addEphemeral(
    channelId: string,
    userId: string,
    fields: Omit<Message, 'channel' | 'type' | 'ts' | 'visibleTo'>,
  ): Message;
  replaceEphemeral(message: Message, fields: Partial<Message>): void;
  removeEphemeral(message: Message): void;
  botProfile(): NonNullable<Message['bot_profile']>;
  /** A deep copy of what persists: people, channels, groups, messages, pins and Home tabs (not modals or ephemerals). */
  content(): WorkspaceContent;
  emit(change: SlackEmulatorChange): void;
  subscribe(listener: (change: SlackEmulatorChange) => void): () => void;
}

/** What a workspace keeps across a restart (see `Workspace.content`). */
export interface WorkspaceContent {
  /** Everyone, Slackbot and the bot user included. */
  users: SlackUser[];
  channels: Channel[];
  usergroups: Usergroup[];
  /** Every channel's messages, top-level and replies, in ts order per channel. */
  messages: Message[];
  /** channelId → pinned message ts, in pin order. */
  pins: Array<[string, string[]]>;
  /** Published Home tabs. */
  homes: View[];
}

export interface WorkspaceSeed {
  team: { id: string; name: string; domain: string };
  bot: BotIdentity;
  users: SlackUserSeed[];
  channels: SlackChannelSeed[];
  usergroups: SlackUsergroupSeed[];
  clock: Clock;
  ids: IdGenerator;
  /** Start from this content instead of the seeds (`users`, `channels` and `usergroups` are then ignored). */
  restore?: WorkspaceContent;
}

function notFound(message: string): AppError {
  return new AppError(ErrorCode.NotFound, message);
}

/**
 * Builds the in-memory workspace from seeds (users plus the bot and Slackbot, channels plus #general, groups), or from
 * the content of an earlier one (`seed.restore`).
 */
export function createWorkspace(seed: WorkspaceSeed): Workspace {
  const { team, bot, clock, ids } = seed;
  const users = new Map<string, SlackUser>();
  const channels = new Map<string, Channel>();
  const usergroups = new Map<string, Usergroup>();
  const messagesByChannel = new Map<string, Message[]>();
  const ephemeralList: Message[] = [];
  const listeners = new Set<(change: SlackEmulatorChange) => void>();
  const createdAt = Math.floor(clock.now() / 1000);

  const addUser = (u: SlackUser): void => {
    if (users.has(u.id)) throw new AppError(ErrorCode.InvalidInput, `duplicate user id ${u.id}`);
    users.set(u.id, u);
  };

  const findUser = (ref: string): SlackUser | undefined => {
    const direct = users.get(ref);
    if (direct) return direct;
    const lowered = ref.replace(/^@/, '').toLowerCase();
    for (const u of users.values()) {
      if (u.name.toLowerCase() === lowered || (u.email !== '' && u.email.toLowerCase() === lowered)) return u;
    }
    return undefined;
  };

  const findChannel = (ref: string): Channel | undefined => {
    const direct = channels.get(ref);
    if (direct) return direct;
    const name = ref.replace(/^#/, '');
    for (const c of channels.values()) if (!c.isIm && c.name === name) return c;
    return undefined;
  };

  const createChannel: Workspace['createChannel'] = (input) => {
    const channel: Channel = {
      id: ids.id('C'),
      name: input.name,
      isPrivate: input.isPrivate,
      isIm: false,
      isArchived: false,
      isGeneral: false,
      created: Math.floor(clock.now() / 1000),
      creator: input.creator,
      members: [...new Set(input.members)],
      topic: { value: '', creator: '', last_set: 0 },
      purpose: { value: '', creator: '', last_set: 0 },
      bookmarks: [],
    };
    channels.set(channel.id, channel);
    messagesByChannel.set(channel.id, []);
    return channel;
  };

  /** A restart: everything as it was saved. */
  function load(content: WorkspaceContent): void {
    for (const u of content.users) addUser(u);
    for (const c of content.channels) {
      if (channels.has(c.id)) throw new AppError(ErrorCode.InvalidInput, `duplicate channel id ${c.id}`);
      channels.set(c.id, c);
      messagesByChannel.set(c.id, []);
    }
    for (const m of content.messages) {
      const messages = messagesByChannel.get(m.channel);
      if (!messages) throw new AppError(ErrorCode.InvalidInput, `message ${m.ts} is in unknown channel ${m.channel}`);
      messages.push(m);
    }
    for (const messages of messagesByChannel.values())
      messages.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
    for (const g of content.usergroups) usergroups.set(g.id, g);
  }

  /** A first start: Slackbot, the bot user, the seeded people, channels (plus #general) and groups. */
  function build(): void {
    addUser({
      id: SLACKBOT_ID,
      teamId: team.id,
      name: 'slackbot',
      realName: 'Slackbot',
      email: '',
      tz: 'America/Los_Angeles',
      isBot: true,
      deleted: false,
    });
    addUser({
      id: bot.userId,
      teamId: team.id,
      name: bot.name,
      realName: bot.name,
      email: '',
      tz: 'America/Los_Angeles',
      isBot: true,
      botId: bot.botId,
      deleted: false,
    });
    for (const u of seed.users) {
      addUser({
        id: u.id ?? ids.id('U'),
        teamId: team.id,
        name: u.name,
        realName: u.realName,
        email: u.email,
        tz: u.tz ?? 'UTC',
        isBot: u.isBot ?? false,
        deleted: false,
        ...(u.isBot ? { botId: ids.id('B') } : {}),
      });
    }
    const humans = [...users.values()].filter((u) => !u.isBot).map((u) => u.id);

    const seededChannels = [...seed.channels];
    if (!seededChannels.some((c) => c.name === 'general')) seededChannels.unshift({ name: 'general' });
    for (const c of seededChannels) {
      const members = (c.members ?? humans).map((ref) => {
        const u = findUser(ref);
        if (!u) throw new AppError(ErrorCode.InvalidInput, `channel #${c.name}: unknown member "${ref}"`);
        return u.id;
      });
      if (c.botMember ?? true) members.push(bot.userId);
      if (c.id !== undefined && channels.has(c.id))
        throw new AppError(ErrorCode.InvalidInput, `duplicate channel id ${c.id}`);
      if (findChannel(c.name)) throw new AppError(ErrorCode.InvalidInput, `duplicate channel name #${c.name}`);
      const channel: Channel = {
        id: c.id ?? ids.id('C'),
        name: c.name,
        isPrivate: c.isPrivate ?? false,
        isIm: false,
        isArchived: false,
        isGeneral: c.name === 'general',
        created: createdAt,
        creator: members.find((m) => m !== bot.userId) ?? bot.userId,
        members: [...new Set(members)],
        topic: { value: c.topic ?? '', creator: c.topic ? bot.userId : '', last_set: c.topic ? createdAt : 0 },
        purpose: { value: c.purpose ?? '', creator: c.purpose ? bot.userId : '', last_set: c.purpose ? createdAt : 0 },
        bookmarks: [],
      };
      channels.set(channel.id, channel);
      messagesByChannel.set(channel.id, []);
    }

    for (const g of seed.usergroups) {
      const members = g.users.map((ref) => {
        const u = findUser(ref);
        if (!u) throw new AppError(ErrorCode.InvalidInput, `usergroup @${g.handle}: unknown user "${ref}"`);
        return u.id;
      });
      usergroups.set(g.id, { id: g.id, handle: g.handle, name: g.name, users: members });
    }
  }

  const restore = seed.restore === undefined ? undefined : structuredClone(seed.restore);
  if (restore) load(restore);
  else build();

  const list = (channelId: string): Message[] => {
    const l = messagesByChannel.get(channelId);
    if (!l) throw notFound(`no channel ${channelId}`);
    return l;
  };

  const findMessage = (channelId: string, ts: string): Message | undefined =>
    messagesByChannel.get(channelId)?.find((m) => m.ts === ts);

  const botProfile = (): NonNullable<Message['bot_profile']> => ({
    id: bot.botId,
    app_id: bot.appId,
    name: bot.name,
    deleted: false,
    updated: createdAt,
    team_id: team.id,
    icons: { ...BOT_ICONS },
  });

  const views = new Map<string, View>();
  const homes = new Map<string, string>();
  for (const view of restore?.homes ?? []) {
    views.set(view.id, view);
    homes.set(view.userId, view.id);
  }

  const workspace: Workspace = {
    team,
    bot,
    clock,
    ids,
    users,
    channels,
    usergroups,
    views,
    stacks: new Map(),
    homes,
    pins: new Map(restore?.pins ?? []),
    nowSeconds: () => Math.floor(clock.now() / 1000),
    findUser,
    findChannel,
    imWith(userId) {
      for (const c of channels.values()) if (c.isIm && c.imUser === userId) return c;
      const channel: Channel = {
        id: ids.id('D'),
        name: userId,
        isPrivate: true,
        isIm: true,
        isArchived: false,
        isGeneral: false,
        created: Math.floor(clock.now() / 1000),
        creator: bot.userId,
        members: [userId, bot.userId],
        topic: { value: '', creator: '', last_set: 0 },
        purpose: { value: '', creator: '', last_set: 0 },
        bookmarks: [],
        imUser: userId,
      };
      channels.set(channel.id, channel);
      messagesByChannel.set(channel.id, []);
      return channel;
    },
    createChannel,
    allMessages: (channelId) => [...list(channelId)],
    findMessage,
    insertMessage(channelId, fields, options = {}) {
      const messages = list(channelId);
      const ts = ids.ts(clock.now());
      const message: Message = { channel: channelId, type: 'message', ts, ...fields };
      if (options.threadTs !== undefined) {
        const parent = findMessage(channelId, options.threadTs);
        if (!parent) throw notFound(`no message ${options.threadTs} in ${channelId}`);
        // A reply to a reply lands in the root's thread, as in Slack.
        const root =
          parent.thread_ts !== undefined && parent.thread_ts !== parent.ts
            ? (findMessage(channelId, parent.thread_ts) ?? parent)
            : parent;
        message.thread_ts = root.ts;
        if (root.user !== undefined) message.parent_user_id = root.user;
        if (options.broadcast) message.subtype = 'thread_broadcast';
        root.thread_ts = root.ts;
        root.reply_count = (root.reply_count ?? 0) + 1;
        const author = fields.user ?? fields.bot_id ?? '';
        const replyUsers = new Set(root.reply_users ?? []);
        if (author !== '') replyUsers.add(author);
        root.reply_users = [...replyUsers];
        root.reply_users_count = replyUsers.size;
        root.latest_reply = ts;
      }
      messages.push(message);
      workspace.emit({ type: 'message', channel: channelId, ts });
      return message;
    },
    deleteMessage(channelId, ts) {
      const messages = list(channelId);
      const index = messages.findIndex((m) => m.ts === ts);
      if (index < 0) throw notFound(`no message ${ts} in ${channelId}`);
      const message = messages[index] as Message;
      const isRootWithReplies = message.thread_ts === message.ts && (message.reply_count ?? 0) > 0;
      if (isRootWithReplies) {
        // Slack keeps a tombstone so the thread stays reachable.
        for (const key of [
          'blocks',
          'attachments',
          'bot_id',
          'app_id',
          'bot_profile',
          'edited',
          'reactions',
        ] as const) {
          delete message[key];
        }
        message.subtype = 'tombstone';
        message.text = 'This message was deleted.';
        message.user = SLACKBOT_ID;
      } else {
        messages.splice(index, 1);
        if (message.thread_ts !== undefined && message.thread_ts !== message.ts) {
          const root = findMessage(channelId, message.thread_ts);
          if (root) {
            const remaining = messages.filter((m) => m.thread_ts === root.ts && m.ts !== root.ts);
            root.reply_count = remaining.length;
            const replyUsers = [...new Set(remaining.map((m) => m.user ?? m.bot_id ?? '').filter((u) => u !== ''))];
            root.reply_users = replyUsers;
            root.reply_users_count = replyUsers.length;
            root.latest_reply = remaining.at(-1)?.ts ?? root.ts;
          }
        }
      }
      const pinned = workspace.pins.get(channelId);
      if (pinned?.includes(ts) && !isRootWithReplies) {
        workspace.pins.set(
          channelId,
          pinned.filter((p) => p !== ts),
        );
      }
      workspace.emit({ type: 'message', channel: channelId, ts });
    },
    ephemerals: () => [...ephemeralList],
    addEphemeral(channelId, userId, fields) {
      const ts = ids.ts(clock.now());
      const message: Message = { channel: channelId, type: 'message', ts, ...fields, visibleTo: userId };
      ephemeralList.push(message);
      workspace.emit({ type: 'ephemeral', channel: channelId, userId, ts });
      return message;
    },
    replaceEphemeral(message, fields) {
      Object.assign(message, fields);
      workspace.emit({ type: 'ephemeral', channel: message.channel, userId: message.visibleTo ?? '', ts: message.ts });
    },
    removeEphemeral(message) {
      const index = ephemeralList.indexOf(message);
      if (index >= 0) ephemeralList.splice(index, 1);
      workspace.emit({ type: 'ephemeral', channel: message.channel, userId: message.visibleTo ?? '', ts: message.ts });
    },
    botProfile,
    content: () =>
      structuredClone({
        users: [...users.values()],
        channels: [...channels.values()],
        usergroups: [...usergroups.values()],
        messages: [...messagesByChannel.values()].flat(),
        pins: [...workspace.pins.entries()],
        homes: [...homes.values()].flatMap((viewId) => views.get(viewId) ?? []),
      }),
    emit(change) {
      for (const listener of [...listeners]) {
        try {
          listener(change);
        } catch {
          // A listener's failure must not break the emulator's own bookkeeping.
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
  return workspace;
}

/** Slack's user object (users.info shape). */
export function userObject(user: SlackUser, teamId: string): Record<string, unknown> {
  const [first, ...rest] = user.realName.split(' ');
  return {
    id: user.id,
    team_id: teamId,
    name: user.name,
    deleted: user.deleted,
    color: '9f69e7',
    real_name: user.realName,
    tz: user.tz,
    tz_label: user.tz,
    tz_offset: 0,
    profile: {
      real_name: user.realName,
      real_name_normalized: user.realName,
      display_name: user.name,
      display_name_normalized: user.name,
      first_name: first ?? '',
      last_name: rest.join(' '),
      ...(user.email !== '' ? { email: user.email } : {}),
      title: '',
      phone: '',
      skype: '',
      status_text: '',
      status_emoji: '',
      status_expiration: 0,
      avatar_hash: '',
      team: teamId,
      ...(user.botId !== undefined ? { bot_id: user.botId, always_active: true } : {}),
    },
    is_admin: false,
    is_owner: false,
    is_primary_owner: false,
    is_restricted: false,
    is_ultra_restricted: false,
    is_bot: user.isBot,
    is_app_user: false,
    updated: 0,
    is_email_confirmed: !user.isBot,
    who_can_share_contact_card: 'EVERYONE',
  };
}

/** Slack's conversation object (conversations.info shape) as the bot sees it. */
export function channelObject(
  channel: Channel,
  botUserId: string,
  options: { numMembers?: boolean } = {},
): Record<string, unknown> {
  if (channel.isIm) {
    return {
      id: channel.id,
      created: channel.created,
      is_archived: false,
      is_im: true,
      is_org_shared: false,
      user: channel.imUser,
      is_user_deleted: false,
      priority: 0,
    };
  }
  return {
    id: channel.id,
    name: channel.name,
    is_channel: !channel.isPrivate,
    is_group: channel.isPrivate,
    is_im: false,
    is_mpim: false,
    is_private: channel.isPrivate,
    created: channel.created,
    is_archived: channel.isArchived,
    is_general: channel.isGeneral,
    unlinked: 0,
    name_normalized: channel.name,
    is_shared: false,
    is_org_shared: false,
    is_ext_shared: false,
    is_pending_ext_shared: false,
    pending_shared: [],
    updated: channel.created * 1000,
    creator: channel.creator,
    is_member: channel.members.includes(botUserId),
    last_read: '0000000000.000000',
    topic: channel.topic,
    purpose: channel.purpose,
    previous_names: [],
    ...(options.numMembers ? { num_members: channel.members.length } : {}),
  };
}

/** A message as Slack sends it: emulator-only fields removed. */
export function wireMessage(message: Message): Record<string, unknown> {
  const { channel: _channel, visibleTo: _visibleTo, ...wire } = message;
  return wire;
}

/** A view as Slack sends it: emulator-only fields removed. */
export function wireView(view: View): Record<string, unknown> {
  const { userId: _userId, errors: _errors, ...wire } = view;
  return wire;
}
