-- An index PostgreSQL marked invalid (indisvalid = false): a CREATE INDEX CONCURRENTLY or REINDEX CONCURRENTLY that
-- failed left it — or one still running. The planner never uses it; every write still maintains it.
select a.schema, a.index, a."table", a.qualified, pg_size_pretty(a.bytes) as size
  from ix a
 where not a.indisvalid
 order by a.schema, a.index
