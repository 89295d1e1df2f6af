-- Every column of the user's relations (tables, views, foreign tables) and of auth's, with its type as written in
-- DDL, whether it is NOT NULL and whether it alone is the primary key: what a diagnosis is checked against.
select n.nspname as schema_name,
       c.relname as table_name,
       c.relkind::text as kind,
       a.attname as column_name,
       format_type(a.atttypid, a.atttypmod) as column_type,
       a.attnotnull as not_null,
       exists (select 1 from pg_index i
               where i.indrelid = c.oid and i.indisprimary and i.indnatts = 1 and i.indkey[0] = a.attnum) as primary_key
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
where c.relkind in ('r', 'p', 'v', 'm', 'f')
  and n.nspname not in ('information_schema', 'extensions')
  and n.nspname not like 'pg\_%'
order by n.nspname, c.relname, a.attnum
