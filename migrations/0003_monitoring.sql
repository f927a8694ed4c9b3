-- Diversity monitoring: the indicator catalogue (versioned), the cities' yearly reports with
-- values and revisions, validation rules, targets, published reference figures and the published
-- (suppressed) tables that the public pages read. See src/monitoring/monitoring.hpp.

-- A definition of immigration history; its parameters are data so that a new one needs no code.
CREATE TABLE immigration_definition (
  id {{id}},
  code TEXT NOT NULL UNIQUE,
  name_de TEXT NOT NULL,
  name_en TEXT NOT NULL,
  description_de TEXT NOT NULL,
  description_en TEXT NOT NULL,
  cutoff_date TEXT NOT NULL DEFAULT '',
  parent_rule TEXT NOT NULL CHECK (parent_rule IN ('none', 'both', 'at_least_one')),
  citizenship_rule TEXT NOT NULL DEFAULT '',
  is_immigration_history INTEGER NOT NULL DEFAULT 1
) {{strict}};

CREATE TABLE breakdown (
  id {{id}},
  code TEXT NOT NULL UNIQUE,
  name_de TEXT NOT NULL,
  name_en TEXT NOT NULL
) {{strict}};

-- Hierarchical: the root (parent_id NULL) is the total, children add up to their parent.
CREATE TABLE breakdown_category (
  id {{id}},
  breakdown_id {{bigint}} NOT NULL REFERENCES breakdown(id) ON DELETE CASCADE,
  parent_id {{bigint}} REFERENCES breakdown_category(id),
  code TEXT NOT NULL,
  position INTEGER NOT NULL,
  name_de TEXT NOT NULL,
  name_en TEXT NOT NULL,
  UNIQUE (breakdown_id, code)
) {{strict}};

CREATE TABLE indicator (
  id {{id}},
  code TEXT NOT NULL UNIQUE,
  position INTEGER NOT NULL
) {{strict}};

CREATE TABLE indicator_version (
  id {{id}},
  indicator_id {{bigint}} NOT NULL REFERENCES indicator(id) ON DELETE CASCADE,
  version INTEGER NOT NULL,
  name_de TEXT NOT NULL,
  name_en TEXT NOT NULL,
  unit TEXT NOT NULL CHECK (unit IN ('count', 'percent', 'ratio')),
  definition_de TEXT NOT NULL,
  definition_en TEXT NOT NULL,
  immigration_definition_id {{bigint}} NOT NULL REFERENCES immigration_definition(id),
  population TEXT NOT NULL CHECK (population IN ('staff', 'trainees', 'applicants', 'new_hires',
                                                 'training_participants', 'residents')),
  breakdown_id {{bigint}} NOT NULL REFERENCES breakdown(id),
  has_denominator INTEGER NOT NULL,
  display_precision INTEGER NOT NULL CHECK (display_precision BETWEEN 0 AND 4),
  valid_from INTEGER NOT NULL,
  valid_to INTEGER,
  created_at {{bigint}} NOT NULL,
  UNIQUE (indicator_id, version)
) {{strict}};

-- One report per city and year, moving draft → submitted → approved → published.
CREATE TABLE report (
  id {{id}},
  city_id {{bigint}} NOT NULL REFERENCES city(id) ON DELETE CASCADE,
  year INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'approved', 'published')),
  return_reason TEXT NOT NULL DEFAULT '',
  updated_at {{bigint}} NOT NULL,
  UNIQUE (city_id, year)
) {{strict}};

CREATE TABLE report_event (
  id {{id}},
  report_id {{bigint}} NOT NULL REFERENCES report(id) ON DELETE CASCADE,
  at {{bigint}} NOT NULL,
  actor_user_id {{bigint}},
  actor_name TEXT NOT NULL,
  action TEXT NOT NULL,
  from_status TEXT NOT NULL,
  to_status TEXT NOT NULL,
  reason TEXT NOT NULL DEFAULT ''
) {{strict}};
CREATE INDEX report_event_report ON report_event (report_id);

