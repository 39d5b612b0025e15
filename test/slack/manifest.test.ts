import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SLASH_COMMAND } from '../../src/slack/ids.js';

interface Manifest {
  features: { slash_commands: Array<{ command: string; url: string; should_escape?: boolean }> };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { request_url: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url: string };
  };
}

const SCHEMA_DIR = '/work/shared/specs/slack-manifest-schema';
const schema = JSON.parse(readFileSync(`${SCHEMA_DIR}/manifest.schema.1.0.0.json`, 'utf8')) as object;
const manifest = parse(readFileSync(new URL('../../manifest.yml', import.meta.url), 'utf8')) as Manifest;

function validator() {
  const ajv = new Ajv({ strict: false, allErrors: true });
  (addFormats as unknown as (a: Ajv) => void)(ajv);
  return ajv.compile(schema);
}

describe('manifest.yml', () => {
  it('is valid against the official manifest schema v1', () => {
    const validate = validator();
    const ok = validate(manifest);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the schema check is real: the official invalid fixture and a broken copy fail', () => {
    const validate = validator();
    const invalid = JSON.parse(readFileSync(`${SCHEMA_DIR}/tests/v1/manifest.invalid.json`, 'utf8'));
    expect(validate(invalid)).toBe(false);
    expect(
      validate({ ...manifest, features: { ...manifest.features, slash_commands: [{ command: 'incident' }] } }),
    ).toBe(false);
  });

  it('declares the slash command, interactivity and events at /slack/events', () => {
    const command = manifest.features.slash_commands[0];
    if (!command) throw new Error('no slash command');
    expect(command.command).toBe(SLASH_COMMAND);
    expect(command.should_escape).toBe(true);
    for (const url of [
      command.url,
      manifest.settings.event_subscriptions.request_url,
      manifest.settings.interactivity.request_url,
    ]) {
      expect(new URL(url).pathname).toBe('/slack/events');
    }
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect([...manifest.settings.event_subscriptions.bot_events].sort()).toEqual(
      ['app_mention', 'member_joined_channel', 'message.channels', 'message.groups', 'reaction_added'].sort(),
    );
  });

  it('asks only for the scopes the bot uses, and each event has its scope', () => {
    const scopes: string[] = manifest.oauth_config.scopes.bot;
    expect(new Set(scopes).size).toBe(scopes.length);
    expect(scopes.sort()).toEqual(
      [
        'app_mentions:read',
        'channels:history',
        'channels:manage',
        'channels:read',
        'chat:write',
        'chat:write.public',
        'commands',
        'groups:history',
        'groups:read',
        'pins:write',
        'reactions:read',
        'usergroups:read',
        'users:read',
        'users:read.email',
      ].sort(),
    );
    const needs: Record<string, string> = {
      app_mention: 'app_mentions:read',
      'message.channels': 'channels:history',
      'message.groups': 'groups:history',
      reaction_added: 'reactions:read',
      member_joined_channel: 'channels:read',
    };
    for (const event of manifest.settings.event_subscriptions.bot_events) {
      expect(scopes).toContain(needs[event]);
    }
    expect(scopes.some((s) => s.startsWith('admin') || s.endsWith(':write.customize'))).toBe(false);
  });
});
