/**
 * Validates PagerDuty REST API v2 requests and responses against PagerDuty's official OpenAPI 3.0 document
 * (`/work/shared/specs/pagerduty-rest-openapiv3.json`, PagerDuty/api-schema @ 91a06fb). Used by the simulator's
 * tests (every response the simulator sends must conform) and by anyone who wants to check what a client sends.
 *
 * The spec is loaded and converted once per process; each schema is compiled on first use and cached.
 *
 * How OpenAPI 3.0 is mapped onto JSON Schema 2020-12 (Ajv2020, `strict: false`, ajv-formats):
 * - `nullable: true` adds `null` to `type` (and to `enum` when there is one).
 * - Boolean `exclusiveMinimum`/`exclusiveMaximum` (draft-04 style) become the numeric form.
 * - `discriminator`, `example`, `xml`, `externalDocs` and `x-*` keys are dropped (annotations only).
 * - `readOnly` properties are not required in requests; `writeOnly` properties are not required in responses.
 * - Formats: ajv-formats' full set (`date-time`, `uri`, `email`, `uuid`, …) plus `tzinfo` (an IANA time
 *   zone Node knows), `activesupport-time-zone` (IANA or a Rails zone name), `partial-time` (`HH:MM:SS`); the
 *   purely descriptive ones (`TEXTAREA`) accept anything.
 *
 * Quirks of the published spec against the real API, handled on purpose (see `/work/shared/reference/oracles.md`):
 * 1. Vendor `Accept`. Every operation declares a required `Accept` header (default
 *    `application/vnd.pagerduty+json;version=2`) but only `application/json` responses. A request must send
 *    `Accept`, and it must allow version 2: the vendor type with `version=2`, `application/json` or a wildcard.
 *    A response may be labelled `application/json` or the vendor type.
 * 2. `Content-Type` with charset. The spec declares `Content-Type` required with enum `["application/json"]` on
 *    every operation, GET included. pdjs (PagerDuty's own client) sends `application/json; charset=utf-8`, and
 *    the API answers GETs without it. So it is required only when the request has a body, and media-type
 *    parameters (`; charset=utf-8`) are allowed, on requests and responses alike.
 * 3. `[]` parameters. Array parameters are named with a `[]` suffix and sent once per value
 *    (`statuses[]=triggered&statuses[]=acknowledged`). Several are declared with a scalar schema
 *    (`statuses[]`, `urgencies[]`, `include[]` are `type: string` with an enum) although they repeat: for a
 *    `[]` name, every value is checked against the scalar schema (or the array's `items`). A repeated parameter
 *    without `[]` whose schema is not an array is a violation.
 * 4. Form arrays without `explode` (`sort_by=created_at:desc,urgency:asc`) are split on commas.
 * 5. Undeclared error statuses. Some operations omit statuses the real API returns (`PUT /incidents/{id}` has
 *    no 400, yet PagerDuty answers invalid updates with 400 `{error:{…}}`). An undeclared 400, 401, 403, 404,
 *    429 or 5xx is accepted when its body is PagerDuty's generic error object (`error.message` and
 *    `error.code` required). Any other undeclared status is a violation.
 * 6. `null` for absent values. The real API (and the spec's own examples, e.g. `resolve_reason: null` in
 *    `GET /incidents`) sends `null` for unset optional fields the spec does not mark `nullable`. `null` is
 *    accepted for the properties listed in `NULLABLE_IN_PRACTICE` only; everywhere else `null` is a type error.
 * 7. Unknown query parameters are reported (the real API ignores them silently, which hides client typos such
 *    as `status[]` for `statuses[]`).
 * 8. `oneOf` is checked as `anyOf`. The spec's alternatives overlap without a discriminating required field
 *    (the five `Channel` variants all accept `{type:'api'}`; `Service` and `ServiceReference` differ only by
 *    `type`), so "exactly one" fails on valid data. A value must still match at least one alternative.
 * 9. `format: time` (`SupportHours.start_time`) is sent as `09:00:00`, without the offset RFC 3339 requires.
 * 10. `AcknowledgeLogEntry` narrows `type` to `acknowledgement_log_entry`, contradicting its own base
 *    (`acknowledge_log_entry`, which the API sends); the variant is patched to the base's value.
 * 11. The API sends log entry types the spec's enum lacks (`priority_change_log_entry`,
 *    `status_update_log_entry`, `responder_request_log_entry`, seen in many public clients); they are accepted
 *    with the common `LogEntry` shape (`UNDOCUMENTED_LOG_ENTRY_TYPES`).
 * 12. `include[]` expansions the spec types as references only (`integrations|escalation_policies|teams` on services,
 *    `users|schedules|escalation_policies` on `/oncalls`, `incidents|services|teams` on log entries,
 *    `services|incidents|first_trigger_log_entries` on alerts) return full objects; both are accepted there
 *    (`INCLUDE_EXPANSIONS`).
 * 13. `format: url` is not a JSON Schema format and ajv-formats' regex for it refuses loopback and private
 *    addresses; an absolute http(s) URL (WHATWG parser) is accepted.
 * 15. `IncidentBody.details` is typed as an object, but the spec's own `POST /incidents` example sends a string
 *    (as PagerDuty's docs do); both are accepted.
 * 14. Most operations leave `requestBody.required` unset even when the body has required fields
 *    (`POST /incidents`); a missing body is reported whenever its schema requires properties.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

export const PAGERDUTY_OPENAPI_PATH = '/work/shared/specs/pagerduty-rest-openapiv3.json';

/** One reason a request or response does not conform to the spec. */
export interface OpenApiViolation {
  /** Where: `operation`, `status`, `header.From`, `query.limit`, `path.id`, `body/incident/status`, … */
  where: string;
  message: string;
}

