import { randomInt } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { systemClock } from '../../shared/clock.js';
import { AppError, ErrorCode, InvalidInputError } from '../../shared/errors.js';
import { silentLogger } from '../../shared/logger.js';
import { type ConsoleHandler, createConsoleHandler } from './console-server.js';
import { createEventDispatcher } from './events.js';
import { createIdGenerator, DEFAULT_SEED } from './ids.js';
import { createInboundSender } from './inbound.js';
import { createInteractions } from './interactions.js';
import { createRateLimiter } from './rate-limit.js';
import { createResponseUrlRegistry } from './response-urls.js';
import { SLACK_SNAPSHOT_VERSION, type SlackWorkspaceSnapshot, takenInContent } from './snapshot.js';
import { createTriggerRegistry } from './triggers.js';
import type {
  ApiCall,
  ConsoleNotice,
  InboundKind,
  SlackEmulator,
  SlackEmulatorChange,
  SlackEmulatorOptions,
} from './types.js';
import { stackOf } from './view-stack.js';
import { messageEvent } from './web-api/chat.js';
import type { MethodContext } from './web-api/context.js';
import { channelTimeline } from './web-api/conversations.js';
import { DEFAULT_SCOPES, handleWebApiRequest } from './web-api/handle-request.js';
import { createWorkspace } from './workspace.js';

/** Largest request body the emulator reads (Slack's own limits are lower for every method used here). */
const MAX_BODY_BYTES = 5 * 1024 * 1024;
const DEFAULT_WAIT_MS = 10_000;

const optionsSchema = z.object({
  port: z.number().int().min(0).max(65535).optional(),
  team: z
    .object({
      id: z.string().regex(/^T[A-Z0-9]{2,}$/, 'a team id such as T0123ABCD'),
      name: z.string().min(1),
      domain: z.string().regex(/^[a-z0-9-]+$/, 'a workspace domain such as acme-sre'),
    })
    .optional(),
  users: z
    .array(
      z.object({
        id: z
          .string()
          .regex(/^[UW][A-Z0-9]{2,}$/, 'a user id such as U0123ABCD')
          .optional(),
        name: z.string().min(1),
        realName: z.string().min(1),
        email: z.email(),
        tz: z.string().optional(),
        isBot: z.boolean().optional(),
      }),
    )
    .optional(),
  channels: z
    .array(
      z.object({
        id: z
          .string()
          .regex(/^[CG][A-Z0-9]{2,}$/, 'a channel id such as C0123ABCD')
          .optional(),
        name: z.string().regex(/^[a-z0-9_-]{1,80}$/, 'lower-case letters, digits, - and _, at most 80'),
        isPrivate: z.boolean().optional(),
        members: z.array(z.string().min(1)).optional(),
        botMember: z.boolean().optional(),
        topic: z.string().max(250).optional(),
        purpose: z.string().max(250).optional(),
      }),
    )
    .optional(),
  usergroups: z
    .array(
      z.object({
        id: z.string().regex(/^S[A-Z0-9]{2,}$/, 'a usergroup id such as S0123ABCD'),
        handle: z.string().min(1),
        name: z.string().min(1),
        users: z.array(z.string().min(1)),
      }),
    )
    .optional(),
  bot: z.object({
    token: z.string().min(1),
    signingSecret: z.string().min(1),
    requestUrl: z.url().optional(),
    botUserId: z
      .string()
      .regex(/^[UW][A-Z0-9]{2,}$/)
      .optional(),
    botId: z
      .string()
      .regex(/^B[A-Z0-9]{2,}$/)
      .optional(),
    appId: z
      .string()
      .regex(/^A[A-Z0-9]{2,}$/)
      .optional(),
    name: z.string().min(1).optional(),
    scopes: z.array(z.string().min(1)).optional(),
  }),
  rateLimit: z
    .union([z.literal(false), z.object({ perChannelPerSecond: z.number().positive(), burst: z.number().int().min(1) })])
    .optional(),
  ackTimeoutMs: z.number().int().positive().optional(),
  echoBotMessages: z.boolean().optional(),
  seed: z.number().int().optional(),
  restore: z
    .object({ kind: z.literal('slack-workspace') })
    .loose()
    .optional(),
});

/**
 * The id generator's seed: generation 0 is the plain seed (reproducible); a restore forks a fresh stream, salted so
 * two restarts from one snapshot never repeat each other's ids (event_ids a bot has already deduplicated).
 */
