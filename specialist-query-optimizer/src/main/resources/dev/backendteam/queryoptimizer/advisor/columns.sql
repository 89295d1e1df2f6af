-- The planner's view of each column of the user's tables: distinct values, width, null fraction (after ANALYZE).
select s.schemaname as schema, s.tablename as "table", s.attname as "column", s.n_distinct, s.avg_width,
       s.null_frac, c.reltuples
  from pg_stats s
  join pg_namespace n on n.nspname = s.schemaname
  join pg_class c on c.relnamespace = n.oid and c.relname = s.tablename
 where s.schemaname not in ('pg_catalog', 'information_schema', 'pg_toast', 'auth', 'extensions')
