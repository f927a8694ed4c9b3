-- Releases are never changed or removed: the public may have kept any of them.
CREATE TRIGGER published_release_no_update BEFORE UPDATE ON published_release
BEGIN
  SELECT RAISE(ABORT, 'published_release is append-only');
END;
CREATE TRIGGER published_release_no_delete BEFORE DELETE ON published_release
BEGIN
  SELECT RAISE(ABORT, 'published_release is append-only');
END;
