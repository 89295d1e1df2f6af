-- The shared rule (libs/sandbox targetdb/indexes/invalid-index.sql): indisvalid = false.
select qualified as object, "table", size from shared