function generationSeed(seed: number, generation: number): number {
  return generation === 0 ? seed : (seed ^ Math.imul(generation, 0x9e3779b1) ^ randomInt(0x7fffffff)) >>> 0;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new AppError(ErrorCode.InvalidInput, 'request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/**
 * Starts a Slack workspace emulator on 127.0.0.1: the Web API (`${url}api/<method>`), signed inbound requests to the
 * bot (slash commands, interactivity, Events API), response_urls, and the browser console at `/`.
 */
export async function startSlackEmulator(options: SlackEmulatorOptions): Promise<SlackEmulator> {
  const checked = optionsSchema.safeParse(options);
  if (!checked.success) {
    const issues = checked.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw new InvalidInputError(
      `invalid Slack emulator options: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      issues,
    );
  }
  const clock = options.clock ?? systemClock;
  const signingClock = options.signingClock ?? systemClock;
  const logger = options.logger ?? silentLogger();
  const restore: SlackWorkspaceSnapshot | undefined = options.restore;
  const seed = restore?.seed ?? options.seed ?? DEFAULT_SEED;
  const generation = restore ? restore.generation + 1 : 0;
  const ids = createIdGenerator(generationSeed(seed, generation));
  if (restore) {
    const taken = takenInContent(restore.content);
    ids.reserve(taken.ids);
    if (taken.latestTs !== undefined) ids.observeTs(taken.latestTs);
  }
  const team = restore
    ? { ...restore.team }
    : (options.team ?? { id: ids.id('T'), name: 'Incident Sandbox', domain: 'incident-sandbox' });
  const bot = {
    userId: restore?.bot.userId ?? options.bot.botUserId ?? ids.id('U'),
    botId: restore?.bot.botId ?? options.bot.botId ?? ids.id('B'),
    appId: restore?.bot.appId ?? options.bot.appId ?? ids.id('A'),
    name: options.bot.name ?? 'incident-bot',
    token: options.bot.token,
    signingSecret: options.bot.signingSecret,
    scopes: new Set(options.bot.scopes ?? DEFAULT_SCOPES),
    verificationToken: ids.id('', 24).slice(1),
  };
  const ws = createWorkspace({
    team,
    bot,
    users: options.users ?? [],
    channels: options.channels ?? [],
    usergroups: options.usergroups ?? [],
    clock,
    ids,
    ...(restore ? { restore: restore.content } : {}),
  });
  let notice: ConsoleNotice | undefined;

  let baseUrl = '';
  let requestUrl = options.bot.requestUrl;
  const calls: ApiCall[] = [];
  const rate = options.rateLimit ?? { perChannelPerSecond: 1, burst: 5 };

  const sender = createInboundSender({
    requestUrl: () => requestUrl,
    signingSecret: bot.signingSecret,
    signingClock,
    fetch: options.fetch ?? globalThis.fetch,
    ackTimeoutMs: options.ackTimeoutMs ?? 3000,
    logger,
    onResult: (result) => ws.emit({ type: 'inbound', kind: result.kind, ok: result.ok }),
  });
  const events = createEventDispatcher({
    ws,
    sender,
    echoBotMessages: options.echoBotMessages ?? true,
    hasRequestUrl: () => requestUrl !== undefined && requestUrl !== '',
    logger,
  });
  const triggers = createTriggerRegistry(clock, ids);
  const methodCtx: MethodContext = {
    ws,
    get baseUrl() {
      return baseUrl;
    },
    triggers,
    postLimiter:
      rate === false ? undefined : createRateLimiter({ perSecond: rate.perChannelPerSecond, burst: rate.burst, clock }),
    events,
  };
  const responseUrls = createResponseUrlRegistry({
    ws,
    baseUrl: () => baseUrl,
    onBotMessage: (message) => {
      const channel = ws.channels.get(message.channel);
      if (channel) events.fromBot(messageEvent(message, channel), channel.id);
    },
  });
  const interactions = createInteractions({ ws, methodCtx, sender, events, triggers, responseUrls });

  const consoleOption = options.console ?? true;
  let consoleHandler: ConsoleHandler | undefined;

  const server = createServer((req, res) => {
    void route(req, res).catch((error: unknown) => {
      logger.error({ err: error, url: req.url }, 'slack emulator: request failed');
      if (!res.headersSent) {
        const status = error instanceof AppError && error.code === ErrorCode.InvalidInput ? 400 : 500;
        res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(error instanceof Error ? error.message : 'error');
      } else {
        res.end();
      }
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    if (path.startsWith('/api/')) {
      const body = await readBody(req);
      await handleWebApiRequest(req, res, decodeURIComponent(path.slice('/api/'.length)), body, url.searchParams, {
        ctx: methodCtx,
        record: (call) => calls.push(call),
        logger,
      });
      return;
    }
    if (path.startsWith('/hooks/') && req.method === 'POST') {
      const body = (await readBody(req)).toString('utf8');
      const answer = responseUrls.handle(path, body, String(req.headers['content-type'] ?? 'application/json'));
      res.writeHead(answer.status, { 'content-type': 'text/html' });
      res.end(answer.text);
      return;
    }
    const archive = /^\/archives\/([A-Z0-9]+)\/p(\d{10})(\d{6})$/.exec(path);
    if (archive && req.method === 'GET') {
      const thread = url.searchParams.get('thread_ts');
      const target = `/#channel=${archive[1]}&ts=${archive[2]}.${archive[3]}${thread ? `&thread=${thread}` : ''}`;
      res.writeHead(302, { location: target });
      res.end();
      return;
    }
    if (consoleHandler && (await consoleHandler.handle(req, res, url))) return;
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(consoleHandler ? 'not found' : 'not found (the console is disabled)');
  }

  const port = await listen(server, options.port ?? 0);
  baseUrl = `http://127.0.0.1:${port}/`;

  const emulator: SlackEmulator = {
    url: baseUrl,
    apiUrl: `${baseUrl}api/`,
    team: { ...team },
    bot: { userId: bot.userId, botId: bot.botId, appId: bot.appId, name: bot.name, token: bot.token },
    setRequestUrl(url) {
      const parsed = z.url().safeParse(url);
      if (!parsed.success)
        throw new InvalidInputError(`not a URL: ${url}`, [{ path: 'url', message: 'must be a URL' }]);
      requestUrl = url;
    },
    verifyRequestUrl: () => interactions.verifyRequestUrl(),
    sendSlashCommand: (input) => interactions.sendSlashCommand(input),
    clickButton: (input) => interactions.clickButton(input),
    selectOption: (input) => interactions.selectOption(input),
    submitView: (input) => interactions.submitView(input),
    closeView: (input) => interactions.closeView(input),
    postUserMessage: (input) => interactions.postUserMessage(input),
    addReaction: (input) => interactions.addReaction(input),
    joinChannel: (input) => interactions.joinChannel(input),
    redeliverLastEvent: (retry = { retryNum: 1 }) =>
      events.redeliverLast({ num: retry.retryNum, reason: retry.retryReason ?? 'http_timeout' }),
    user: (ref) => ws.findUser(ref),
    users: () => [...ws.users.values()],
    channel: (ref) => ws.findChannel(ref),
    channels: () => [...ws.channels.values()],
    messages: (channelId) => (ws.channels.has(channelId) ? channelTimeline(ws.allMessages(channelId)) : []),
    replies: (channelId, threadTs) =>
      ws.channels.has(channelId)
        ? ws.allMessages(channelId).filter((m) => m.thread_ts === threadTs && m.ts !== threadTs)
        : [],
    message: (channelId, ts) => ws.findMessage(channelId, ts),
    ephemerals: (userId, channelId) =>
      ws.ephemerals().filter((m) => m.visibleTo === userId && (channelId === undefined || m.channel === channelId)),
    openViews: (userId) => stackOf(ws, userId),
    view: (viewId) => ws.views.get(viewId),
    homeView: (userId) => {
      const id = ws.homes.get(userId);
      return id === undefined ? undefined : ws.views.get(id);
    },
    pins: (channelId) => [...(ws.pins.get(channelId) ?? [])],
    calls: (method) => (method === undefined ? [...calls] : calls.filter((c) => c.method === method)),
    inbound: (kind?: InboundKind) => sender.results().filter((r) => kind === undefined || r.kind === kind),
    waitFor(predicate, waitOptions = {}) {
      const timeoutMs = waitOptions.timeoutMs ?? DEFAULT_WAIT_MS;
      return new Promise((resolve, reject) => {
        let done = false;
        const check = (): void => {
          if (done) return;
          let value: ReturnType<typeof predicate>;
          try {
            value = predicate();
          } catch (error) {
            finish();
            reject(error);
            return;
          }
          if (value !== undefined && value !== null && value !== false) {
            finish();
            resolve(value);
          }
        };
        const unsubscribe = ws.subscribe(check);
        const poll = setInterval(check, 20);
        const timer = setTimeout(() => {
          finish();
          reject(new AppError(ErrorCode.Timeout, `waitFor: condition not met within ${timeoutMs} ms`));
        }, timeoutMs);
        function finish(): void {
          done = true;
          unsubscribe();
          clearInterval(poll);
          clearTimeout(timer);
        }
        check();
      });
    },
    snapshot: () => ({
      kind: 'slack-workspace',
      version: SLACK_SNAPSHOT_VERSION,
      seed,
      generation,
      team: { ...team },
      bot: { userId: bot.userId, botId: bot.botId, appId: bot.appId, name: bot.name },
      content: ws.content(),
    }),
    setNotice(next) {
      notice = next === undefined ? undefined : { ...next };
      ws.emit({ type: 'channel', channel: '' });
    },
    notice: () => (notice === undefined ? undefined : { ...notice }),
    on(event: 'change', listener: (change: SlackEmulatorChange) => void) {
      if (event !== 'change')
        throw new InvalidInputError(`unknown event ${String(event)}`, [{ path: 'event', message: 'only "change"' }]);
      return ws.subscribe(listener);
    },
    async close() {
      sender.close();
      await events.idle();
      consoleHandler?.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };

  if (consoleOption !== false) {
    consoleHandler = await createConsoleHandler({
      emulator,
      interactions,
      ws,
      sidePanel: typeof consoleOption === 'object' ? consoleOption.sidePanel : undefined,
      logger,
    });
  }
  return emulator;
}