export type HeaderInput = Headers | Record<string, string | string[] | number | undefined>;
export type QueryInput = URLSearchParams | string | Record<string, string | number | boolean | Array<string | number>>;

export interface RequestToValidate {
  method: string;
  /** Path, optionally with a query string (`/incidents?limit=5`). */
  path: string;
  query?: QueryInput;
  headers?: HeaderInput;
  /** Parsed JSON, or the raw text (parsed here), or undefined when there is no body. */
  body?: unknown;
}

export interface ResponseToValidate {
  method: string;
  path: string;
  status: number;
  headers?: HeaderInput;
  /** Parsed JSON, or the raw text (parsed here), or undefined for an empty body. */
  body?: unknown;
}

export interface PagerDutyOpenApiValidator {
  /** Violations of the spec by a request (empty when it conforms). */
  validateRequest(request: RequestToValidate): OpenApiViolation[];
  /** Violations of the spec by a response (empty when it conforms). */
  validateResponse(response: ResponseToValidate): OpenApiViolation[];
  /** The operation a method + path resolves to, e.g. `{ operationId: 'listIncidents', template: '/incidents' }`. */
  findOperation(method: string, path: string): { operationId: string; template: string } | undefined;
}

/**
 * Quirk 6: properties the real API sends as `null` though the spec does not mark them nullable. Keyed by
 * property name, wherever it appears in a response schema.
 */
export const NULLABLE_IN_PRACTICE: ReadonlySet<string> = new Set([
  'priority',
  'resolve_reason',
  'conference_bridge',
  'resolved_at',
  'last_status_change_by',
  'first_trigger_log_entry',
  'incident_key',
  'body',
  'acknowledgement_timeout',
  'auto_resolve_timeout',
  'last_incident_timestamp',
  'end',
  'start',
  'schedule',
  'description',
  'integration',
  'alert_key',
  'suppressed',
  'channel',
  'event_details',
  'contexts',
  'html_url',
  'avatar_url',
  'color',
  'job_title',
  'parent',
  'default_role',
  'ended_at',
  'support_hours',
]);

type JsonObject = Record<string, unknown>;

interface Operation {
  operationId: string;
  template: string;
  method: string;
  pointer: string;
  op: JsonObject;
  parameters: Array<{ param: JsonObject; schemaPointer: string }>;
}

interface PathEntry {
  template: string;
  regex: RegExp;
  names: string[];
  literalSegments: number;
}

interface Loaded {
  raw: JsonObject;
  ajv: Ajv2020;
  paths: PathEntry[];
  operations: Map<string, Operation>;
  compiled: Map<string, ValidateFunction>;
}

let loaded: Loaded | undefined;

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];
const DROPPED_KEYS = new Set(['discriminator', 'example', 'xml', 'externalDocs']);
const UNDECLARED_ERROR_STATUSES = new Set([400, 401, 403, 404, 429, 500, 502, 503, 504]);
const GENERIC_ERROR_POINTER = '/components/responses/Conflict/content/application~1json/schema';
const VENDOR_TYPE = 'application/vnd.pagerduty+json';

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function resolvePointer(doc: JsonObject, ref: string): unknown {
  const parts = ref.replace(/^#/, '').split('/').slice(1);
  let node: unknown = doc;
  for (const part of parts) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    node = (node as JsonObject | undefined)?.[key];
  }
  return node;
}

