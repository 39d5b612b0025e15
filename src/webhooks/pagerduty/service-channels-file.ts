import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { AppError, ErrorCode } from '../../shared/errors.js';

/**
 * `SERVICE_CHANNELS_FILE`: a JSON or YAML map of PagerDuty service id → Slack channel id, e.g.
 *
 * ```yaml
 * PNE3JZM: C0123ABCD   # payments-api → #payments-oncall
 * P7Q2XK1: C0456EFGH
 * ```
 *
 * Routes set in Slack with `/incident subscribe` take precedence over this file.
 */

const ServiceId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { message: 'expected a PagerDuty service id' });
const ChannelId = z
  .string()
  .trim()
  .regex(/^[CG][A-Z0-9]{2,}$/, { message: 'expected a Slack channel id such as C0123456789 (not a #name)' });

export const ServiceChannelsFileSchema = z.record(ServiceId, ChannelId);

/** Service id → channel id, as read from the file. */
export type ServiceChannelMap = ReadonlyMap<string, string>;

/**
 * Parses the file's text (YAML is a superset of JSON, so one parser reads both). Throws `config_invalid`
 * listing every bad entry, so a typo is reported at start rather than at 3 a.m.
 */
export function parseServiceChannels(text: string, source = 'SERVICE_CHANNELS_FILE'): ServiceChannelMap {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (error) {
    throw new AppError(ErrorCode.ConfigInvalid, `${source}: not valid JSON or YAML (${(error as Error).message})`, {
      details: { source },
    });
  }
  if (doc === null || doc === undefined) return new Map();
  const parsed = ServiceChannelsFileSchema.safeParse(doc);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const where = issue.path.length > 0 ? issue.path.map(String).join('.') : '(file)';
      const message =
        issue.code === 'invalid_type' && issue.path.length === 0
          ? 'expected a map of service id → channel id'
          : issue.message;
      return `${where}: ${message}`;
    });
    throw new AppError(ErrorCode.ConfigInvalid, `${source}: ${problems.join('; ')}`, {
      details: { source, problems },
    });
  }
  return new Map(Object.entries(parsed.data));
}

/** Reads and parses the file; `undefined` path → empty map. Throws `config_invalid` when unreadable or invalid. */
export async function loadServiceChannelsFile(path: string | undefined): Promise<ServiceChannelMap> {
  if (path === undefined || path.trim() === '') return new Map();
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new AppError(
      ErrorCode.ConfigInvalid,
      `SERVICE_CHANNELS_FILE: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      { cause: error, details: { path } },
    );
  }
  const kind = extname(path).toLowerCase();
  if (kind !== '' && !['.json', '.yaml', '.yml'].includes(kind)) {
    throw new AppError(ErrorCode.ConfigInvalid, `SERVICE_CHANNELS_FILE: ${path} should be .json, .yaml or .yml`, {
      details: { path },
    });
  }
  return parseServiceChannels(text, `SERVICE_CHANNELS_FILE (${path})`);
}
