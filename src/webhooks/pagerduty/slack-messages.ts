import type { WebClient } from '@slack/web-api';
import { asSlackError } from '../../slack/web-client.js';
import type { SlackMessages } from './ports.js';

/**
 * `SlackMessages` over a Web API client (configured with `slackWebClientOptions`: timeout, short retries, 429s
 * rejected at once). A failed call throws a `slack_api_error`, so the job that made it is retried with backoff
 * (a 429 included) instead of blocking other work.
 */
export function createSlackMessages(client: WebClient): SlackMessages {
  return {
    async post(channelId, message) {
      try {
        const res = await client.chat.postMessage({
          channel: channelId,
          text: message.text,
          blocks: message.blocks as never,
          unfurl_links: false,
          unfurl_media: false,
        });
        if (!res.ts) throw new Error('chat.postMessage returned no ts');
        return { ts: res.ts };
      } catch (error) {
        throw asSlackError('chat.postMessage', error);
      }
    },
    async update(channelId, ts, message) {
      try {
        await client.chat.update({ channel: channelId, ts, text: message.text, blocks: message.blocks as never });
      } catch (error) {
        throw asSlackError('chat.update', error);
      }
    },
  };
}
