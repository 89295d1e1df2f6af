-- The shared rule (libs/sandbox targetdb/indexes/redundant-index.sql): a btree that is a leading prefix of another.
select qualified as object, "table", size, other, other_size from shared
