-- Releases are never changed or removed: the public may have kept any of them.
CREATE FUNCTION published_release_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'published_release is append-only';
END;
$$;
CREATE TRIGGER published_release_no_update BEFORE UPDATE OR DELETE ON published_release
  FOR EACH ROW EXECUTE FUNCTION published_release_refuse_change();
CREATE TRIGGER published_release_no_truncate BEFORE TRUNCATE ON published_release
  FOR EACH STATEMENT EXECUTE FUNCTION published_release_refuse_change();
