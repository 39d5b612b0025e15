import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { AppError, ErrorCode, InvalidInputError, isAppError } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';
import type { Interactions } from './interactions.js';
import type { InboundResult, Message, SidePanelAdapter, SlackEmulator } from './types.js';
import { channelTimeline } from './web-api/conversations.js';
import { type Workspace, wireMessage, wireView } from './workspace.js';

/** The browser modules of the console, served at `/console/<name>.js`. */
export const CONSOLE_MODULES = ['app', 'api', 'render-blocks', 'mrkdwn', 'modal', 'side-panel', 'dom'] as const;

export interface ConsoleHandler {
  /** Handles console routes; false when the path is not the console's. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean>;
  /** Ends the live-update streams. */
  close(): void;
}

export interface ConsoleDeps {
  emulator: SlackEmulator;
  interactions: Interactions;
  ws: Workspace;
  sidePanel: SidePanelAdapter | undefined;
  logger: Logger;
}

interface Assets {
  html: string;
  css: string;
  modules: Map<string, string>;
}

/** The console shows a channel's latest messages only (as Slack loads history in pages). */
export const MAX_CONSOLE_MESSAGES = 200;

const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * Loads the console's files from next to this module. In a source checkout the browser TypeScript is there and is
 * transpiled with esbuild's `transform` at start (esbuild is a devDependency); in the production build tsc has
 * emitted the `.js` files there, and the build copies `index.html` and `console.css` next to them.
 */
async function loadAssets(logger: Logger, dir: URL = new URL('./console/', import.meta.url)): Promise<Assets> {
  const path = (name: string): string => fileURLToPath(new URL(name, dir));
  const fromSource = existsSync(path('app.ts'));
  for (const name of ['index.html', 'console.css']) {
    if (!existsSync(path(name))) {
      throw new AppError(
        ErrorCode.ConfigInvalid,
        `Slack console asset ${path(name)} is missing: the build must copy src/sandbox/slack/console/${name} next to the compiled console modules`,
      );
    }
  }
  const modules = new Map<string, string>();
  const esbuild = fromSource ? await import('esbuild') : undefined;
  for (const name of CONSOLE_MODULES) {
    if (esbuild) {
      const out = await esbuild.transform(readFileSync(path(`${name}.ts`), 'utf8'), {
        loader: 'ts',
        format: 'esm',
        target: 'es2022',
        minify: true,
        sourcefile: `${name}.ts`,
      });
      modules.set(name, out.code);
    } else {
      if (!existsSync(path(`${name}.js`))) {
        throw new AppError(
          ErrorCode.ConfigInvalid,
          `Slack console module ${path(`${name}.js`)} is missing from the build`,
        );
      }
      modules.set(name, readFileSync(path(`${name}.js`), 'utf8').replace(/\n\/\/# sourceMappingURL=.*$/m, ''));
    }
  }
  // esbuild's transform runs in a child process that would otherwise live as long as this one (and briefly outlive
  // it on exit): the assets are loaded once per process, so end it now.
  await esbuild?.stop();
  logger.debug({ modules: modules.size, fromSource }, 'slack console assets loaded');
  return { html: readFileSync(path('index.html'), 'utf8'), css: readFileSync(path('console.css'), 'utf8'), modules };
}

/** Assets per process: the files do not change while it runs, and tests start many emulators. */
let assetsOnce: Promise<Assets> | undefined;

function cachedAssets(logger: Logger): Promise<Assets> {
  assetsOnce ??= loadAssets(logger).catch((error: unknown) => {
    assetsOnce = undefined;
    throw error;
  });
  return assetsOnce;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(json),
  });
  res.end(json);
}

function sendAsset(res: ServerResponse, type: string, body: string): void {
  res.writeHead(200, {
    'content-type': `${type}; charset=utf-8`,
    'cache-control': 'no-store',
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 1024 * 1024)
      throw new InvalidInputError('request too large', [{ path: '(body)', message: 'at most 1 MB' }]);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new InvalidInputError('body is not JSON', [{ path: '(body)', message: 'must be JSON' }]);
  }
}

function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }));
  throw new InvalidInputError(issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
}

/** What the console shows about an inbound request. */
function summary(result: InboundResult): Record<string, unknown> {
  return {
    ok: result.ok,
    kind: result.kind,
    delivered: result.delivered,
    status: result.status,
    ackMs: Math.round(result.ackMs),
    ...(result.error !== undefined ? { error: result.error } : {}),
    ...(result.detail !== undefined ? { detail: result.detail } : {}),
  };
}

