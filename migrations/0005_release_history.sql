-- Every release of a published table, kept for good (issue 16): whoever kept the tables a year
-- was published in can put them side by side, so each new release is planned and audited
-- against all of them. `published_table` stays the current release that public pages read.
CREATE TABLE published_release (
  id {{id}},
  indicator_version_id {{bigint}} NOT NULL REFERENCES indicator_version(id),
  year INTEGER NOT NULL,
  generation INTEGER NOT NULL,
  table_json TEXT NOT NULL,   -- as published, with the plan's intervals under the history
  counts_json TEXT NOT NULL,  -- the counts behind every cell, the withheld ones too: never public
  plan_summary TEXT NOT NULL,
  published_at {{bigint}} NOT NULL,
  published_by TEXT NOT NULL,
  occasion TEXT NOT NULL,     -- 'publish', 'withdraw', 'return' of a city's report; 'recorded'
  city_id {{bigint}} REFERENCES city(id),
  UNIQUE (indicator_version_id, year, generation)
) {{strict}};
CREATE INDEX published_release_year ON published_release (year, indicator_version_id, generation);

-- Tables whose totals count the same persons (staff and staff by gender) are audited together.
ALTER TABLE indicator_version ADD COLUMN total_group TEXT;
UPDATE indicator_version SET total_group = 'staff'
  WHERE indicator_id IN (SELECT id FROM indicator WHERE code IN ('staff', 'staff_gender'));
