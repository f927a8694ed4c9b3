-- The year-on-year rule fires only when a change exceeds its percentage AND is at least this many
-- persons: on small counts one person is a large percentage (2 → 3 is +50 %). NULL for the other
-- rules. Databases seeded before this migration get the seed's default of 5 persons.
ALTER TABLE validation_rule ADD COLUMN minimum_change INTEGER CHECK (minimum_change IS NULL OR minimum_change >= 0);
UPDATE validation_rule SET minimum_change = 5 WHERE kind = 'year_on_year_change' AND minimum_change IS NULL;
