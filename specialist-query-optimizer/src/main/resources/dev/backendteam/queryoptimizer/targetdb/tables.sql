-- The tables of the schemas given (a text array) with the planner's row estimate, and whether pg_stats hides their
-- columns from the role reading: it shows a column only to a role that may select it, and nothing of a table whose
-- row level security applies to that role (see the pg_stats view). Rows: (schema, "table", reltuples, hidden).
select n.nspname as schema, c.relname as "table", c.reltuples::float8 as reltuples,
       (select count(*) from pg_attribute a
         where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
           and (not has_column_privilege(c.oid, a.attnum, 'select')
                or (c.relrowsecurity and row_security_active(c.oid)))) as hidden
  from pg_class c join pg_namespace n on n.oid = c.relnamespace
 where n.nspname = any (?::text[]) and c.relkind in ('r', 'p', 'm') and not c.relispartition
 order by 1, 2
