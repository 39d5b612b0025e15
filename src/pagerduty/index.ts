export * from './client.js';
export * from './endpoints.js';
export * from './errors.js';
export * from './models/index.js';
export { collectPages, DEFAULT_MAX_ITEMS, type ListResult, OFFSET_CAP, PAGE_LIMIT } from './paginate.js';
export { createRateLimiter, PAGERDUTY_REQUESTS_PER_MINUTE, type RateLimiter } from './rate-limiter.js';
