import type { Logger } from '../../shared/logger.js';
import type { ServiceChannelMap } from './service-channels-file.js';

/** Where an incident of a service is posted, and why. */
export interface ChannelRoute {
  channelId: string;
  source: 'subscription' | 'file' | 'default';
}

export interface ChannelRouter {
  /** The channel for a PagerDuty service's incidents, or null when unrouted and no default is set (logged). */
  channelFor(serviceId: string, serviceName?: string | null): Promise<ChannelRoute | null>;
}

export interface ChannelRouterDeps {
  /** Channels subscribed to the service in Slack (`/incident subscribe`), oldest first (store `service_channels`). */
  subscribedChannels(serviceId: string): Promise<readonly string[]>;
  /** `SERVICE_CHANNELS_FILE`, already loaded. */
  fileRoutes: ServiceChannelMap;
  /** `SLACK_DEFAULT_CHANNEL`, a channel id. */
  defaultChannel: string | undefined;
  logger: Logger;
}

/**
 * Routing, in order: a Slack subscription (`/incident subscribe`, the team's live choice; the oldest one when a
 * service is subscribed in several channels, since an incident has one card), then the config file, then
 * `SLACK_DEFAULT_CHANNEL`. With none of them the incident is logged and skipped.
 */
export function createChannelRouter(deps: ChannelRouterDeps): ChannelRouter {
  return {
    async channelFor(serviceId, serviceName) {
      const subscribed = await deps.subscribedChannels(serviceId);
      const first = subscribed[0];
      if (first !== undefined) {
        if (subscribed.length > 1) {
          deps.logger.debug(
            { serviceId, channels: subscribed },
            'service subscribed in several channels; using the oldest',
          );
        }
        return { channelId: first, source: 'subscription' };
      }
      const fromFile = deps.fileRoutes.get(serviceId);
      if (fromFile !== undefined) return { channelId: fromFile, source: 'file' };
      if (deps.defaultChannel) return { channelId: deps.defaultChannel, source: 'default' };
      deps.logger.info(
        { serviceId, serviceName: serviceName ?? undefined },
        'incident on an unrouted service skipped: no /incident subscribe, no SERVICE_CHANNELS_FILE entry, no SLACK_DEFAULT_CHANNEL',
      );
      return null;
    },
  };
}
