export { ConfigError, type ConfigProblem, loadConfig, type Mode, resolveMode } from './load.js';
export { type Config, DEFAULT_ANTHROPIC_MODEL, EnvSchema, secretValues } from './schema.js';