-- A missing figure stays NULL; `unknown` counts persons without an answer.
CREATE TABLE indicator_value (
  id {{id}},
  report_id {{bigint}} NOT NULL REFERENCES report(id) ON DELETE CASCADE,
  indicator_version_id {{bigint}} NOT NULL REFERENCES indicator_version(id),
  category_id {{bigint}} NOT NULL REFERENCES breakdown_category(id),
  numerator {{bigint}},
  unknown_count {{bigint}},
  denominator {{bigint}},
  comment TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL DEFAULT '',
  reference_date TEXT NOT NULL DEFAULT '',
  revision INTEGER NOT NULL,
  UNIQUE (report_id, indicator_version_id, category_id)
) {{strict}};

-- Every change of a value: old → new as JSON, who and when. Kept when the value is deleted.
CREATE TABLE indicator_value_revision (
  id {{id}},
  report_id {{bigint}} NOT NULL REFERENCES report(id) ON DELETE CASCADE,
  indicator_version_id {{bigint}} NOT NULL REFERENCES indicator_version(id),
  category_id {{bigint}} NOT NULL REFERENCES breakdown_category(id),
  revision INTEGER NOT NULL,
  at {{bigint}} NOT NULL,
  actor_user_id {{bigint}},
  actor_name TEXT NOT NULL,
  before_json TEXT NOT NULL DEFAULT '',
  after_json TEXT NOT NULL DEFAULT ''
) {{strict}};
-- The numbering of a cell's revisions continues across versions of its indicator: the lookup
-- goes by report and category.
CREATE INDEX indicator_value_revision_cell ON indicator_value_revision (report_id, category_id);

CREATE TABLE validation_rule (
  id {{id}},
  kind TEXT NOT NULL UNIQUE CHECK (kind IN ('part_not_above_total', 'breakdown_sum', 'percent_range',
                                            'non_negative', 'year_on_year_change')),
  severity TEXT NOT NULL CHECK (severity IN ('error', 'warning')),
  threshold INTEGER,
  active INTEGER NOT NULL DEFAULT 1
) {{strict}};

-- category_code '' is the indicator's total (so that the uniqueness holds without NULLs).
CREATE TABLE target (
  id {{id}},
  city_id {{bigint}} NOT NULL REFERENCES city(id) ON DELETE CASCADE,
  indicator_id {{bigint}} NOT NULL REFERENCES indicator(id) ON DELETE CASCADE,
  category_code TEXT NOT NULL DEFAULT '',
  target_value TEXT NOT NULL,
  target_year INTEGER NOT NULL,
  baseline_year INTEGER,
  updated_at {{bigint}} NOT NULL,
  UNIQUE (city_id, indicator_id, category_code, target_year)
) {{strict}};

-- Published figures from public sources, each with its definition, date and source as published.
CREATE TABLE reference_figure (
  id {{id}},
  position INTEGER NOT NULL UNIQUE,
  city_id {{bigint}} REFERENCES city(id) ON DELETE SET NULL,
  city_label TEXT NOT NULL,
  code TEXT NOT NULL,
  figure_value TEXT NOT NULL,
  unit TEXT NOT NULL,
  definition TEXT NOT NULL,
  reference_date TEXT NOT NULL,
  source_url TEXT NOT NULL,
  note TEXT NOT NULL
) {{strict}};

-- The only source of public monitoring figures: the suppressed table per indicator version and
-- year, rebuilt in the same transaction as every publication or withdrawal.
CREATE TABLE published_table (
  id {{id}},
  indicator_version_id {{bigint}} NOT NULL REFERENCES indicator_version(id),
  year INTEGER NOT NULL,
  table_json TEXT NOT NULL,
  plan_summary TEXT NOT NULL,
  generation INTEGER NOT NULL,
  published_at {{bigint}} NOT NULL,
  published_by TEXT NOT NULL,
  UNIQUE (indicator_version_id, year)
) {{strict}};
