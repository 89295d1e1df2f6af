-- The shared rule (libs/sandbox targetdb/indexes/unused-index.sql: valid, never scanned since the statistics reset,
-- neither unique nor primary key nor backing a constraint), from {unused-index-min-bytes} bytes.
select qualified as object, "table", size, since from shared where bytes >= {unused-index-min-bytes}