const userId = z.string().min(1);
const composeBody = z.object({
  userId,
  channelId: z.string().min(1),
  text: z.string().trim().min(1, 'type a message or a /command').max(40_000),
  threadTs: z.string().min(1).optional(),
});
const surfaceBody = {
  userId,
  channelId: z.string().min(1).optional(),
  messageTs: z.string().min(1).optional(),
  viewId: z.string().min(1).optional(),
  actionId: z.string().min(1),
  blockId: z.string().min(1).optional(),
};
const clickBody = z.object(surfaceBody);
const selectBody = z.object({ ...surfaceBody, value: z.union([z.string(), z.array(z.string())]) });
const submitBody = z.object({
  userId,
  viewId: z.string().min(1),
  values: z.record(z.string(), z.record(z.string(), z.unknown())),
});
const closeBody = z.object({ userId, viewId: z.string().min(1) });
const reactionBody = z.object({ userId, channelId: z.string().min(1), ts: z.string().min(1), name: z.string().min(1) });
const joinBody = z.object({ userId, channelId: z.string().min(1) });
const triggerBody = z.object({
  serviceId: z.string().min(1),
  title: z.string().trim().min(1, 'give the incident a title').max(255),
  urgency: z.enum(['high', 'low']),
});
const stormBody = z.object({ count: z.number().int().min(2).max(500) });
const incidentBody = z.object({ incidentId: z.string().min(1) });

