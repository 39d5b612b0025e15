import { readFileSync } from 'node:fs';

/** PagerDuty's official OpenAPI document (PagerDuty/api-schema @ 91a06fb), the source of truth for fixtures. */
export const PAGERDUTY_SPEC_PATH = '/work/shared/specs/pagerduty-rest-openapiv3.json';

type Json = Record<string, unknown>;
let spec: Json | undefined;

function load(): Json {
  spec ??= JSON.parse(readFileSync(PAGERDUTY_SPEC_PATH, 'utf8')) as Json;
  return spec;
}

function resolve(node: unknown): Json {
  let current = node as Json;
  while (current && typeof current.$ref === 'string') {
    let target: unknown = load();
    for (const part of (current.$ref as string).split('/').slice(1)) target = (target as Json)[part];
    current = target as Json;
  }
  return current;
}

/**
 * The first example PagerDuty publishes for the 2xx answer of `method path` (a deep copy, safe to modify).
 * Throws if the spec has none, so a fixture never silently becomes `undefined`.
 */
export function specResponseExample(method: string, path: string): Json {
  const paths = load().paths as Record<string, Record<string, Json>>;
  const operation = paths[path]?.[method.toLowerCase()];
  if (!operation) throw new Error(`no operation ${method} ${path} in the spec`);
  const responses = operation.responses as Record<string, unknown>;
  const status = Object.keys(responses).find((s) => s.startsWith('2'));
  if (!status) throw new Error(`no 2xx response for ${method} ${path}`);
  const content = (resolve(responses[status]).content as Record<string, Json> | undefined)?.['application/json'];
  const examples = content?.examples as Record<string, Json> | undefined;
  const first = examples ? Object.values(examples)[0] : undefined;
  const value = first ? resolve(first).value : content?.example;
  if (value === undefined) throw new Error(`no example for ${method} ${path}`);
  return structuredClone(value) as Json;
}

/** A list example as the last page (`more: false`), so the client does not ask for another. */
export function lastPage(method: string, path: string): Json {
  return { ...specResponseExample(method, path), more: false };
}
