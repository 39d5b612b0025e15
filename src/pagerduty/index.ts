export * from './client.js';
export * from './endpoints.js';
export * from './errors.js';
export * from './models/index.js';
export { collectPages, DEFAULT_MAX_ITEMS, type ListResult, OFFSET_CAP, PAGE_LIMIT } from './paginate.js';
export {
  PDJS_BODY_NOT_JSON,
  PDJS_DEFAULT_RETRY_TIMEOUT_MS,
  PDJS_RESENDS_PER_429,
  type PdjsFetch,
  type PdjsRequestInit,
  pdjsFetch,
} from './pdjs-fetch.js';
export { createRateLimiter, PAGERDUTY_REQUESTS_PER_MINUTE, type RateLimiter } from './rate-limiter.js';