/** Follows `$ref` chains (for parameters, responses and request bodies, which may be references). */
function deref(doc: JsonObject, node: unknown, pointer: string): { node: JsonObject; pointer: string } {
  let current = node as JsonObject;
  let at = pointer;
  for (let i = 0; i < 10 && current && typeof current.$ref === 'string'; i++) {
    at = (current.$ref as string).replace(/^#/, '');
    current = resolvePointer(doc, current.$ref as string) as JsonObject;
  }
  return { node: current, pointer: at };
}

function isSchemaMap(key: string): boolean {
  return key === 'properties' || key === 'patternProperties' || key === '$defs' || key === 'definitions';
}

/**
 * Converts one OpenAPI 3.0 document into JSON Schema 2020-12 form, for requests or for responses. Walks every
 * object, so schemas inside `paths` and `components` are converted alike.
 */
function convert(node: unknown, mode: 'request' | 'response', parentKey = ''): unknown {
  if (Array.isArray(node)) return node.map((n) => convert(n, mode));
  if (node === null || typeof node !== 'object') return node;
  const input = node as JsonObject;
  const out: JsonObject = {};
  const inSchemaMap = isSchemaMap(parentKey);
  for (const [key, value] of Object.entries(input)) {
    if (!inSchemaMap && (DROPPED_KEYS.has(key) || key.startsWith('x-'))) continue;
    if (!inSchemaMap && key === 'examples' && !Array.isArray(value)) continue;
    out[inSchemaMap || key !== 'oneOf' ? key : 'anyOf'] = convert(value, mode, inSchemaMap ? '' : key);
  }
  // Quirk 8 renames oneOf to anyOf, so references that point inside a oneOf follow the rename.
  if (!inSchemaMap && typeof out.$ref === 'string') out.$ref = out.$ref.replace(/\/oneOf\//g, '/anyOf/');
  if (inSchemaMap) return out;
  if (typeof out.exclusiveMinimum === 'boolean') {
    if (out.exclusiveMinimum && typeof out.minimum === 'number') out.exclusiveMinimum = out.minimum;
    else delete out.exclusiveMinimum;
    if (typeof out.exclusiveMinimum === 'number') delete out.minimum;
  }
  if (typeof out.exclusiveMaximum === 'boolean') {
    if (out.exclusiveMaximum && typeof out.maximum === 'number') out.exclusiveMaximum = out.maximum;
    else delete out.exclusiveMaximum;
    if (typeof out.exclusiveMaximum === 'number') delete out.maximum;
  }
  const nullable = out.nullable === true;
  delete out.nullable;
  if (nullable) allowNull(out);
  if (out.properties && typeof out.properties === 'object') {
    const props = out.properties as Record<string, JsonObject>;
    if (Array.isArray(out.required)) {
      const drop = mode === 'request' ? 'readOnly' : 'writeOnly';
      out.required = (out.required as string[]).filter((name) => props[name]?.[drop] !== true);
    }
    if (mode === 'response') {
      for (const [name, prop] of Object.entries(props)) {
        if (NULLABLE_IN_PRACTICE.has(name)) props[name] = nullableVariant(prop);
      }
    }
  }
  return out;
}

function allowNull(schema: JsonObject): void {
  if (typeof schema.type === 'string') schema.type = [schema.type, 'null'];
  else if (Array.isArray(schema.type) && !schema.type.includes('null')) schema.type = [...schema.type, 'null'];
  if (Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum = [...schema.enum, null];
  if (schema.type === undefined && schema.enum === undefined) {
    // A `$ref`/`allOf`/`oneOf` schema: wrap it so that null is one more alternative.
    const copy = { ...schema };
    for (const key of Object.keys(schema)) delete schema[key];
    schema.anyOf = [{ type: 'null' }, copy];
  }
}

function nullableVariant(prop: JsonObject): JsonObject {
  if (prop.type === 'null' || (Array.isArray(prop.type) && prop.type.includes('null'))) return prop;
  if (Array.isArray(prop.anyOf) && prop.anyOf.some((s) => (s as JsonObject).type === 'null')) return prop;
  return { anyOf: [{ type: 'null' }, prop] };
}

function ianaZones(): Set<string> {
  const zones = new Set<string>(Intl.supportedValuesOf('timeZone'));
  zones.add('UTC');
  zones.add('Etc/UTC');
  zones.add('GMT');
  return zones;
}

function isTimeZone(value: string, zones: Set<string>): boolean {
  if (zones.has(value)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return value.includes('/') || value === 'UTC';
  } catch {
    return false;
  }
}

/** Quirk 12: [schema, property, full schema] for each `include[]` expansion the spec does not type. */
const INCLUDE_EXPANSIONS: ReadonlyArray<readonly [string, string, string]> = [
  ['Service', 'integrations', 'Integration'],
  ['Service', 'escalation_policy', 'EscalationPolicy'],
  ['Service', 'teams', 'Team'],
  ['Oncall', 'user', 'User'],
  ['Oncall', 'escalation_policy', 'EscalationPolicy'],
  ['Oncall', 'schedule', 'Schedule'],
  ['LogEntry', 'service', 'Service'],
  ['LogEntry', 'incident', 'Incident'],
  ['LogEntry', 'teams', 'Team'],
  ['Alert', 'service', 'Service'],
  ['Alert', 'incident', 'Incident'],
  ['Alert', 'first_trigger_log_entry', 'TriggerLogEntry'],
];

/** Quirk 11: log entry types the real API sends that the spec's `LogEntry.type` enum omits. */
export const UNDOCUMENTED_LOG_ENTRY_TYPES: readonly string[] = [
  'priority_change_log_entry',
  'status_update_log_entry',
  'responder_request_log_entry',
];

/**
 * Quirks 10 and 11: contradictions and gaps inside the spec, fixed in place before conversion.
 * - `AcknowledgeLogEntry` narrows `type` to `acknowledgement_log_entry`, while its base `LogEntry` (and the API,
 *   and `LogEntryReference`) use `acknowledge_log_entry`; the allOf of both can never match, so the variant takes
 *   the base's name.
 * - The undocumented log entry types are added to `LogEntry.type`, and an `UndocumentedLogEntry` variant (the
 *   base with one of those types) joins every list of log entry variants.
 */
function patchSpec(raw: JsonObject): void {
  const schemas = (raw.components as JsonObject).schemas as Record<string, JsonObject>;
  const ack = schemas.AcknowledgeLogEntry?.allOf as JsonObject[] | undefined;
  const typeProp = ((ack?.[1]?.properties as JsonObject | undefined)?.type ?? undefined) as JsonObject | undefined;
  if (typeProp && Array.isArray(typeProp.enum) && typeProp.enum[0] === 'acknowledgement_log_entry') {
    typeProp.enum = ['acknowledge_log_entry'];
  }
  const base = (schemas.LogEntry?.allOf as JsonObject[] | undefined)?.[1]?.properties as JsonObject | undefined;
  const baseType = base?.type as JsonObject | undefined;
  if (baseType && Array.isArray(baseType.enum)) baseType.enum = [...baseType.enum, ...UNDOCUMENTED_LOG_ENTRY_TYPES];
  schemas.UndocumentedLogEntry = {
    allOf: [
      { $ref: '#/components/schemas/LogEntry' },
      { type: 'object', properties: { type: { type: 'string', enum: [...UNDOCUMENTED_LOG_ENTRY_TYPES] } } },
    ],
  };
  // Quirk 12: `include[]` expands references the spec types as references only.
  for (const [schema, property, full] of INCLUDE_EXPANSIONS) {
    const holder = schemas[schema];
    const parts = (holder?.allOf as JsonObject[] | undefined) ?? [holder];
    for (const part of parts) {
      const props = part?.properties as JsonObject | undefined;
      const prop = props?.[property] as JsonObject | undefined;
      if (!props || !prop) continue;
      const widened = (node: unknown): JsonObject => ({ oneOf: [node, { $ref: `#/components/schemas/${full}` }] });
      if (prop.type === 'array' && prop.items) props[property] = { ...prop, items: widened(prop.items) };
      else props[property] = widened(prop);
    }
  }
  // Quirk 15: `IncidentBody.details` is typed as an object, but the spec's own request example (and the API)
  // use a string.
  const incidentBody = schemas.IncidentBody?.properties as JsonObject | undefined;
  if (incidentBody?.details) incidentBody.details = { oneOf: [incidentBody.details, { type: 'string' }] };
  const variant = '#/components/schemas/TriggerLogEntry';
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const obj = node as JsonObject;
    const list = obj.oneOf;
    if (Array.isArray(list) && list.some((s) => (s as JsonObject).$ref === variant)) {
      list.push({ $ref: '#/components/schemas/UndocumentedLogEntry' });
    }
    for (const value of Object.values(obj)) visit(value);
  };
  visit(raw.paths);
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

function load(): Loaded {
  if (loaded) return loaded;
  const raw = JSON.parse(readFileSync(PAGERDUTY_OPENAPI_PATH, 'utf8')) as JsonObject;
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false, validateFormats: true });
  addFormats(ajv);
  const zones = ianaZones();
  ajv.addFormat('tzinfo', { type: 'string', validate: (v: string) => isTimeZone(v, zones) });
  ajv.addFormat('activesupport-time-zone', {
    type: 'string',
    validate: (v: string) => isTimeZone(v, zones) || /^[A-Z][A-Za-z .&()'-]+$/.test(v),
  });
  // Quirk 9: `SupportHours.start_time` is `format: time` but the API sends `09:00:00`, without an offset.
  ajv.addFormat('time', /^(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:[zZ]|[+-]\d\d:?\d\d)?$/);
  // `url` is not a JSON Schema format; ajv-formats' regex for it refuses loopback and private addresses, so
  // any absolute http(s) URL the WHATWG parser accepts is a `url` here.
  ajv.addFormat('url', { type: 'string', validate: isHttpUrl });
  ajv.addFormat('partial-time', /^(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d$/);
  ajv.addFormat('TEXTAREA', true);
  patchSpec(raw);
  const requestDoc = convert(raw, 'request') as JsonObject;
  const responseDoc = convert(raw, 'response') as JsonObject;
  requestDoc.$id = 'pd-request';
  responseDoc.$id = 'pd-response';
  ajv.addSchema(requestDoc);
  ajv.addSchema(responseDoc);

  const paths: PathEntry[] = [];
  const operations = new Map<string, Operation>();
  for (const [template, item] of Object.entries(raw.paths as Record<string, JsonObject>)) {
    const segments = template.split('/').filter(Boolean);
    const names: string[] = [];
    const pattern = segments
      .map((seg) => {
        const m = /^\{(.+)\}$/.exec(seg);
        if (m?.[1]) {
          names.push(m[1]);
          return '([^/]+)';
        }
        return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('/');
    paths.push({
      template,
      regex: new RegExp(`^/${pattern}/?$`),
      names,
      literalSegments: segments.length - names.length,
    });
    const pathParams = Array.isArray(item.parameters) ? (item.parameters as JsonObject[]) : [];
    for (const method of HTTP_METHODS) {
      const op = item[method] as JsonObject | undefined;
      if (!op) continue;
      const pointer = `/paths/${escapePointer(template)}/${method}`;
      const parameters: Operation['parameters'] = [];
      const seen = new Set<string>();
      const opParams = Array.isArray(op.parameters) ? (op.parameters as JsonObject[]) : [];
      opParams.forEach((p, i) => {
        const { node, pointer: at } = deref(raw, p, `${pointer}/parameters/${i}`);
        seen.add(`${node.in}:${node.name}`);
        parameters.push({ param: node, schemaPointer: `${at}/schema` });
      });
      pathParams.forEach((p, i) => {
        const { node, pointer: at } = deref(raw, p, `/paths/${escapePointer(template)}/parameters/${i}`);
        if (!seen.has(`${node.in}:${node.name}`)) parameters.push({ param: node, schemaPointer: `${at}/schema` });
      });
      operations.set(`${method.toUpperCase()} ${template}`, {
        operationId: String(op.operationId ?? `${method} ${template}`),
        template,
        method,
        pointer,
        op,
        parameters,
      });
    }
  }
  // Most specific first: more literal segments win (`/incidents/count` before `/incidents/{id}`).
  paths.sort((a, b) => b.literalSegments - a.literalSegments || a.names.length - b.names.length);
  loaded = { raw, ajv, paths, operations, compiled: new Map() };
  return loaded;
}

function compile(state: Loaded, mode: 'request' | 'response', pointer: string): ValidateFunction {
  const key = `${mode}#${pointer}`;
  let fn = state.compiled.get(key);
  if (!fn) {
    fn = state.ajv.compile({ $ref: `pd-${mode}#${pointer}` });
    state.compiled.set(key, fn);
  }
  return fn;
}

function normaliseHeaders(headers: HeaderInput | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!headers) return out;
  if (headers instanceof Headers) {
    headers.forEach((value, key) => {
      out.set(key.toLowerCase(), value);
    });
    return out;
  }
  for (const [key, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out.set(key.toLowerCase(), Array.isArray(value) ? value.join(', ') : String(value));
  }
  return out;
}

function normaliseQuery(
  path: string,
  query: QueryInput | undefined,
): { pathname: string; params: Map<string, string[]> } {
  const params = new Map<string, string[]>();
  const add = (key: string, value: string): void => {
    const list = params.get(key) ?? [];
    list.push(value);
    params.set(key, list);
  };
  const q = path.indexOf('?');
  const pathname = q === -1 ? path : path.slice(0, q);
  const addAll = (params: URLSearchParams): void => {
    for (const [k, v] of params) add(k, v);
  };
  if (q !== -1) addAll(new URLSearchParams(path.slice(q + 1)));
  if (query instanceof URLSearchParams) addAll(query);
  else if (typeof query === 'string') addAll(new URLSearchParams(query.replace(/^\?/, '')));
  else if (query) {
    for (const [key, value] of Object.entries(query)) {
      if (Array.isArray(value)) for (const v of value) add(key, String(v));
      else add(key, String(value));
    }
  }
  return { pathname, params };
}

function parseBody(body: unknown, where: string, violations: OpenApiViolation[]): { present: boolean; value: unknown } {
  if (body === undefined || body === null) return { present: false, value: undefined };
  if (typeof body === 'string') {
    if (body.trim() === '') return { present: false, value: undefined };
    try {
      return { present: true, value: JSON.parse(body) };
    } catch {
      violations.push({ where, message: 'body is not valid JSON' });
      return { present: true, value: undefined };
    }
  }
  if (body instanceof Uint8Array) return parseBody(Buffer.from(body).toString('utf8'), where, violations);
  return { present: true, value: body };
}

function ajvViolations(prefix: string, errors: ErrorObject[] | null | undefined): OpenApiViolation[] {
  if (!errors) return [];
  // oneOf/anyOf failures also report each branch's errors; keep the most specific messages first.
  const seen = new Set<string>();
  const out: OpenApiViolation[] = [];
  for (const e of errors) {
    const where = `${prefix}${e.instancePath}`;
    let message = e.message ?? 'is invalid';
    if (e.keyword === 'required')
      message = `must have required property '${(e.params as { missingProperty: string }).missingProperty}'`;
    if (e.keyword === 'enum')
      message = `must be one of ${JSON.stringify((e.params as { allowedValues: unknown[] }).allowedValues)}`;
    if (e.keyword === 'additionalProperties')
      message = `must not have property '${(e.params as { additionalProperty: string }).additionalProperty}'`;
    const key = `${where} ${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ where, message });
  }
  return out;
}

function mediaTypeOk(contentType: string | undefined, allowVendor: boolean): boolean {
  if (!contentType) return false;
  const type = contentType.split(';')[0]?.trim().toLowerCase();
  return type === 'application/json' || (allowVendor && type === VENDOR_TYPE);
}

/** Quirk 1: an Accept header must admit PagerDuty's v2 JSON. */
function acceptAllowsV2(accept: string): boolean {
  return accept.split(',').some((entry) => {
    const [typeRaw, ...params] = entry.split(';').map((s) => s.trim().toLowerCase());
    const type = typeRaw ?? '';
    if (type === '*/*' || type === 'application/*' || type === 'application/json') return true;
    if (type === VENDOR_TYPE) {
      const version = params.find((p) => p.startsWith('version='));
      return version === undefined || version === 'version=2';
    }
    return false;
  });
}

function schemaTypeAt(state: Loaded, pointer: string): JsonObject {
  const schema = resolvePointer(state.raw, `#${pointer}`) as JsonObject | undefined;
  if (!schema) return {};
  return deref(state.raw, schema, pointer).node ?? {};
}

function coerce(value: string, type: unknown): { ok: true; value: unknown } | { ok: false; message: string } {
  if (type === 'integer') {
    if (!/^-?\d+$/.test(value)) return { ok: false, message: `must be an integer, got ${JSON.stringify(value)}` };
    return { ok: true, value: Number(value) };
  }
  if (type === 'number') {
    if (value.trim() === '' || Number.isNaN(Number(value)))
      return { ok: false, message: `must be a number, got ${JSON.stringify(value)}` };
    return { ok: true, value: Number(value) };
  }
  if (type === 'boolean') {
    if (value !== 'true' && value !== 'false')
      return { ok: false, message: `must be true or false, got ${JSON.stringify(value)}` };
    return { ok: true, value: value === 'true' };
  }
  return { ok: true, value };
}

function checkParamValue(
  state: Loaded,
  where: string,
  raw: string,
  itemPointer: string,
  violations: OpenApiViolation[],
): void {
  const schema = schemaTypeAt(state, itemPointer);
  const coerced = coerce(raw, schema.type);
  if (!coerced.ok) {
    violations.push({ where, message: coerced.message });
    return;
  }
  const validate = compile(state, 'request', itemPointer);
  if (!validate(coerced.value)) violations.push(...ajvViolations(where, validate.errors));
}

function validateParameters(
  state: Loaded,
  operation: Operation,
  pathValues: Record<string, string>,
  query: Map<string, string[]>,
  headers: Map<string, string>,
  hasBody: boolean,
  violations: OpenApiViolation[],
): void {
  const knownQuery = new Set<string>();
  for (const { param, schemaPointer } of operation.parameters) {
    const name = String(param.name);
    const location = String(param.in);
    const required = param.required === true;
    if (location === 'path') {
      const value = pathValues[name];
      if (value === undefined || value === '') violations.push({ where: `path.${name}`, message: 'is required' });
      else checkParamValue(state, `path.${name}`, decodeURIComponent(value), schemaPointer, violations);
      continue;
    }
    if (location === 'header') {
      const lower = name.toLowerCase();
      const value = headers.get(lower);
      if (lower === 'accept') {
        if (value === undefined) violations.push({ where: 'header.Accept', message: 'is required' });
        else if (!acceptAllowsV2(value))
          violations.push({ where: 'header.Accept', message: `must allow ${VENDOR_TYPE};version=2, got ${value}` });
        continue;
      }
      if (lower === 'content-type') {
        if (!hasBody) continue;
        if (value === undefined) violations.push({ where: 'header.Content-Type', message: 'is required with a body' });
        else if (!mediaTypeOk(value, false))
          violations.push({ where: 'header.Content-Type', message: `must be application/json, got ${value}` });
        continue;
      }
      if (value === undefined) {
        if (required) violations.push({ where: `header.${name}`, message: 'is required' });
        continue;
      }
      checkParamValue(state, `header.${name}`, value, schemaPointer, violations);
      continue;
    }
    if (location !== 'query') continue;
    knownQuery.add(name);
    const values = query.get(name);
    if (values === undefined || values.length === 0) {
      if (required) violations.push({ where: `query.${name}`, message: 'is required' });
      continue;
    }
    const schema = schemaTypeAt(state, schemaPointer);
    const where = `query.${name}`;
    if (schema.type === 'array') {
      const split = param.explode === false ? values.flatMap((v) => v.split(',')) : values;
      const items = schema.items as JsonObject | undefined;
      const itemType = items ? deref(state.raw, items, `${schemaPointer}/items`).node?.type : undefined;
      const coerced: unknown[] = [];
      for (const v of split) {
        const c = coerce(v, itemType);
        if (!c.ok) violations.push({ where, message: c.message });
        else coerced.push(c.value);
      }
      const validate = compile(state, 'request', schemaPointer);
      if (!validate(coerced)) violations.push(...ajvViolations(where, validate.errors));
      continue;
    }
    if (name.endsWith('[]')) {
      // Quirk 3: a `[]` parameter declared with a scalar schema; each value must match it.
      for (const v of values) checkParamValue(state, where, v, schemaPointer, violations);
      continue;
    }
    if (values.length > 1) {
      violations.push({ where, message: `is given ${values.length} times but is not an array parameter` });
      continue;
    }
    checkParamValue(state, where, values[0] as string, schemaPointer, violations);
  }
  for (const name of query.keys()) {
    if (!knownQuery.has(name))
      violations.push({ where: `query.${name}`, message: 'is not a parameter of this operation' });
  }
}

function matchOperation(
  state: Loaded,
  method: string,
  pathname: string,
): { operation?: Operation; pathValues: Record<string, string>; template?: string } {
  const m = method.toUpperCase();
  let fallbackTemplate: string | undefined;
  for (const entry of state.paths) {
    const match = entry.regex.exec(pathname);
    if (!match) continue;
    const pathValues: Record<string, string> = {};
    entry.names.forEach((name, i) => {
      pathValues[name] = match[i + 1] ?? '';
    });
    const operation = state.operations.get(`${m} ${entry.template}`);
    if (operation) return { operation, pathValues, template: entry.template };
    fallbackTemplate ??= entry.template;
  }
  return { pathValues: {}, template: fallbackTemplate };
}

/** Creates a validator over PagerDuty's official REST OpenAPI spec (loaded once per process). */
export function createPagerDutyOpenApiValidator(): PagerDutyOpenApiValidator {
  const state = load();

  return {
    findOperation(method, path) {
      const { pathname } = normaliseQuery(path, undefined);
      const { operation } = matchOperation(state, method, pathname);
      return operation ? { operationId: operation.operationId, template: operation.template } : undefined;
    },

    validateRequest(request) {
      const violations: OpenApiViolation[] = [];
      const { pathname, params } = normaliseQuery(request.path, request.query);
      const { operation, pathValues, template } = matchOperation(state, request.method, pathname);
      if (!operation) {
        violations.push({
          where: 'operation',
          message: template
            ? `${request.method.toUpperCase()} is not defined for ${template}`
            : `no path in the spec matches ${pathname}`,
        });
        return violations;
      }
      const headers = normaliseHeaders(request.headers);
      const body = parseBody(request.body, 'body', violations);
      const auth = headers.get('authorization');
      if (auth === undefined) violations.push({ where: 'header.Authorization', message: 'is required' });
      else if (!/^(Token token=\S+|Bearer \S+)$/.test(auth))
        violations.push({ where: 'header.Authorization', message: 'must be "Token token=<key>" or "Bearer <token>"' });
      validateParameters(state, operation, pathValues, params, headers, body.present, violations);

      const requestBody = operation.op.requestBody
        ? deref(state.raw, operation.op.requestBody, `${operation.pointer}/requestBody`)
        : undefined;
      if (!requestBody) {
        if (body.present) violations.push({ where: 'body', message: 'this operation takes no request body' });
        return violations;
      }
      const content = requestBody.node.content as Record<string, unknown> | undefined;
      if (!body.present) {
        // Quirk 14: most operations leave `requestBody.required` unset even when the body has required fields.
        const json = content?.['application/json'] as JsonObject | undefined;
        const schema = json?.schema ? deref(state.raw, json.schema, '').node : undefined;
        const hasRequired = Array.isArray(schema?.required) && (schema.required as unknown[]).length > 0;
        if (requestBody.node.required === true || hasRequired)
          violations.push({ where: 'body', message: 'is required' });
        return violations;
      }
      if (!content?.['application/json']) {
        violations.push({ where: 'body', message: 'the spec declares no JSON request body for this operation' });
        return violations;
      }
      if (body.value === undefined) return violations;
      const validate = compile(state, 'request', `${requestBody.pointer}/content/application~1json/schema`);
      if (!validate(body.value)) violations.push(...ajvViolations('body', validate.errors));
      return violations;
    },

    validateResponse(response) {
      const violations: OpenApiViolation[] = [];
      const { pathname } = normaliseQuery(response.path, undefined);
      const { operation, template } = matchOperation(state, response.method, pathname);
      if (!operation) {
        violations.push({
          where: 'operation',
          message: template
            ? `${response.method.toUpperCase()} is not defined for ${template}`
            : `no path in the spec matches ${pathname}`,
        });
        return violations;
      }
      const headers = normaliseHeaders(response.headers);
      const body = parseBody(response.body, 'body', violations);
      const responses = (operation.op.responses ?? {}) as Record<string, unknown>;
      const declared =
        responses[String(response.status)] ??
        responses[`${String(response.status)[0]}XX`] ??
        responses[`${String(response.status)[0]}xx`] ??
        responses.default;
      let schemaPointer: string | undefined;
      if (declared) {
        const resolved = deref(
          state.raw,
          declared,
          `${operation.pointer}/responses/${escapePointer(String(response.status))}`,
        );
        const content = resolved.node.content as Record<string, unknown> | undefined;
        if (content?.['application/json']) schemaPointer = `${resolved.pointer}/content/application~1json/schema`;
        else if (content && body.present)
          violations.push({ where: 'body', message: 'the spec declares no JSON body for this status' });
      } else if (UNDECLARED_ERROR_STATUSES.has(response.status) || response.status >= 500) {
        // Quirk 5: the generic PagerDuty error object, with its code and message.
        schemaPointer = GENERIC_ERROR_POINTER;
        const error = (body.value as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
        if (typeof error?.code !== 'number' || typeof error?.message !== 'string')
          violations.push({ where: 'body/error', message: 'must be PagerDuty error {error:{message, code}}' });
      } else {
        violations.push({
          where: 'status',
          message: `${response.status} is not a declared response of ${operation.operationId} (${Object.keys(responses).join(', ')})`,
        });
        return violations;
      }
      if (body.present) {
        const contentType = headers.get('content-type');
        if (!mediaTypeOk(contentType, true))
          violations.push({ where: 'header.Content-Type', message: `must be application/json, got ${contentType}` });
      }
      if (schemaPointer && body.present && body.value !== undefined) {
        const validate = compile(state, 'response', schemaPointer);
        if (!validate(body.value)) violations.push(...ajvViolations('body', validate.errors));
      } else if (schemaPointer && !body.present) {
        violations.push({ where: 'body', message: 'a JSON body is declared for this status but none was sent' });
      }
      return violations;
    },
  };
}

/** One line per violation, for assertion messages. */
export function formatViolations(violations: readonly OpenApiViolation[]): string {
  return violations.map((v) => `${v.where}: ${v.message}`).join('\n');
}
