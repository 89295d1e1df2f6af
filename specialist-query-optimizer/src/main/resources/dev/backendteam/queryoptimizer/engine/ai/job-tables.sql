-- The job's tables as the sandbox holds them (? = the application's schemas as '{…}'): every table, partitioned table,
-- materialized view, foreign table and view, with its columns, their types and NOT NULL. Rows: (schema, name, columns).
select n.nspname as schema, c.relname as name,
       string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
                  || case when a.attnotnull then ' not null' else '' end, ', ' order by a.attnum) as columns
  from pg_class c
  join pg_namespace n on n.oid = c.relnamespace
  join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
 where c.relkind in ('r', 'p', 'm', 'f', 'v')
   and n.nspname = any (?::text[])
 group by n.nspname, c.relname
 order by n.nspname, c.relname