/** The console's JSON API under `/console/api/…`, its live-update stream and its static files. */
export async function createConsoleHandler(deps: ConsoleDeps): Promise<ConsoleHandler> {
  const { emulator, interactions, ws, sidePanel, logger } = deps;
  const assets = await cachedAssets(logger);
  const streams = new Set<ServerResponse>();

  const unsubscribe = ws.subscribe((change) => {
    if (change.type === 'api') return;
    const line = `event: change\ndata: ${JSON.stringify(change)}\n\n`;
    for (const res of streams) res.write(line);
  });
  const heartbeat = setInterval(() => {
    for (const res of streams) res.write(': keep-alive\n\n');
  }, 15_000);
  heartbeat.unref();

  const decorate = (m: Message): Record<string, unknown> => ({ ...wireMessage(m), channel: m.channel });

  function state(url: URL): Record<string, unknown> {
    const me = url.searchParams.get('user') ?? '';
    const channelId = url.searchParams.get('channel') ?? '';
    const channel = ws.channels.get(channelId);
    const all = channel ? ws.allMessages(channel.id) : [];
    const timeline = channelTimeline(all);
    const messages = timeline.slice(-MAX_CONSOLE_MESSAGES).map((m) => ({
      ...decorate(m),
      replies: m.thread_ts === m.ts ? all.filter((r) => r.thread_ts === m.ts && r.ts !== m.ts).map(decorate) : [],
    }));
    const failures = emulator
      .inbound()
      .filter((r) => !r.ok && r.delivered && r.sentAt > Date.now() - 10 * 60_000)
      .filter((r) => {
        const p = r.payload as { user?: { id?: string }; user_id?: string };
        return p.user?.id === me || p.user_id === me;
      })
      .slice(-5)
      .map((r) => ({ ...summary(r), sentAt: r.sentAt }));
    return {
      team: ws.team,
      bot: { userId: ws.bot.userId, name: ws.bot.name },
      users: [...ws.users.values()].map((u) => ({ id: u.id, name: u.name, realName: u.realName, isBot: u.isBot })),
      channels: [...ws.channels.values()]
        .filter((c) => !c.isIm || c.imUser === me)
        .filter((c) => !c.isPrivate || c.isIm || c.members.includes(me))
        .map((c) => ({
          id: c.id,
          name: c.isIm ? ws.bot.name : c.name,
          isPrivate: c.isPrivate,
          isIm: c.isIm,
          isArchived: c.isArchived,
          isMember: c.members.includes(me),
          memberCount: c.members.length,
        })),
      channel: channel
        ? {
            id: channel.id,
            name: channel.isIm ? ws.bot.name : channel.name,
            isIm: channel.isIm,
            topic: channel.topic.value,
            purpose: channel.purpose.value,
            bookmarks: channel.bookmarks.map((b) => ({ title: b.title, link: b.link })),
            pins: ws.pins.get(channel.id) ?? [],
            isMember: channel.members.includes(me),
          }
        : null,
      messages,
      olderMessages: Math.max(0, timeline.length - MAX_CONSOLE_MESSAGES),
      ephemerals: channel
        ? ws
            .ephemerals()
            .filter((m) => m.visibleTo === me && m.channel === channel.id)
            .map(decorate)
        : [],
      views: emulator.openViews(me).map((v) => ({ ...wireView(v), errors: v.errors ?? {} })),
      failures,
      notice: emulator.notice() ?? null,
      sidePanel: sidePanel
        ? { services: sidePanel.services(), incidents: sidePanel.incidents(), oncall: sidePanel.oncallNow() }
        : null,
    };
  }

  async function api(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const route = url.pathname.slice('/console/api/'.length);
    if (req.method === 'GET' && route === 'state') return sendJson(res, 200, state(url));
    if (req.method === 'GET' && route === 'events') {
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      res.write('retry: 1000\n\n');
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }
    if (req.method !== 'POST')
      return sendJson(res, 404, { ok: false, error: `no route ${req.method} ${url.pathname}` });
    const body = await readJson(req);
    switch (route) {
      case 'compose': {
        const input = parse(composeBody, body);
        if (input.text.startsWith('/')) {
          const command = input.text.split(/\s+/, 1)[0] ?? '';
          const result = await interactions.sendSlashCommand({
            userId: input.userId,
            channelId: input.channelId,
            command,
            text: input.text.slice(command.length).trim(),
          });
          return sendJson(res, 200, summary(result));
        }
        const posted = await interactions.postUserMessage({
          userId: input.userId,
          channelId: input.channelId,
          text: input.text,
          ...(input.threadTs !== undefined ? { threadTs: input.threadTs } : {}),
        });
        return sendJson(res, 200, { ok: true, ts: posted.ts, deliveries: posted.deliveries.map(summary) });
      }
      case 'click':
        return sendJson(res, 200, summary(await interactions.clickButton(parse(clickBody, body))));
      case 'select':
        return sendJson(res, 200, summary(await interactions.selectOption(parse(selectBody, body))));
      case 'view/submit':
        return sendJson(res, 200, summary(await interactions.submitView(parse(submitBody, body))));
      case 'view/close':
        return sendJson(res, 200, summary(await interactions.closeView(parse(closeBody, body))));
      case 'reaction':
        return sendJson(res, 200, summary(await interactions.addReaction(parse(reactionBody, body))));
      case 'join':
        return sendJson(res, 200, summary(await interactions.joinChannel(parse(joinBody, body))));
      case 'pagerduty/trigger':
      case 'pagerduty/storm':
      case 'pagerduty/acknowledge':
      case 'pagerduty/resolve': {
        if (!sidePanel) return sendJson(res, 404, { ok: false, error: 'no PagerDuty side panel in this sandbox' });
        if (route === 'pagerduty/trigger') await sidePanel.triggerIncident(parse(triggerBody, body));
        else if (route === 'pagerduty/storm') await sidePanel.alertStorm(parse(stormBody, body));
        else if (route === 'pagerduty/acknowledge') await sidePanel.acknowledge(parse(incidentBody, body).incidentId);
        else await sidePanel.resolve(parse(incidentBody, body).incidentId);
        ws.emit({ type: 'channel', channel: '' });
        return sendJson(res, 200, { ok: true });
      }
      default:
        return sendJson(res, 404, { ok: false, error: `no route POST ${url.pathname}` });
    }
  }

  return {
    async handle(req, res, url) {
      const path = url.pathname;
      if (req.method === 'GET' && (path === '/' || path === '/index.html')) {
        sendAsset(res, 'text/html', assets.html);
        return true;
      }
      if (req.method === 'GET' && path === '/console/console.css') {
        sendAsset(res, 'text/css', assets.css);
        return true;
      }
      const module = /^\/console\/([a-z-]+)\.js$/.exec(path);
      if (req.method === 'GET' && module) {
        const code = assets.modules.get(module[1] ?? '');
        if (code === undefined) return false;
        sendAsset(res, 'text/javascript', code);
        return true;
      }
      if (path.startsWith('/console/api/')) {
        try {
          await api(req, res, url);
        } catch (error) {
          if (isAppError(error) && (error.code === ErrorCode.InvalidInput || error.code === ErrorCode.NotFound)) {
            sendJson(res, 400, { ok: false, error: error.message });
          } else {
            logger.error({ err: error, path }, 'slack console: request failed');
            sendJson(res, 500, { ok: false, error: error instanceof Error ? error.message : 'failed' });
          }
        }
        return true;
      }
      return false;
    },
    close() {
      unsubscribe();
      clearInterval(heartbeat);
      for (const res of streams) res.end();
      streams.clear();
    },
  };
}
