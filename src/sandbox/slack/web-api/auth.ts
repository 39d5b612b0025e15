import type { MethodSpec } from './context.js';

const test: MethodSpec = {
  handler(ctx) {
    const { ws } = ctx;
    return {
      url: `https://${ws.team.domain}.slack.com/`,
      team: ws.team.name,
      user: ws.bot.name,
      team_id: ws.team.id,
      user_id: ws.bot.userId,
      bot_id: ws.bot.botId,
      app_id: ws.bot.appId,
      is_enterprise_install: false,
    };
  },
};

export const authMethods: Record<string, MethodSpec> = { 'auth.test': test };
