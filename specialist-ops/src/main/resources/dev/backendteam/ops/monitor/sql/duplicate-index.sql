-- The shared rule (libs/sandbox targetdb/indexes/duplicate-index.sql): same table, keys or expressions, predicate,
-- operator classes and collations as a better-ranked or older index.
select qualified as object, "table", size, other, other_size from shared
