-- The portal's editable content (src/portal): items of every kind with their revisions, uploaded
-- files stored by SHA-256 and their versions per item, and accessibility feedback.
-- Times are Unix seconds (UTC); dates with precision are ISO text plus precision.

CREATE TABLE content_item (
  id {{id}},
  kind TEXT NOT NULL CHECK (kind IN ('news', 'event', 'page', 'partner', 'agreement', 'document',
                                     'member', 'video')),
  slug TEXT NOT NULL,
  title_de TEXT NOT NULL,
  title_en TEXT NOT NULL DEFAULT '',
  summary_de TEXT NOT NULL DEFAULT '',
  summary_en TEXT NOT NULL DEFAULT '',
  body_de TEXT NOT NULL DEFAULT '',
  body_en TEXT NOT NULL DEFAULT '',
  -- Plain text of the bodies, derived on save (search, feeds, descriptions).
  text_de TEXT NOT NULL DEFAULT '',
  text_en TEXT NOT NULL DEFAULT '',
  location_de TEXT NOT NULL DEFAULT '',
  location_en TEXT NOT NULL DEFAULT '',
  category TEXT NOT NULL DEFAULT '',
  topics TEXT NOT NULL DEFAULT '',
  item_date TEXT,
  item_date_precision TEXT CHECK (item_date_precision IS NULL OR
                                  item_date_precision IN ('day', 'month', 'year', 'by')),
  -- Events: "YYYY-MM-DD" (all day) or "YYYY-MM-DDTHH:MM", local time Europe/Berlin.
  starts TEXT NOT NULL DEFAULT '',
  ends TEXT NOT NULL DEFAULT '',
  url TEXT NOT NULL DEFAULT '',
  people TEXT NOT NULL DEFAULT '',
  series TEXT NOT NULL DEFAULT '',
  language TEXT NOT NULL DEFAULT 'de' CHECK (language IN ('de', 'en')),
  position INTEGER NOT NULL DEFAULT 0,
  -- 'published' with publish_at in the future is a scheduled publication.
  state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'published')),
  publish_at {{bigint}},
  published_at {{bigint}},
  created_at {{bigint}} NOT NULL,
  updated_at {{bigint}} NOT NULL,
  revision INTEGER NOT NULL DEFAULT 1,
  UNIQUE (kind, slug)
) {{strict}};
CREATE INDEX content_item_public ON content_item (kind, state, publish_at);

-- Every change of an item, with the fields as they were after it (JSON).
CREATE TABLE content_revision (
  id {{id}},
  item_id {{bigint}} NOT NULL REFERENCES content_item(id) ON DELETE CASCADE,
  number INTEGER NOT NULL,
  at {{bigint}} NOT NULL,
  author_user_id {{bigint}},
  author_name TEXT NOT NULL,
  action TEXT NOT NULL,
  snapshot TEXT NOT NULL,
  UNIQUE (item_id, number)
) {{strict}};

-- An uploaded file, stored once under its SHA-256 in the upload directory.
CREATE TABLE stored_file (
  sha256 TEXT PRIMARY KEY,
  media_type TEXT NOT NULL,
  size {{bigint}} NOT NULL,
  file_name TEXT NOT NULL,
  uploaded_at {{bigint}} NOT NULL,
  uploaded_by TEXT NOT NULL
) {{strict}};

-- The versions of an item's files; the highest version per role is the current one.
CREATE TABLE content_file (
  id {{id}},
  item_id {{bigint}} NOT NULL REFERENCES content_item(id) ON DELETE CASCADE,
  role TEXT NOT NULL CHECK (role IN ('main', 'captions')),
  version INTEGER NOT NULL,
  sha256 TEXT NOT NULL REFERENCES stored_file(sha256),
  added_at {{bigint}} NOT NULL,
  added_by TEXT NOT NULL,
  UNIQUE (item_id, role, version)
) {{strict}};

CREATE TABLE accessibility_feedback (
  id {{id}},
  received_at {{bigint}} NOT NULL,
  name TEXT NOT NULL DEFAULT '',
  email TEXT NOT NULL DEFAULT '',
  page TEXT NOT NULL DEFAULT '',
  message TEXT NOT NULL
) {{strict}};
