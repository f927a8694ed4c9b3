-- The platform foundation: cooperation data, accounts, sessions, throttling, audit log.
-- Shared by SQLite and PostgreSQL; see storage/storage.hpp for the {{…}} tokens.
-- Times are Unix seconds (UTC); booleans are 0/1; dates with precision are ISO text plus precision.

CREATE TABLE city (
  id {{id}},
  slug TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL UNIQUE,
  -- The office fills these in; they are never invented and shown only when filled.
  ki_name TEXT,
  ki_contact TEXT,
  ki_url TEXT,
  -- Non-public notes of the city's own people and the office.
  internal_note TEXT,
  map_x INTEGER NOT NULL DEFAULT 0,
  map_y INTEGER NOT NULL DEFAULT 0
) {{strict}};

-- Membership history: one row per phase (guest, member), possibly ending.
CREATE TABLE city_membership (
  id {{id}},
  city_id {{bigint}} NOT NULL REFERENCES city(id) ON DELETE CASCADE,
  status TEXT NOT NULL CHECK (status IN ('guest', 'member')),
  since_date TEXT NOT NULL,
  since_precision TEXT NOT NULL CHECK (since_precision IN ('day', 'month', 'year', 'by')),
  until_date TEXT,
  until_precision TEXT CHECK (until_precision IS NULL OR until_precision IN ('day', 'month', 'year', 'by')),
  note_de TEXT NOT NULL DEFAULT '',
  note_en TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL DEFAULT '',
  UNIQUE (city_id, status, since_date)
) {{strict}};

CREATE TABLE body (
  id {{id}},
  slug TEXT NOT NULL UNIQUE,
  name_de TEXT NOT NULL,
  name_en TEXT NOT NULL,
  composition_de TEXT NOT NULL,
  composition_en TEXT NOT NULL,
  tasks_de TEXT NOT NULL,
  tasks_en TEXT NOT NULL
) {{strict}};

CREATE TABLE theme (
  id {{id}},
  slug TEXT NOT NULL UNIQUE,
  position INTEGER NOT NULL,
  title_de TEXT NOT NULL,
  title_en TEXT NOT NULL
) {{strict}};

CREATE TABLE action_goal (
  id {{id}},
  slug TEXT NOT NULL UNIQUE,
  position INTEGER NOT NULL,
  title_de TEXT NOT NULL,
  title_en TEXT NOT NULL
) {{strict}};

CREATE TABLE milestone (
  id {{id}},
  slug TEXT NOT NULL UNIQUE,
  event_date TEXT NOT NULL,
  event_precision TEXT NOT NULL CHECK (event_precision IN ('day', 'month', 'year', 'by')),
  title_de TEXT NOT NULL,
  title_en TEXT NOT NULL,
  description_de TEXT NOT NULL,
  description_en TEXT NOT NULL
) {{strict}};

CREATE TABLE publication (
  id {{id}},
  slug TEXT NOT NULL UNIQUE,
  series TEXT NOT NULL DEFAULT '',
  position INTEGER NOT NULL,
  title_de TEXT NOT NULL,
  title_en TEXT NOT NULL,
  published_date TEXT,
  published_precision TEXT CHECK (published_precision IS NULL OR published_precision IN ('day', 'month', 'year', 'by')),
  language TEXT NOT NULL DEFAULT 'de'
) {{strict}};

CREATE TABLE app_user (
  id {{id}},
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  email TEXT NOT NULL DEFAULT '',
  password_hash TEXT,
  active INTEGER NOT NULL DEFAULT 1,
  created_at {{bigint}} NOT NULL,
  password_changed_at {{bigint}}
) {{strict}};

-- A role held for one city (city_id set) or for the cooperation (city_id NULL).
CREATE TABLE role_assignment (
  id {{id}},
  user_id {{bigint}} NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
  role TEXT NOT NULL CHECK (role IN ('city_entry', 'city_approval', 'office', 'steering_group',
                                     'project_group', 'admin')),
  city_id {{bigint}} REFERENCES city(id) ON DELETE CASCADE
) {{strict}};
CREATE UNIQUE INDEX role_assignment_unique ON role_assignment (user_id, role, COALESCE(city_id, 0));

-- Only the SHA-256 of a session id is stored; the id itself exists only in the cookie.
CREATE TABLE user_session (
  id_hash TEXT PRIMARY KEY,
  user_id {{bigint}} NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
  created_at {{bigint}} NOT NULL,
  last_seen_at {{bigint}} NOT NULL
) {{strict}};
CREATE INDEX user_session_user ON user_session (user_id);

CREATE TABLE invitation (
  token_hash TEXT PRIMARY KEY,
  user_id {{bigint}} NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
  created_at {{bigint}} NOT NULL,
  expires_at {{bigint}} NOT NULL,
  used_at {{bigint}}
) {{strict}};

-- Failed sign-ins per account ("user:<name>") and per client address ("addr:<ip>"), shared by
-- every instance through the database.
CREATE TABLE login_throttle (
  throttle_key TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  last_failure_at {{bigint}} NOT NULL,
  blocked_until {{bigint}} NOT NULL
) {{strict}};

CREATE TABLE api_token (
  id {{id}},
  user_id {{bigint}} NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
  token_hash TEXT NOT NULL UNIQUE,
  label TEXT NOT NULL,
  created_at {{bigint}} NOT NULL,
  last_used_at {{bigint}},
  revoked_at {{bigint}}
) {{strict}};

-- Append-only: the application has no statement that changes or deletes a row, and triggers
-- (migration 0002) refuse it in the database as well.
CREATE TABLE audit_log (
  id {{id}},
  at {{bigint}} NOT NULL,
  actor_user_id {{bigint}},
  actor_name TEXT NOT NULL,
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  city_id {{bigint}},
  before_json TEXT,
  after_json TEXT,
  request_id TEXT NOT NULL DEFAULT ''
) {{strict}};
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
