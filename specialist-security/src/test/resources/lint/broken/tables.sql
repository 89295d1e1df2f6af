with ctx as (select ?::jsonb as j)
select n.nspname || '.' || c.relname as tbl
from pg_class c join pg_namespace n on n.oid = c.relnamespace
where c.relkind = 'r' and n.nspname in (select jsonb_array_elements_text(j -> 'exposed') from ctx)
