-- Columns of type timestamp without time zone (or arrays of it).
select n.nspname || '.' || c.relname as tbl,
       n.nspname || '.' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod) as item
from pg_attribute a
join pg_class c on c.oid = a.attrelid
join pg_namespace n on n.oid = c.relnamespace
where c.relkind in ('r', 'p')
  and a.attnum > 0
  and not a.attisdropped
  and a.atttypid in ('timestamp'::regtype, 'timestamp[]'::regtype)
  and n.nspname not in ('information_schema', 'auth', 'extensions')
  and n.nspname not like 'pg\_%'
order by 1, 2
