-- incident-bot store, first schema. Plain Postgres SQL (PGlite and Postgres 15+). Times are timestamptz written
-- by the application clock; ids are identity columns exposed to JavaScript as strings.

-- Which Slack message and channel belong to which PagerDuty incident.
CREATE TABLE incident_links (
  incident_id         text PRIMARY KEY,
  team_id             text,
  channel_id          text,            -- where the incident card lives
  message_ts          text,            -- the card's message ts
  thread_ts           text,            -- thread for triage, updates and the postmortem draft
  incident_channel_id text,            -- the dedicated incident channel, when one was created
  commander_user_id   text,
  comms_user_id       text,
  scribe_user_id      text,
  card_hash           text,            -- hash of the last card rendered, to skip no-op chat.update calls
  created_at          timestamptz NOT NULL,
  updated_at          timestamptz NOT NULL
);
CREATE INDEX incident_links_card ON incident_links (channel_id, message_ts);
CREATE UNIQUE INDEX incident_links_incident_channel ON incident_links (incident_channel_id)
  WHERE incident_channel_id IS NOT NULL;

-- What happened in the incident, for postmortems: channel messages, pins, notes and bot posts.
CREATE TABLE timeline_events (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  incident_id text NOT NULL,
  source      text NOT NULL CHECK (source IN ('message', 'pin', 'note', 'bot_post')),
  ts          text NOT NULL,           -- Slack message ts, or the note's id
  occurred_at timestamptz NOT NULL,
  channel_id  text,
  author_id   text,
  author_name text,
  text        text NOT NULL,
  edited      boolean NOT NULL DEFAULT false,
  created_at  timestamptz NOT NULL,
  CONSTRAINT timeline_events_once UNIQUE (incident_id, source, ts)
);
CREATE INDEX timeline_events_order ON timeline_events (incident_id, occurred_at, id);

-- Deliveries already handled (Slack event_id, action payloads, PagerDuty X-Webhook-Id), kept 7 days.
CREATE TABLE processed_keys (
  key        text PRIMARY KEY,
  claimed_at timestamptz NOT NULL
);
CREATE INDEX processed_keys_claimed_at ON processed_keys (claimed_at);

-- Every write made through any front.
CREATE TABLE audit_log (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at                timestamptz NOT NULL,
  surface           text NOT NULL,
  slack_user_id     text,
  pagerduty_user_id text,
  email             text,
  tool              text NOT NULL,
  incident_id       text,
  input             jsonb NOT NULL,
  outcome           text NOT NULL CHECK (outcome IN ('ok', 'error')),
  error_code        text,
  error_message     text,
  duration_ms       integer
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_incident ON audit_log (incident_id, at) WHERE incident_id IS NOT NULL;

-- Cached AI outputs.
CREATE TABLE ai_results (
  incident_id        text,
  kind               text NOT NULL,
  engine             text NOT NULL,
  input_hash         text NOT NULL,
  value              jsonb NOT NULL,
  input_tokens       integer NOT NULL DEFAULT 0,
  output_tokens      integer NOT NULL DEFAULT 0,
  cache_read_tokens  integer NOT NULL DEFAULT 0,
  cache_write_tokens integer NOT NULL DEFAULT 0,
  created_at         timestamptz NOT NULL,
  CONSTRAINT ai_results_key UNIQUE NULLS NOT DISTINCT (incident_id, kind, engine, input_hash)
);
CREATE INDEX ai_results_created_at ON ai_results (created_at);

-- PagerDuty service → Slack channel routing (`/incident subscribe`).
CREATE TABLE service_channels (
  service_id text NOT NULL,
  channel_id text NOT NULL,
  team_id    text,
  created_by text,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (service_id, channel_id)
);
CREATE INDEX service_channels_channel ON service_channels (channel_id);

-- Alert-storm windows: one summary message per channel, updated in place while incidents keep arriving.
CREATE TABLE storm_windows (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  channel_id   text NOT NULL,
  opened_at    timestamptz NOT NULL,
  last_at      timestamptz NOT NULL,
  incident_ids jsonb NOT NULL DEFAULT '[]'::jsonb,
  message_ts   text
);
CREATE INDEX storm_windows_channel ON storm_windows (channel_id, id DESC);
CREATE INDEX storm_windows_last_at ON storm_windows (last_at);

-- Durable job queue.
CREATE TABLE jobs (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind             text NOT NULL,
  payload          jsonb NOT NULL,
  state            text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'running', 'succeeded', 'dead')),
  attempts         integer NOT NULL DEFAULT 0,
  max_attempts     integer NOT NULL CHECK (max_attempts >= 1),
  run_at           timestamptz NOT NULL,
  dedupe_key       text,
  ordering_key     text,
  locked_by        text,
  lease_until      timestamptz,
  last_error       text,
  created_at       timestamptz NOT NULL,
  first_started_at timestamptz,
  finished_at      timestamptz,
  updated_at       timestamptz NOT NULL
);
-- A dedupe key is unique among jobs still to do; once a job ends the key may be used again.
CREATE UNIQUE INDEX jobs_dedupe_active ON jobs (dedupe_key)
  WHERE dedupe_key IS NOT NULL AND state IN ('pending', 'running');
CREATE INDEX jobs_pending_due ON jobs (run_at, id) WHERE state = 'pending';
CREATE INDEX jobs_ordering_active ON jobs (ordering_key, id)
  WHERE ordering_key IS NOT NULL AND state IN ('pending', 'running');
CREATE INDEX jobs_running_lease ON jobs (lease_until) WHERE state = 'running';
CREATE INDEX jobs_finished ON jobs (finished_at) WHERE state IN ('succeeded', 'dead');
